using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Notifications;

/// <summary>The signed-in person's inbox: every reminder they were sent, newest first; mark one or all read.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class IndexModel(Inbox inbox) : PageModel
{
    public const int Shown = 100;

    [BindProperty(SupportsGet = true)] public bool Unread { get; set; }

    public IReadOnlyList<NotificationDto> Items { get; private set; } = [];
    public int UnreadCount { get; private set; }
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = User.PersonId();
        Items = await inbox.ListAsync(me, Unread, Shown, ct);
        UnreadCount = await inbox.UnreadCountAsync(me, ct);
        Zone = await inbox.ZoneAsync(me, ct);
    }

    public async Task<IActionResult> OnPostReadAsync(Guid id, CancellationToken ct)
    {
        try { await inbox.MarkReadAsync(User.PersonId(), id, ct); }
        catch (NotFoundException) { return NotFound(); }
        return RedirectToPage(new { Unread = Unread ? true : (bool?)null });
    }

    /// <summary>Marks it read and follows its link: what clicking a notification does.</summary>
    public async Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken ct)
    {
        try { return LocalRedirect(await inbox.OpenAsync(User.PersonId(), id, ct)); }
        catch (NotFoundException) { return NotFound(); }
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        var count = await inbox.MarkAllReadAsync(User.PersonId(), ct);
        TempData["Flash"] = count == 1 ? "Marked 1 notification read." : $"Marked {count} notifications read.";
        return RedirectToPage();
    }
}
