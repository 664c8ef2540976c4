using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Reports;

/// <summary>A manager's direct reports: where each one is now and next, overdue reflections, latest decision.</summary>
[Authorize(Policy = Policies.SignedIn, Roles = Roles.Manager)]
public sealed class MyReportsModel(ReportsService reports) : PageModel
{
    public IReadOnlyList<DirectReport> Reports { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Reports = await reports.DirectReportsAsync(User.PersonId(), ct);
}
