using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Account;

/// <summary>/Account/Notifications: "Email preferences", the signed-in person's own choice of what also comes by email.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class NotificationsModel(EmailPreferencesService service) : PageModel
{
    /// <summary>The kinds shown on the form, each with its box; a kind not posted here keeps its setting.</summary>
    [BindProperty]
    public List<NotificationKind> Shown { get; set; } = [];

    /// <summary>The kinds whose box is ticked (emailed).</summary>
    [BindProperty]
    public List<NotificationKind> Emailed { get; set; } = [];

    public IReadOnlyList<EmailPreference> ForYourRoles { get; private set; } = [];
    public IReadOnlyList<EmailPreference> Others { get; private set; } = [];
    public bool Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Unknown values in the form are binding errors; the kinds that did bind are all real ones.
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            ModelState.AddModelError("", "The form was not understood: nothing was changed. Reload the page and try again.");
            return Page();
        }
        var changes = Shown.Distinct().Select(k => new EmailPreferenceChange(k.ToString(), Emailed.Contains(k))).ToList();
        await service.SetAsync(User.PersonId(), new EmailPreferencesRequest(changes), ct);
        TempData["Flash"] = "Your email preferences have been saved.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var all = (await service.GetAsync(User.PersonId(), ct)).Kinds;
        bool Mine(EmailPreference p) => EmailPreferenceText.Roles(p.Kind).Any(User.IsInRole);
        ForYourRoles = all.Where(Mine).ToList();
        Others = all.Where(p => !Mine(p)).ToList();
    }
}
