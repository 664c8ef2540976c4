using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Feedback;

/// <summary>
/// The host's feedback on a stint. The host rates engagement, curiosity, collaboration and impact (1–4)
/// and comments, saves drafts and submits; the leader, their manager and HR read it once submitted.
/// Anyone else gets 404. The rules are <see cref="FeedbackService"/>'s, the same as the API's.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class FeedbackModel(FeedbackService service) : PageModel
{
    public sealed class FeedbackForm
    {
        public int? Engagement { get; set; }
        public int? Curiosity { get; set; }
        public int? Collaboration { get; set; }
        public int? Impact { get; set; }
        public string? Comments { get; set; }
        public uint Version { get; set; }
    }

    /// <summary>The four ratings: form field, label, and the question the host answers.</summary>
    public static readonly IReadOnlyList<(string Field, string Label, string Question)> Ratings =
    [
        ("Engagement", "Engagement", "Did they take part fully, in the work and with the team?"),
        ("Curiosity", "Curiosity", "Did they ask, listen and look beyond the obvious?"),
        ("Collaboration", "Collaboration", "Did they work well with your people, and make their work easier?"),
        ("Impact", "Impact", "Did they leave something behind: an idea taken up, a problem seen, a change started?"),
    ];

    [BindProperty] public FeedbackForm Form { get; set; } = new();

    public FeedbackDto Feedback { get; private set; } = null!;
    public string? Problem { get; private set; }
    public bool IsHost => Feedback.HostId is { } h && h == User.PersonId();
    public bool ShowForm => IsHost && Feedback.CanEdit;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Form = new FeedbackForm
        {
            Engagement = Feedback.Engagement, Curiosity = Feedback.Curiosity, Collaboration = Feedback.Collaboration,
            Impact = Feedback.Impact, Comments = Feedback.Comments, Version = Feedback.Version,
        };
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken ct) => WriteAsync(id, submit: false, ct);

    public Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct) => WriteAsync(id, submit: true, ct);

    private async Task<IActionResult> WriteAsync(Guid id, bool submit, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!IsHost) return Forbid();
        foreach (var (field, _, _) in Ratings)
        {
            // A value that is not a number at all is the same mistake as one outside 1–4.
            if (ModelState[$"Form.{field}"]?.Errors.Count > 0)
            {
                ModelState[$"Form.{field}"]!.Errors.Clear();
                ModelState.AddModelError($"Form.{field}", "A rating is 1 (not yet shown), 2 (developing), 3 (proficient) or 4 (role model).");
            }
        }
        try
        {
            if (!ModelState.IsValid) throw new ValidationFailedException(new Dictionary<string, string[]>());
            var saved = await service.SaveAsync(id, Form.Version,
                new FeedbackRequest(Form.Engagement, Form.Curiosity, Form.Collaboration, Form.Impact, Form.Comments,
                    submit || Feedback.Status == FeedbackStatus.Submitted), User, ct);
            TempData["Flash"] = submit || Feedback.Status == FeedbackStatus.Submitted
                ? Feedback.Status == FeedbackStatus.Submitted ? "Feedback updated. The leader and their manager see the new version."
                : $"Feedback submitted. {saved.LeaderName} and their manager can read it now. Thank you."
                : "Draft saved. Only you see it until you submit.";
            return Redirect($"/Stints/{id}/Feedback");
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
                foreach (var message in messages)
                    ModelState.AddModelError($"Form.{char.ToUpperInvariant(field[0])}{field[1..]}", message);
            Problem = submit ? "The feedback was not submitted. Complete the fields marked below." : "Nothing was saved. Correct the fields marked below.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        catch (ConflictException ex)
        {
            Problem = ex.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        catch (StaleVersionException)
        {
            Problem = "This feedback was saved from another tab or device after you opened it, so nothing was saved here. " +
                      "What you chose is still in the form: check it, then save again.";
            ModelState.Remove("Form.Version");
            Form.Version = Feedback.Version;
            Response.StatusCode = StatusCodes.Status412PreconditionFailed;
        }
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Feedback = await service.GetAsync(id, User, ct);
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }

    public int? Value(string field) => field switch
    {
        "Engagement" => Form.Engagement, "Curiosity" => Form.Curiosity, "Collaboration" => Form.Collaboration, _ => Form.Impact,
    };

    public int? Shown(string field) => field switch
    {
        "Engagement" => Feedback.Engagement, "Curiosity" => Feedback.Curiosity, "Collaboration" => Feedback.Collaboration, _ => Feedback.Impact,
    };
}
