using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Readiness;

namespace Rotations.Web.Features.Reports;

/// <summary>Words, numbers and SVG helpers the report pages share.</summary>
public static class ReportDisplay
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Level(Level? level) => level is { } l ? Levels.Describe(l) : "–";

    public static string Status(CoverageStatus status) => status switch
    {
        CoverageStatus.Done => "Done",
        CoverageStatus.InProgress => "In progress",
        CoverageStatus.Booked => "Booked",
        _ => "Not yet",
    };

    /// <summary>The heatmap cell's colour: the same tags as the leader's plan.</summary>
    public static string StatusClass(CoverageStatus status) => "heat heat--" + status switch
    {
        CoverageStatus.Done => "done",
        CoverageStatus.InProgress => "in-progress",
        CoverageStatus.Booked => "booked",
        _ => "missing",
    };

    /// <summary>What a heatmap cell shows, short enough for eleven columns: weeks done, "now", "booked" or a dash.</summary>
    public static string Short(CoverageCell cell) => cell.Status switch
    {
        CoverageStatus.Done => $"{cell.Weeks} wk",
        CoverageStatus.InProgress => "now",
        CoverageStatus.Booked => "booked",
        _ => "–",
    };

    public static string Weeks(int n) => n == 1 ? "1 week" : $"{n} weeks";

    public static string Percent(double? rate) => rate is { } r ? Math.Round(100 * r, MidpointRounding.AwayFromZero).ToString("0", Invariant) + "%" : "–";

    public static string Average(double? value) => value is { } v ? v.ToString("0.0", Invariant) : "–";

    public static string N(double v) => v.ToString("0.##", Invariant);

    /// <summary>An SVG text element (Razor keeps the text tag for itself).</summary>
    public static IHtmlContent SvgText(double x, double y, string text, string cssClass, string? anchor = null) =>
        new HtmlString($"<text class=\"{cssClass}\" x=\"{N(x)}\" y=\"{N(y)}\"{(anchor is null ? "" : $" text-anchor=\"{anchor}\"")}>" +
            $"{HtmlEncoder.Default.Encode(text)}</text>");

    /// <summary>The capacity cell's shade: free, under half, under 80 %, full, over.</summary>
    public static string UseClass(CapacityMonth m) =>
        "use use--" + (m.Peak == 0 ? "0" : m.Peak > m.Capacity ? "over" : m.Peak == m.Capacity ? "full" : m.UsePercent >= 80 ? "high" : m.UsePercent >= 50 ? "mid" : "low");
}
