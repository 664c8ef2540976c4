using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Readiness;

/// <summary>
/// One readiness review. A draft is a form for the leader's manager or HR: a decision, a rationale and a rating
/// (with an optional comment) per competency, beside the evidence and the gaps; saved, submitted or discarded.
/// A submitted review is read as it was; HR can return it for calibration with a comment, which opens a new
/// draft. The leader reads their submitted and returned reviews; nobody else finds any (404).
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed partial class ReviewModel(ReviewService reviews, ReadinessService readiness, Competencies.CompetencyService competencies) : PageModel
{
    public sealed class RatingRow
    {
        public Guid CompetencyId { get; set; }
        public int? Rating { get; set; }
        public string? Comment { get; set; }
    }

    public sealed class ReviewForm
    {
        public string? Decision { get; set; }
        public string? Rationale { get; set; }
        public List<RatingRow> Ratings { get; set; } = [];
        public uint Version { get; set; }
    }

    public sealed record CompetencyRowView(Guid Id, string Name, string Description, bool Retired);

    [BindProperty] public ReviewForm Form { get; set; } = new();
    [BindProperty] public string? ReturnComment { get; set; }

    public ReviewDto Review { get; private set; } = null!;
    public ReadinessDto Evidence { get; private set; } = null!;
    public IReadOnlyList<BandDto> Bands { get; private set; } = [];
    public IReadOnlyList<CompetencyRowView> Rows { get; private set; } = [];
    public string? Problem { get; private set; }
    /// <summary>HR, for a submitted review of someone else (nobody calibrates their own).</summary>
    public bool CanReturn => User.IsInRole(Roles.HR) && Review.Status == ReviewStatus.Submitted && Review.LeaderId != User.PersonId() && !Review.IsSuperseded();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Form = new ReviewForm
        {
            Decision = Review.Decision, Rationale = Review.Rationale, Version = Review.Version,
            Ratings = Rows.Select(r => Review.Ratings.FirstOrDefault(x => x.CompetencyId == r.Id) is { } x
                ? new RatingRow { CompetencyId = r.Id, Rating = x.Rating, Comment = x.Comment }
                : new RatingRow { CompetencyId = r.Id }).ToList(),
        };
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken ct) => WriteAsync(id, submit: false, ct);

    public Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct) => WriteAsync(id, submit: true, ct);

    public async Task<IActionResult> OnPostDiscardAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        // A reviewer asking to discard a submitted review is told why not (409), as the API does; anyone else is refused.
        if (!Review.CanEdit && Review.Status == ReviewStatus.Draft) return Forbid();
        try
        {
            await reviews.DiscardAsync(id, Form.Version, User, ct);
            TempData["Flash"] = "The draft review was discarded.";
            return Redirect($"/Leaders/{Review.LeaderId}/Readiness?level={Review.Level}");
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
        catch (StaleVersionException)
        {
            Problem = "This draft was saved by someone else after you opened it, so it was not discarded. Check it first.";
            Response.StatusCode = StatusCodes.Status412PreconditionFailed;
        }
        catch (ConflictException ex)
        {
            Problem = ex.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostReturnAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanReturn && Review.Status == ReviewStatus.Submitted && Review.LeaderId == User.PersonId()) return Forbid();
        try
        {
            var draft = await reviews.ReturnAsync(id, new ReturnRequest(ReturnComment), User, ct);
            TempData["Flash"] = $"Returned for calibration. {Review.AuthorName} finds a new draft, opened from this review, to rework and submit.";
            return Redirect($"/Reviews/{draft.Id}");
        }
        catch (ForbiddenException)
        {
            // The manager reads the review but only HR returns it: the access-denied page, not an API problem in a browser.
            return Forbid();
        }
        catch (ValidationFailedException ex)
        {
            foreach (var message in ex.Errors.Values.SelectMany(m => m)) ModelState.AddModelError(nameof(ReturnComment), message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        catch (ConflictException ex)
        {
            Problem = ex.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        return Page();
    }

    private async Task<IActionResult> WriteAsync(Guid id, bool submit, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!Review.CanEdit && Review.Status == ReviewStatus.Draft) return Forbid();
        foreach (var key in ModelState.Keys.Where(k => k.EndsWith(".Rating", StringComparison.Ordinal) && ModelState[k]!.Errors.Count > 0).ToList())
        {
            ModelState[key]!.Errors.Clear();
            ModelState.AddModelError(key, "Choose a rating from 1 to 4.");
        }
        // Rows left without a rating or a comment are not sent; the rest keep their place for the errors.
        var sent = Form.Ratings.Select((row, index) => (row, index)).Where(x => x.row.Rating is not null || !string.IsNullOrWhiteSpace(x.row.Comment)).ToList();
        var request = new ReviewRequest(null, Form.Decision, Form.Rationale,
            sent.Select(x => new RatingInput(x.row.CompetencyId, x.row.Rating, x.row.Comment)).ToList());
        try
        {
            if (!ModelState.IsValid) throw new ValidationFailedException(new Dictionary<string, string[]>());
            var saved = submit ? await reviews.SubmitAsync(id, Form.Version, request, User, ct) : await reviews.SaveAsync(id, Form.Version, request, User, ct);
            TempData["Flash"] = submit
                ? $"Submitted: {saved.DecisionLabel}. The decision is recorded and never changes; a later review supersedes it."
                : "Draft saved. The leader does not see it until it is submitted.";
            return Redirect(submit ? $"/Leaders/{saved.LeaderId}/Readiness?level={saved.Level}" : $"/Reviews/{id}");
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
                foreach (var message in messages)
                    ModelState.AddModelError(KeyFor(field, sent.Select(x => x.index).ToList()), message);
            Problem = submit ? "The review was not submitted. Complete the fields marked below; what you entered is still here."
                : "Nothing was saved. Correct the fields marked below; what you entered is still here.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        catch (ConflictException ex)
        {
            Problem = ex.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        catch (StaleVersionException)
        {
            Problem = "This draft was saved by someone else (the leader's manager or HR) after you opened it, so nothing was saved. " +
                      "What you entered is still here: check it against theirs, then save again.";
            ModelState.Remove("Form.Version");
            Form.Version = Review.Version;
            Response.StatusCode = StatusCodes.Status412PreconditionFailed;
        }
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Review = await reviews.GetAsync(id, User, ct);
            Evidence = await readiness.GetAsync(Review.LeaderId, Review.Level.ToString(), User, ct);
        }
        catch (NotFoundException)
        {
            return false;
        }
        Bands = await reviews.BandsAsync(ct);
        var rated = Review.Ratings.Select(r => r.CompetencyId).ToHashSet();
        var framework = await competencies.GetAsync(includeRetired: true, ct);
        Rows = framework.Competencies.Where(c => !c.Retired || rated.Contains(c.Id))
            .Select(c => new CompetencyRowView(c.Id, c.Name, c.Description, c.Retired)).ToList();
        return true;
    }

    /// <summary>"ratings[2].rating" names the third rating sent: the row it came from on this form.</summary>
    private static string KeyFor(string field, List<int> rows)
    {
        var match = RatingItem().Match(field);
        if (match.Success)
        {
            var item = int.Parse(match.Groups[1].Value);
            return item < rows.Count && match.Groups[2].Success
                ? $"Form.Ratings[{rows[item]}].{char.ToUpperInvariant(match.Groups[2].Value[0])}{match.Groups[2].Value[1..]}"
                : "Form.Ratings";
        }
        return $"Form.{char.ToUpperInvariant(field[0])}{field[1..]}";
    }

    [GeneratedRegex(@"^ratings\[(\d+)\](?:\.(\w+))?$")]
    private static partial Regex RatingItem();
}
