using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Catalogue;

/// <summary>
/// One tour for everyone signed in: its lenses, prompts, lengths, hosts and how full it is over the next
/// year. The names of the leaders it hosts are for HR, Admins and the tour's own hosts; others see counts.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class TourModel(CatalogueService catalogue, Competencies.CompetencyService competencies, TimeProvider clock) : PageModel
{
    public const int Weeks = CatalogueService.LoadWeeks;

    public TourDto Tour { get; private set; } = null!;
    public DateOnly Today { get; private set; }
    public DateOnly Until { get; private set; }
    public IReadOnlyList<WeekLoad> WeekBars { get; private set; } = [];
    public IReadOnlyList<MonthLoad> MonthRows { get; private set; } = [];
    public IReadOnlyList<string> Prompts { get; private set; } = [];
    /// <summary>The competencies of the framework this tour develops.</summary>
    public IReadOnlyList<Competencies.CompetencyDto> Develops { get; private set; } = [];
    public bool SeesLeaders { get; private set; }
    public bool CanEdit => User.IsInRole(Roles.HR) || User.IsInRole(Roles.Admin);
    /// <summary>Filled only for those who may see the names.</summary>
    public IReadOnlyList<HostedLeader> Leaders { get; private set; } = [];
    public int OnTourNow { get; private set; }
    public int StartingLater { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        var tour = await catalogue.FindByCodeAsync(code, ct);
        if (tour is null) return NotFound();
        // One address per tour: /Tours/sales and /Tours/SALES are the same page.
        if (tour.Code != code) return RedirectToPagePermanent("/Catalogue/Tour", new { code = tour.Code });
        Tour = tour;
        Develops = (await competencies.GetAsync(includeRetired: false, ct)).Competencies.Where(c => c.Tours.Any(t => t.Id == tour.Id)).ToList();
        Today = clock.Today();
        Until = Today.AddYears(1).AddDays(-1);
        Prompts = tour.ReflectionPrompts.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        var load = (await catalogue.YearLoadAsync(tour.Id, Today, ct)).Single();
        WeekBars = load.Weeks;
        MonthRows = load.Months;

        var hosted = await catalogue.HostedLeadersAsync(tour.Id, Today, Until, ct);
        OnTourNow = hosted.Count(s => s.Status == StintStatus.InProgress);
        StartingLater = hosted.Count - OnTourNow;
        SeesLeaders = CatalogueService.SeesHostedLeaders(User, tour);
        if (SeesLeaders) Leaders = hosted;
        return Page();
    }

    // The chart, drawn on the server: one bar per week, the height is the busiest day's count.
    public const int BarWidth = 16;
    public const int PlotLeft = 40;
    public const int PlotTop = 14;
    public const int PlotHeight = 150;
    public const int ChartWidth = PlotLeft + Weeks * BarWidth + 8;
    public const int ChartHeight = PlotTop + PlotHeight + 40;

    public int Scale => Math.Max(Tour.Capacity, WeekBars.Count == 0 ? 0 : WeekBars.Max(w => w.Peak));
    public double Y(int count) => PlotTop + PlotHeight - (double)PlotHeight * count / Scale;
    public static int X(int week) => PlotLeft + week * BarWidth;

    public string BarClass(int peak) =>
        peak > Tour.Capacity ? "chart__bar chart__bar--over"
        : peak == Tour.Capacity ? "chart__bar chart__bar--full"
        : "chart__bar";

    /// <summary>SVG coordinates in invariant notation, whatever the server's culture.</summary>
    public static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>An SVG text element (Razor reserves the text tag for itself).</summary>
    public static IHtmlContent SvgText(double x, double y, string text, string cssClass, string? anchor = null) =>
        new HtmlString($"<text class=\"{cssClass}\" x=\"{N(x)}\" y=\"{N(y)}\"{(anchor is null ? "" : $" text-anchor=\"{anchor}\"")}>" +
            $"{HtmlEncoder.Default.Encode(text)}</text>");

    public static string Day(DateOnly d) => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
    public static string MonthName(DateOnly d) => d.ToString("MMM yyyy", CultureInfo.InvariantCulture);
    public static string Places(int n) => n == 1 ? "1 place" : $"{n} places";
    public static string LeadersCount(int n) => n == 1 ? "1 leader" : $"{n} leaders";

    public string Describe(WeekLoad w) =>
        $"Week of {Day(w.Monday)}: {(w.Peak == 0 ? "no one booked" : $"{w.Peak} of {Places(Tour.Capacity)} taken on the busiest day")}" +
        (w.Peak >= Tour.Capacity ? " (full)" : "");

    /// <summary>The chart's text summary, also its SVG description.</summary>
    public string Summary()
    {
        var full = WeekBars.Where(w => w.Peak >= Tour.Capacity).ToList();
        var busy = WeekBars.Where(w => w.Peak > 0).ToList();
        if (busy.Count == 0) return $"No leader is booked in the next {Weeks} weeks: all {Places(Tour.Capacity)} are free every week.";
        var text = $"Leaders are booked in {busy.Count} of the next {Weeks} weeks. ";
        text += full.Count == 0
            ? $"The tour is never full: at most {WeekBars.Max(w => w.Peak)} of {Places(Tour.Capacity)} are taken on any day."
            : $"It is full in {full.Count} {(full.Count == 1 ? "week" : "weeks")}, first in the week of {Day(full[0].Monday)}.";
        return text;
    }

    public static string KindLabel(StintKind kind) => kind == StintKind.Orientation ? "Orientation" : "Assignment";

    public static string StatusLabel(StintStatus status) => status switch
    {
        StintStatus.InProgress => "In progress",
        _ => status.ToString(),
    };

    public static string Lengths(WeeksDto w) =>
        w.Min == w.Max ? $"{w.Typical} weeks" : $"usually {w.Typical} weeks ({w.Min} to {w.Max})";
}
