using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using Rotations.Web.Features.Reports;
using Rotations.Web.Infrastructure.Database;
using static Rotations.Tests.Reports.ReportsKit;

namespace Rotations.Tests.Reports;

/// <summary>Counts the SQL commands every DbContext of the app sends while <see cref="Counting"/> is on.</summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    private int count;
    public volatile bool Counting;
    public int Count => count;

    public void Start() { Interlocked.Exchange(ref count, 0); Counting = true; }
    public int Stop() { Counting = false; return count; }

    private void Seen() { if (Counting) Interlocked.Increment(ref count); }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand c, CommandEventData e, InterceptionResult<DbDataReader> r) { Seen(); return r; }
    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand c, CommandEventData e, InterceptionResult<DbDataReader> r, CancellationToken ct = default) { Seen(); return ValueTask.FromResult(r); }
    public override InterceptionResult<object> ScalarExecuting(DbCommand c, CommandEventData e, InterceptionResult<object> r) { Seen(); return r; }
    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand c, CommandEventData e, InterceptionResult<object> r, CancellationToken ct = default) { Seen(); return ValueTask.FromResult(r); }
    public override InterceptionResult<int> NonQueryExecuting(DbCommand c, CommandEventData e, InterceptionResult<int> r) { Seen(); return r; }
    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand c, CommandEventData e, InterceptionResult<int> r, CancellationToken ct = default) { Seen(); return ValueTask.FromResult(r); }
}

/// <summary>The app with a command counter on every DbContext.</summary>
public sealed class CountingApp : RotationsApp
{
    public CommandCounter Commands { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureDbContext<RotationsDbContext>((_, o) => o.AddInterceptors(Commands)));
    }
}

/// <summary>The coverage heatmap of a cohort is a fixed, small number of queries, whether it has 5 leaders or 2,000.</summary>
public sealed class CoverageScaleTests(CountingApp app) : IClassFixture<CountingApp>
{
    /// <summary>
    /// A cohort of <paramref name="n"/> leaders, each with a SALES stint done and a CONTACT stint booked, in one statement:
    /// people (with the Identity columns), their Leader role, profiles and stints.
    /// </summary>
    private async Task<Guid> CohortOfAsync(int n)
    {
        var cohort = await app.CohortAsync($"Scale {n}");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var doneFrom = WeeksFromToday(-10);
        var bookedFrom = WeeksFromToday(10);
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""
            with new_people as (
                insert into people (id, display_name, time_zone, is_active, user_name, normalized_user_name, email, normalized_email,
                                    email_confirmed, security_stamp, concurrency_stamp, phone_number_confirmed, two_factor_enabled,
                                    lockout_enabled, access_failed_count)
                select gen_random_uuid(), 'Leader ' || lpad(i::text, 4, '0'), 'Europe/London', true, e, upper(e), e, upper(e),
                       true, md5(random()::text), md5(random()::text), false, false, true, 0
                from generate_series(1, {n}) as i, lateral (select 'bulk.' || i || '.' || {tag} || '@example.com' as e) as x
                returning id
            ), granted as (
                insert into person_roles (user_id, role_id) select id, (select id from roles where name = 'Leader') from new_people
            ), profiles as (
                insert into leader_profiles (person_id, current_level, target_level, cohort_id, home_department)
                select id, 'Manager', 'HeadOf', {cohort.Id}, '' from new_people
            )
            insert into stints (id, leader_id, tour_id, start_date, end_date, kind, objectives)
            select gen_random_uuid(), p.id, t.id, t.start_date, t.start_date + 11, 'Orientation', ''
            from new_people p
            cross join (values ({Sales}, {doneFrom}), ({Contact}, {bookedFrom})) as t(id, start_date)
            """));
        return cohort.Id;
    }

    private async Task<(int Commands, CoverageReport Report)> CountAsync(Guid cohortId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var reports = scope.ServiceProvider.GetRequiredService<ReportsService>();
        app.Commands.Start();
        var report = await reports.CoverageAsync(cohortId, CancellationToken.None);
        return (app.Commands.Stop(), report);
    }

    [Fact]
    public async Task CoverageHeatmap_IsTheSameFewQueries_For5And2000Leaders()
    {
        app.Clock.Set(Now);
        var small = await CohortOfAsync(5);
        var large = await CohortOfAsync(2_000);

        var (smallCount, smallReport) = await CountAsync(small);
        var (largeCount, largeReport) = await CountAsync(large);
        Assert.Equal(5, smallReport.Leaders.Count);
        Assert.Equal(2_000, largeReport.Leaders.Count);
        Assert.All(largeReport.Leaders, l => Assert.Equal(Web.Features.Readiness.CoverageStatus.Done, l.Cells.Single(c => c.TourCode == "SALES").Status));
        Assert.All(largeReport.Leaders, l => Assert.Equal(Web.Features.Readiness.CoverageStatus.Booked, l.Cells.Single(c => c.TourCode == "CONTACT").Status));
        Assert.Equal(smallCount, largeCount);
        Assert.InRange(largeCount, 1, 5);

        // Through the API too: whatever sign-in costs, it does not grow with the cohort. The first call also
        // fills the caches of the token's stamp check; the counted ones come after it.
        var hr = await app.HrApiAsync();
        Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync($"/api/v1/reports/coverage?cohortId={small}")).StatusCode);
        app.Commands.Start();
        Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync($"/api/v1/reports/coverage?cohortId={small}")).StatusCode);
        var smallApi = app.Commands.Stop();
        app.Commands.Start();
        var response = await hr.GetAsync($"/api/v1/reports/coverage?cohortId={large}");
        var largeApi = app.Commands.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2_000, (await response.ReadJsonAsync()).GetProperty("leaders").GetArrayLength());
        Assert.Equal(smallApi, largeApi);
    }
}
