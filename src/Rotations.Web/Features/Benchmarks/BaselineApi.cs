using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NpgsqlTypes;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Readiness;
using Rotations.Web.Features.Reports;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Benchmarks;

/// <summary>The board's rows as JSON: what the page draws, without the drawing.</summary>
public sealed record BaselineBoard(int Total, int Page, IReadOnlyList<BaselineBoardRow> Rows);

public sealed record BaselineBoardRow(Guid LeaderId, string Name, string? Cohort, IReadOnlyList<BaselineBar> Bars);

public sealed record BaselineBar(Guid StintId, string TourCode, string TourName, DateOnly Start, DateOnly End, StintStatus Status);

/// <summary>
/// The benchmark's yardstick (issue 9): the same reads as the board, readiness, the coverage heatmap, bench strength and
/// the inbox, written by hand with plain Npgsql (one batch of SQL per request, no EF, no change tracker, no LINQ
/// translation), composed into the same DTOs by the same pure code, and serialized by the same JSON options. What is left
/// between the app and this is the cost of the app's data access. Mapped only when <see cref="EnabledKey"/> is true (the
/// benchmark sets it), never in a normal deployment; each endpoint carries the same policy as the one it shadows.
/// </summary>
public static class BaselineApi
{
    public const string EnabledKey = "Benchmarks:Baseline";
    public const string Path = "/api/v1/baseline";

    public static WebApplication MapBaseline(this WebApplication app)
    {
        if (!app.Configuration.GetValue(EnabledKey, false)) return app;
        var group = app.MapGroup(Path).WithTags("Benchmark baseline").ExcludeFromDescription().RequireAuthorization(Policies.SignedIn);
        group.MapGet("/board", Board).RequireAuthorization(Policies.Coordinator);
        group.MapGet("/leaders/{id:guid}/readiness", ReadinessOf);
        group.MapGet("/coverage", Coverage).RequireAuthorization(Policies.Coordinator);
        group.MapGet("/bench", Bench).RequireAuthorization(Policies.Coordinator);
        group.MapGet("/inbox", Inbox);
        return app;
    }

    private const string LeadersSql = """
        select p.id from people p
        where p.is_active and exists (select 1 from person_roles ur join roles r on r.id = ur.role_id where ur.user_id = p.id and r.name = 'Leader')
        """;

