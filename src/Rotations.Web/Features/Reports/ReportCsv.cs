using System.Text;
using Rotations.Web.Features.Readiness;

namespace Rotations.Web.Features.Reports;

/// <summary>
/// The CSV exports (RFC 4180: comma-separated, CRLF, quotes doubled), opened by HR in a spreadsheet. A value that
/// a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a leading apostrophe, so a name typed as
/// "=HYPERLINK(…)" stays text. Headers are camelCase, like the people import.
/// </summary>
public static class ReportCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string Coverage(CoverageReport report)
    {
        var csv = new StringBuilder();
        Line(csv, ["displayName", "email", .. report.Tours.SelectMany(t => new[] { t.Code, $"{t.Code}_weeks" })]);
        foreach (var leader in report.Leaders)
            Line(csv, [leader.Name, leader.Email, .. leader.Cells.SelectMany(c => new[] { c.Status.ToString(), c.Weeks.ToString(System.Globalization.CultureInfo.InvariantCulture) })]);
        return csv.ToString();
    }

    public static string Readiness(IReadOnlyList<ReadinessRow> rows)
    {
        var csv = new StringBuilder();
        Line(csv, ["displayName", "email", "cohort", "targetLevel", .. ReadinessCriteria.Levels.Select(l => $"decision{l}"),
            "toursDone", "weeksDone", "reflectionsMissing"]);
        foreach (var r in rows)
            Line(csv, [r.Name, r.Email, r.Cohort ?? "", r.TargetLevel?.ToString() ?? "",
                .. ReadinessCriteria.Levels.Select(l => r.Decisions.GetValueOrDefault(l, "")),
                Number(r.ToursDone), Number(r.WeeksDone), Number(r.ReflectionsMissing)]);
        return csv.ToString();
    }

    public static string FileName(string what, DateOnly today) => $"{what}-{today:yyyy-MM-dd}.csv";

    private static string Number(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Line(StringBuilder csv, IEnumerable<string> values)
    {
        csv.Append(string.Join(',', values.Select(Field)));
        csv.Append("\r\n");
    }

    public static string Field(string value)
    {
        // A spreadsheet would run a cell that starts (after any blanks) with one of these as a formula.
        var start = value.TrimStart(' ', '\n');
        if (start.Length > 0 && start[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
