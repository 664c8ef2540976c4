using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reports;

/// <summary>The coverage heatmap of one cohort: leaders as rows, tours as columns, a cell per leader and tour.</summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class CoverageModel(ReportsService reports) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? CohortId { get; set; }

    public IReadOnlyList<CohortChoice> Cohorts { get; private set; } = [];
    /// <summary>Null until a cohort is chosen (or when the one asked for does not exist).</summary>
    public CoverageReport? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Cohorts = await reports.CohortsAsync(ct);
        if (CohortId is null) return Page();
        try
        {
            Report = await reports.CoverageAsync(CohortId, ct);
        }
        catch (ValidationFailedException ex)
        {
            ModelState.AddModelError(nameof(CohortId), string.Join(" ", ex.Errors.Values.SelectMany(m => m)));
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public static string CellLink(CoverageRow leader, CoverageCell cell) =>
        cell.StintId is { } id ? $"/Stints/{id}" : $"/Leaders/{leader.Id}/Plan";

    public static string CellLabel(CoverageRow leader, CoverageTour tour, CoverageCell cell) =>
        $"{leader.Name}, {tour.Name}: {ReportDisplay.Status(cell.Status)}" +
        (cell.Weeks > 0 ? $", {ReportDisplay.Weeks(cell.Weeks)} done" : "");
}
