using Rotations.Web.Features.Reports;

namespace Rotations.Tests.Reports;

/// <summary>CSV cells that a spreadsheet would run as formulas are kept as text, blanks or not; quoting as RFC 4180 asks.</summary>
public sealed class ReportCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("  =1+1", "'  =1+1")]
    [InlineData("\n@SUM(A1)", "\"'\n@SUM(A1)\"")]
    [InlineData("-2", "'-2")]
    [InlineData("Ready in 1–2 years", "Ready in 1–2 years")]
    [InlineData("Okafor, Marcus", "\"Okafor, Marcus\"")]
    public void Fields_that_would_run_as_formulas_are_kept_as_text(string value, string expected) =>
        Assert.Equal(expected, ReportCsv.Field(value));
}
