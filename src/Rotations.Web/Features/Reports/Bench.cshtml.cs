using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reports;

/// <summary>Bench strength per level as a stacked bar chart drawn on the server, with the same figures as a table.</summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class BenchModel(ReportsService reports) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? CohortId { get; set; }

    public BenchReport Report { get; private set; } = null!;
    public IReadOnlyList<CohortChoice> Cohorts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Cohorts = await reports.CohortsAsync(ct);
        try
        {
            Report = await reports.BenchAsync(CohortId, ct);
        }
        catch (ValidationFailedException ex)
        {
            ModelState.AddModelError(nameof(CohortId), string.Join(" ", ex.Errors.Values.SelectMany(m => m)));
            Report = await reports.BenchAsync(null, ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    // The chart: one horizontal bar per level, a segment per band, widths to the largest level's total.
    public const int LabelWidth = 170;
    public const int PlotWidth = 560;
    public const int RowHeight = 44;
    public const int BarHeight = 26;
    public const int Top = 10;
    public int ChartWidth => LabelWidth + PlotWidth + 60;
    public int ChartHeight => Top + Report.Levels.Count * RowHeight + 10;
    public int Scale => Math.Max(1, Report.Levels.Max(l => l.Total));
    public double Width(int count) => (double)PlotWidth * count / Scale;

    /// <summary>The colour of a band by its place in the band order; "no current review" has its own.</summary>
    public static string SegmentClass(int index) => $"bench-seg bench-seg--{index % 6}";

    public static string People(int n) => n == 1 ? "1 leader" : $"{n} leaders";

    public string Describe(BenchLevel level) =>
        $"{ReportDisplay.Level(level.Level)}: " + (level.Total == 0 ? "no leaders." :
            string.Join(", ", level.Bands.Where(b => b.Count > 0).Select(b => $"{b.Label} {b.Count}")
                .Concat(level.WithoutReview > 0 ? [$"no current review {level.WithoutReview}"] : [])) + ".");

    public string Summary() => string.Join(" ", Report.Levels.Select(Describe));
}
