using System.Globalization;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Scheduling;

/// <summary>How stints read on the pages: words for statuses and kinds, dates, and each tour's colour.</summary>
public static class StintDisplay
{
    // Invariant month and day names are English and stable ("Sep", where en-GB's ICU data says "Sept").
    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    public static string Status(StintStatus status) => status switch
    {
        StintStatus.InProgress => "In progress",
        _ => status.ToString(),
    };

    /// <summary>The CSS modifier of the status tag: tag--planned, tag--in-progress…</summary>
    public static string StatusClass(StintStatus status) => "tag--" + status switch
    {
        StintStatus.InProgress => "in-progress",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string Kind(StintKind kind) => kind == StintKind.Orientation ? "Orientation" : "Full assignment";

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", English);

    public static string Day(DateOnly date) => date.ToString("ddd d MMM yyyy", English);

    /// <summary>"4 – 17 Jan 2027", "28 Dec 2026 – 10 Jan 2027".</summary>
    public static string Dates(DateOnly start, DateOnly end) =>
        start.Year != end.Year ? $"{Date(start)} – {Date(end)}"
        : start.Month != end.Month ? $"{start.ToString("d MMM", English)} – {Date(end)}"
        : start == end ? Date(start)
        : $"{start.Day} – {Date(end)}";

    public static string Length(DateOnly start, DateOnly end) => ClockExtensions.DescribeDays(end.DayNumber - start.DayNumber + 1);

    public static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", English);

    public static string Month(DateOnly firstDay) => firstDay.ToString("MMM yyyy", English);
}

/// <summary>
/// Eleven colours that stay apart from each other for most kinds of colour vision (Paul Tol's muted and
/// vibrant schemes), each with a text colour of at least 4.5:1 contrast on it. The eleven tours of the
/// catalogue keep their own; a tour added later takes one by a stable hash of its code. Colour is never
/// the only cue: bars carry the tour code, and a legend names each colour.
/// </summary>
public static class TourPalette
{
    public const int Size = 11;

    private static readonly string[] CatalogueOrder =
        ["SALES", "SERVICE", "CONTACT", "FIELD", "DEPOT", "SELF", "PRODUCT", "MARKETING", "DIGITAL", "WAREHOUSE", "EXEC"];

    /// <summary>1 to 11.</summary>
    public static int Index(string code)
    {
        var known = Array.IndexOf(CatalogueOrder, code.ToUpperInvariant());
        if (known >= 0) return known + 1;
        // FNV-1a: string.GetHashCode changes from one process to the next.
        var hash = 2166136261u;
        foreach (var c in code.ToUpperInvariant()) hash = (hash ^ c) * 16777619u;
        return (int)(hash % Size) + 1;
    }

    /// <summary>The CSS class that colours a bar or a swatch: tour-c1 … tour-c11.</summary>
    public static string Class(string code) => $"tour-c{Index(code)}";
}
