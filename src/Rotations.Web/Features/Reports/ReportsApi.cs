using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Reports;

/// <summary>
/// /api/v1/reports: HR's dashboards as JSON (and the two CSV exports, also served to the pages at
/// /Reports/Coverage.csv and /Reports/Readiness.csv). HR and Admin only: readiness is about people, and the
/// leaders get 403. Unknown or missing cohorts are a 400 naming <c>cohortId</c>.
/// </summary>
public static class ReportsApi
{
    public const string Path = "/api/v1/reports";

    public static WebApplication MapReportsApi(this WebApplication app)
    {
        var group = app.MapGroup(Path).WithTags("Reports").RequireAuthorization(Policies.Coordinator);

        group.MapGet("/bench", Bench)
            .WithName("BenchReport")
            .WithSummary("Bench strength: per readiness level, leaders by the band of their current decision, and those who target the level without one")
            .WithDescription("`cohortId` (optional) limits it to one cohort. Bands come in band order; a retired band is listed while leaders are in it.")
            .ProducesValidationProblem();
        group.MapGet("/coverage", CoverageJson)
            .WithName("CoverageReport")
            .WithSummary("Coverage heatmap of one cohort: every active leader against every tour, with status (Missing, Booked, InProgress, Done) and weeks done")
            .ProducesValidationProblem();
        group.MapGet("/coverage.csv", CoverageCsv)
            .WithName("CoverageCsv")
            .WithSummary("The coverage heatmap of one cohort as CSV: a status and a weeks column per tour")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem();
        group.MapGet("/readiness.csv", ReadinessCsv)
            .WithName("ReadinessCsv")
            .WithSummary("One row per active leader: cohort, target level, current decision per level, tours and weeks done, reflections missing")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem();
        group.MapGet("/compliance", Compliance)
            .WithName("ComplianceReport")
            .WithSummary("Reflections on time out of those due (submitted, or overdue and missing), by cohort and by tour");
        group.MapGet("/overdue", Overdue)
            .WithName("OverdueReport")
            .WithSummary("Overdue reflections: leader, manager, tour, due date and days overdue, most overdue first")
            .ProducesValidationProblem();
        group.MapGet("/capacity", Capacity)
            .WithName("CapacityReport")
            .WithSummary("Each tour's busiest day per month over the next 12 months, against its capacity");
        group.MapGet("/compare", Compare)
            .WithName("CompareLeaders")
            .WithSummary("Two to four leaders side by side for one level (`level`=HeadOf, Director, VP or CCO; `leaders`=ids, comma-separated or repeated)")
            .ProducesValidationProblem();

        // The CSV downloads for people signed in with a cookie: same handlers, page addresses.
        app.MapGet("/Reports/Coverage.csv", CoverageCsv).RequireAuthorization(Policies.Coordinator).ExcludeFromDescription();
        app.MapGet("/Reports/Readiness.csv", ReadinessCsv).RequireAuthorization(Policies.Coordinator).ExcludeFromDescription();
        return app;
    }

    internal static async Task<Ok<BenchReport>> Bench(ReportsService reports, CancellationToken ct, Guid? cohortId = null) =>
        TypedResults.Ok(await reports.BenchAsync(cohortId, ct));

    internal static async Task<Ok<CoverageReport>> CoverageJson(ReportsService reports, CancellationToken ct, Guid? cohortId = null) =>
        TypedResults.Ok(await reports.CoverageAsync(cohortId, ct));

    internal static async Task<FileContentHttpResult> CoverageCsv(ReportsService reports, TimeProvider clock, CancellationToken ct, Guid? cohortId = null)
    {
        var report = await reports.CoverageAsync(cohortId, ct);
        return Csv(ReportCsv.Coverage(report), ReportCsv.FileName("coverage", clock.Today()));
    }

    internal static async Task<FileContentHttpResult> ReadinessCsv(ReportsService reports, TimeProvider clock, CancellationToken ct, Guid? cohortId = null) =>
        Csv(ReportCsv.Readiness(await reports.ReadinessAsync(cohortId, ct)), ReportCsv.FileName("readiness", clock.Today()));

    internal static async Task<Ok<ComplianceReport>> Compliance(ReportsService reports, CancellationToken ct) =>
        TypedResults.Ok(await reports.ComplianceAsync(ct));

    internal static async Task<Ok<OverdueReport>> Overdue(ReportsService reports, CancellationToken ct, Guid? cohortId = null) =>
        TypedResults.Ok(await reports.OverdueAsync(cohortId, ct));

    internal static async Task<Ok<CapacityReport>> Capacity(ReportsService reports, CancellationToken ct) =>
        TypedResults.Ok(await reports.CapacityAsync(ct));

    internal static async Task<Ok<Comparison>> Compare(ReportsService reports, CancellationToken ct, string? level = null, [FromQuery] string[]? leaders = null) =>
        TypedResults.Ok(await reports.CompareAsync(level, leaders ?? [], ct));

    /// <summary>UTF-8 with its byte-order mark, so that spreadsheets read "Ready in 1–2 years" and accented names right.</summary>
    private static FileContentHttpResult Csv(string text, string fileName) =>
        TypedResults.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)], ReportCsv.ContentType, fileName);
}
