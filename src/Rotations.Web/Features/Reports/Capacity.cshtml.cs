using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Reports;

/// <summary>Every tour's busiest day, month by month, against its capacity: the tour page's chart for all tours at once.</summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class CapacityModel(ReportsService reports) : PageModel
{
    public CapacityReport Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Report = await reports.CapacityAsync(ct);

    public static string Describe(CapacityTour tour, CapacityMonth m) =>
        $"{tour.Name}, {Scheduling.StintDisplay.Month(m.Month)}: {m.Peak} of {m.Capacity} places taken on the busiest day ({m.UsePercent}%)" +
        (m.FullWeeks > 0 ? $", full in {m.FullWeeks} of {m.Weeks} weeks" : "");
}
