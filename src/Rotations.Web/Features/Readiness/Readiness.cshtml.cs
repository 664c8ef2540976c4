using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Readiness;

/// <summary>
/// A leader's readiness for one level, on evidence: the gaps first, then every figure with the records behind it,
/// and the reviews. The leader reads their own (and their submitted reviews); their manager and HR read it and
/// open a review from here. Anyone else gets 404. The figures are <see cref="ReadinessService"/>'s, the API's.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class ReadinessModel(ReadinessService readiness, ReviewService reviews) : PageModel
{
    public ReadinessDto Evidence { get; private set; } = null!;
    public IReadOnlyList<ReviewDto> Reviews { get; private set; } = [];
    public bool CanReview { get; private set; }
    public bool IsSelf => Evidence.LeaderId == User.PersonId();
    /// <summary>The open draft for the level shown, if this reader may write it.</summary>
    public ReviewDto? Draft => Reviews.FirstOrDefault(r => r.Status == ReviewStatus.Draft && r.Level == Evidence.Level);
    public string? LevelError { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? level, CancellationToken ct)
    {
        try
        {
            await LoadAsync(id, level, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationFailedException ex) when (ex.Errors.ContainsKey("level"))
        {
            // An unknown level in the address: the target level instead, with the reason beside the level picker.
            LevelError = ex.Errors["level"][0];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            try { await LoadAsync(id, null, ct); }
            catch (ValidationFailedException) { await LoadAsync(id, nameof(Level.HeadOf), ct); }
        }
        return Page();
    }

    /// <summary>Opens a draft review for the level shown (or goes to the one open already).</summary>
    public async Task<IActionResult> OnPostReviewAsync(Guid id, string? level, CancellationToken ct)
    {
        try
        {
            await LoadAsync(id, level, ct);
            if (!CanReview) return Forbid();
            if (Draft is { } open) return Redirect($"/Reviews/{open.Id}");
            var draft = await reviews.CreateAsync(id, new ReviewRequest(Evidence.Level.ToString(), null, null, null), User, ct);
            return Redirect($"/Reviews/{draft.Id}");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ConflictException)
        {
            // Opened meanwhile by the other reviewer: theirs is the draft to continue.
            await LoadAsync(id, level, ct);
            return Draft is { } open ? Redirect($"/Reviews/{open.Id}") : Redirect($"/Leaders/{id}/Readiness?level={Evidence.Level}");
        }
    }

    private async Task LoadAsync(Guid id, string? level, CancellationToken ct)
    {
        (Evidence, var managerId) = await readiness.GetWithManagerAsync(id, level, User, ct);
        (Reviews, CanReview) = await reviews.ListReadableAsync(id, managerId, User, ct);
    }
}
