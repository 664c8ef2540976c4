using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Jobs;

/// <summary>
/// The background jobs page for Admin and HR: scheduler nodes, each job with its trigger and recent runs,
/// pause / resume / run now, and the email outbox with a retry for failed emails.
/// </summary>
[Authorize(Policy = Policies.HR)]
public sealed class IndexModel(JobsDashboard dashboard, RotationsDbContext db) : PageModel
{
    public JobsOverview Overview { get; private set; } = null!;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Zone = await ViewerZoneAsync(ct);
        Overview = await dashboard.OverviewAsync(ct);
    }

    public Task<IActionResult> OnPostPauseAsync(string job, CancellationToken ct) =>
        Act(job, () => dashboard.PauseAsync(job, Actor, ct), "is paused: it will not fire until it is resumed");

    public Task<IActionResult> OnPostResumeAsync(string job, CancellationToken ct) =>
        Act(job, () => dashboard.ResumeAsync(job, Actor, ct), "is resumed");

    public Task<IActionResult> OnPostTriggerAsync(string job, CancellationToken ct) =>
        Act(job, () => dashboard.TriggerNowAsync(job, Actor, ct), "will run in a moment; its run appears under Recent runs");

    public async Task<IActionResult> OnPostRetryAsync(Guid email, CancellationToken ct)
    {
        await dashboard.RetryEmailAsync(email, Actor, ct);
        TempData["Flash"] = "The email is back in the queue for an immediate attempt.";
        return RedirectToPage();
    }

    public string Local(DateTimeOffset? at) => at is { } value
        ? TimeZoneInfo.ConvertTime(value, Zone).ToString("d MMM yyyy, HH:mm:ss", CultureInfo.InvariantCulture)
        : "—";

    public static string Duration(TimeSpan d) => d.TotalSeconds < 1
        ? $"{d.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms"
        : d.TotalMinutes < 1 ? $"{d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : d.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);

    /// <summary>"Hannah Reyes (hr@example.com)": who took an action, for the log and for Quartz's pause record.</summary>
    private string Actor =>
        $"{User.FindFirst(AccountClaims.DisplayName)?.Value ?? "?"} ({User.Identity?.Name ?? User.PersonId().ToString()})";

    private async Task<IActionResult> Act(string job, Func<Task> action, string done)
    {
        try
        {
            await action();
        }
        catch (UnknownJobException)
        {
            return NotFound();
        }
        TempData["Flash"] = $"The job {job} {done}.";
        return RedirectToPage();
    }

    private async Task<TimeZoneInfo> ViewerZoneAsync(CancellationToken ct)
    {
        var me = User.PersonId();
        var id = await db.Users.AsNoTracking().Where(p => p.Id == me).Select(p => p.TimeZone).FirstOrDefaultAsync(ct);
        return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }
}