    internal static async Task<Ok<BaselineBoard>> Board(NpgsqlDataSource db, TimeProvider clock, Guid cohortId, DateOnly from, DateOnly to, CancellationToken ct, int p = 1)
    {
        var timeline = new Timeline(from, to);
        var today = clock.Today();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command($"select count(*) from ({LeadersSql}) l join leader_profiles lp on lp.person_id = l.id where lp.cohort_id = $1", cohortId),
                Command($"""
                    select p.id, p.display_name, c.name from ({LeadersSql}) l join people p on p.id = l.id
                    join leader_profiles lp on lp.person_id = p.id left join cohorts c on c.id = lp.cohort_id
                    where lp.cohort_id = $1 order by p.display_name, p.id offset $2 limit {BoardQueries.PageSize}
                    """, cohortId, (p - 1) * BoardQueries.PageSize),
                Command($"""
                    with page as (
                        select p.id, p.display_name from ({LeadersSql}) l join people p on p.id = l.id
                        join leader_profiles lp on lp.person_id = p.id
                        where lp.cohort_id = $1 order by p.display_name, p.id offset $2 limit {BoardQueries.PageSize})
                    select s.id, s.leader_id, t.code, t.name, s.start_date, s.end_date, s.confirmed_at is not null
                    from stints s join page on page.id = s.leader_id join tours t on t.id = s.tour_id
                    where s.start_date <= $3 and s.end_date >= $4 and s.cancelled_at is null
                    order by s.start_date
                    """, cohortId, (p - 1) * BoardQueries.PageSize, timeline.End, timeline.Start),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var total = (int)reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var rows = new List<(Guid Id, string Name, string? Cohort)>();
        while (await reader.ReadAsync(ct)) rows.Add((reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        await reader.NextResultAsync(ct);
        var bars = new Dictionary<Guid, List<BaselineBar>>();
        while (await reader.ReadAsync(ct))
        {
            var (start, end) = (reader.GetFieldValue<DateOnly>(4), reader.GetFieldValue<DateOnly>(5));
            var status = today > end ? StintStatus.Completed : today >= start ? StintStatus.InProgress : reader.GetBoolean(6) ? StintStatus.Confirmed : StintStatus.Planned;
            var leader = reader.GetGuid(1);
            (bars.TryGetValue(leader, out var list) ? list : bars[leader] = []).Add(
                new BaselineBar(reader.GetGuid(0), reader.GetString(2), reader.GetString(3), start, end, status));
        }
        return TypedResults.Ok(new BaselineBoard(total, p, rows.Select(r => new BaselineBoardRow(r.Id, r.Name, r.Cohort, bars.GetValueOrDefault(r.Id) ?? [])).ToList()));
    }

    internal static async Task<Ok<ReadinessDto>> ReadinessOf(Guid id, string? level, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var inputs = await ReadinessBaseline.LoadAsync(connection, id, level, user, clock.Today(), ct);
        return TypedResults.Ok(ReadinessService.Compose(inputs));
    }

    internal static async Task<Ok<CoverageReport>> Coverage(NpgsqlDataSource db, TimeProvider clock, Guid cohortId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var members = $"select l.id from ({LeadersSql}) l join leader_profiles lp on lp.person_id = l.id where lp.cohort_id = $1";
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("select name from cohorts where id = $1", cohortId),
                Command("select id, code, name from tours where not is_retired order by name, code"),
                Command($"select p.id, p.display_name, p.email from people p where p.id in ({members}) order by p.display_name, p.email", cohortId),
                Command($"select s.id, s.leader_id, s.tour_id, s.start_date, s.end_date from stints s where s.cancelled_at is null and s.leader_id in ({members})", cohortId),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) throw new ValidationFailedException("cohortId", "There is no such cohort. Choose one of the cohorts.");
        var name = reader.GetString(0);
        await reader.NextResultAsync(ct);
        var tours = new List<CoverageTour>();
        while (await reader.ReadAsync(ct)) tours.Add(new CoverageTour(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        await reader.NextResultAsync(ct);
        var people = new List<(Guid Id, string Name, string? Email)>();
        while (await reader.ReadAsync(ct)) people.Add((reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        await reader.NextResultAsync(ct);
        var stints = new List<CoverageStint>();
        while (await reader.ReadAsync(ct))
            stints.Add(new CoverageStint(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetFieldValue<DateOnly>(3), reader.GetFieldValue<DateOnly>(4)));
        var byLeader = stints.ToLookup(s => s.LeaderId);
        var today = clock.Today();
        var tourIds = tours.Select(t => t.Id).ToList();
        var codes = tours.ToDictionary(t => t.Id, t => t.Code);
        var rows = people.Select(p => ReportsService.CoverageRowOf(p.Id, p.Name, p.Email, byLeader[p.Id].ToList(), tourIds, codes, today)).ToList();
        return TypedResults.Ok(new CoverageReport(cohortId, name, tours, rows));
    }

    internal static async Task<Ok<BenchReport>> Bench(NpgsqlDataSource db, CancellationToken ct, Guid? cohortId = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var members = $"select l.id from ({LeadersSql}) l join leader_profiles lp on lp.person_id = l.id where ($1::uuid is null or lp.cohort_id = $1)";
        const string current = """
            select r.leader_id, r.level, r.decision from readiness_reviews r
            where r.status = 'Submitted' and not exists (select 1 from readiness_reviews o
                where o.leader_id = r.leader_id and o.level = r.level and o.status <> 'Draft' and o.submitted_at > r.submitted_at)
            """;
        var cohort = new NpgsqlParameter { Value = (object?)cohortId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("select count(*) from cohorts where id = $1", (object?)cohortId ?? Guid.Empty),
                Command("select code, label, is_retired from readiness_bands order by position, code"),
                Command($"select c.level, c.decision, count(*) from ({current}) c where c.leader_id in ({members}) group by c.level, c.decision", cohort),
                Command($"""
                    select lp.target_level, count(*) from leader_profiles lp where lp.person_id in ({members})
                    and not exists (select 1 from ({current}) c where c.leader_id = lp.person_id and c.level = lp.target_level)
                    group by lp.target_level
                    """, cohort.Clone()),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (cohortId is not null && reader.GetInt64(0) == 0) throw new ValidationFailedException("cohortId", "There is no such cohort. Choose one of the cohorts.");
        await reader.NextResultAsync(ct);
        var bands = new List<(string Code, string Label, bool Retired)>();
        while (await reader.ReadAsync(ct)) bands.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        await reader.NextResultAsync(ct);
        var counts = new List<(Level Level, string Decision, int Count)>();
        while (await reader.ReadAsync(ct)) counts.Add((Enum.Parse<Level>(reader.GetString(0)), reader.GetString(1), (int)reader.GetInt64(2)));
        await reader.NextResultAsync(ct);
        var without = new Dictionary<Level, int>();
        while (await reader.ReadAsync(ct)) without[Enum.Parse<Level>(reader.GetString(0))] = (int)reader.GetInt64(1);

        var levels = ReadinessCriteria.Levels.Select(level =>
        {
            int CountOf(string code) => counts.Where(x => x.Level == level && x.Decision == code).Sum(x => x.Count);
            var shown = bands.Where(b => !b.Retired || CountOf(b.Code) > 0).Select(b => new BenchBand(b.Code, b.Label, CountOf(b.Code))).ToList();
            return new BenchLevel(level, shown, without.GetValueOrDefault(level));
        }).ToList();
        return TypedResults.Ok(new BenchReport(cohortId, levels));
    }

    internal static async Task<Ok<List<NotificationDto>>> Inbox(ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken ct, int take = 50)
    {
        if (take is < 1 or > Notifications.Inbox.MaxTake)
            throw new ValidationFailedException("take", $"Ask for between 1 and {Notifications.Inbox.MaxTake} notifications.");
        var me = user.PersonId();
        await using var connection = await db.OpenConnectionAsync(ct);
        // One statement: the newest notifications, each with the facts of its stint (the app reads those in a second query).
        await using var command = new NpgsqlCommand("""
            select n.id, n.kind, n.stint_id, n.occurrence, n.created_at, n.read_at, n.body, me.time_zone,
                   t.code, t.name, l.display_name, h.display_name, s.start_date, s.end_date, s.objectives, t.outside_in, t.inside_out, s.cancelled_at is not null
            from (select * from notifications where recipient_id = $1 and dropped_at is null order by created_at desc, id desc limit $2) n
            join people me on me.id = $1
            left join stints s on s.id = n.stint_id left join tours t on t.id = s.tour_id
            left join people l on l.id = s.leader_id left join people h on h.id = s.host_id
            order by n.created_at desc, n.id desc
            """, connection) { Parameters = { new() { Value = me }, new() { Value = take } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<NotificationDto>();
        while (await reader.ReadAsync(ct))
        {
            var kind = Enum.Parse<NotificationKind>(reader.GetString(1));
            Guid? stintId = reader.IsDBNull(2) ? null : reader.GetGuid(2);
            var createdAt = reader.GetFieldValue<DateTimeOffset>(4);
            var occurrence = reader.GetFieldValue<DateOnly>(3);
            var body = reader.IsDBNull(6) ? null : reader.GetString(6);
            var facts = stintId is { } sid && !reader.IsDBNull(8)
                ? new StintFacts(sid, reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                    reader.GetFieldValue<DateOnly>(12), reader.GetFieldValue<DateOnly>(13), reader.GetString(14), reader.GetString(15), reader.GetString(16), reader.GetBoolean(17))
                : null;
            var zone = Reminders.LocalTime.Zone(reader.GetString(7));
            var on = kind == NotificationKind.WeeklyDigest ? occurrence : Reminders.LocalTime.Today(createdAt, zone);
            var (title, summary) = NotificationText.Describe(kind, facts, on, body);
            if (facts is { Cancelled: true }) summary = $"This stint has since been cancelled. {summary}";
            list.Add(new NotificationDto(reader.GetGuid(0), kind, stintId, occurrence, createdAt,
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), title, summary, body, NotificationText.LinkPath(kind, stintId)));
        }
        return TypedResults.Ok(list);
    }

    internal static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(p as NpgsqlParameter ?? new NpgsqlParameter { Value = p });
        return command;
    }
}
