using System.Security.Claims;
using Npgsql;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Readiness;
using Rotations.Web.Infrastructure.Errors;
using static Rotations.Web.Features.Benchmarks.BaselineApi;

namespace Rotations.Web.Features.Benchmarks;

/// <summary>The rows <see cref="ReadinessService.GetAsync"/> reads, read by hand: the leader, then one batch of nine statements.</summary>
internal static class ReadinessBaseline
{
    private const string Current = """
        select r.* from readiness_reviews r
        where r.status = 'Submitted' and r.leader_id = $1 and r.level = $2 and not exists (select 1 from readiness_reviews o
            where o.leader_id = r.leader_id and o.level = r.level and o.status <> 'Draft' and o.submitted_at > r.submitted_at)
        """;

    public static async Task<ReadinessInputs> LoadAsync(NpgsqlConnection connection, Guid id, string? level, ClaimsPrincipal user, DateOnly today, CancellationToken ct)
    {
        (Guid Id, string Name, Guid? Manager, Level Target, string? Cohort)? leader = null;
        await using (var command = new NpgsqlCommand("""
            select p.id, p.display_name, p.manager_id, lp.target_level, c.name
            from people p join leader_profiles lp on lp.person_id = p.id left join cohorts c on c.id = lp.cohort_id where p.id = $1
            """, connection) { Parameters = { new() { Value = id } } })
        await using (var reader = await command.ExecuteReaderAsync(ct))
            if (await reader.ReadAsync(ct))
                leader = (reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), Enum.Parse<Level>(reader.GetString(3)),
                    reader.IsDBNull(4) ? null : reader.GetString(4));
        if (leader is not { } l || !ReadinessService.CanRead(user, l.Id, l.Manager)) throw new NotFoundException("There is no such leader.");
        var lvl = ReadinessService.ParseLevel(level, l.Target);
        var levelText = lvl.ToString();

        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("select min_distinct_tours, min_total_weeks, require_all_reflected from readiness_criteria where level = $1", levelText),
                Command("select rt.tour_id, t.code, t.name from readiness_required_tours rt join tours t on t.id = rt.tour_id where rt.level = $1", levelText),
                Command("select mr.competency_id, c.name, mr.min_rating from readiness_min_ratings mr join competencies c on c.id = mr.competency_id where mr.level = $1 order by c.position", levelText),
                Command("select id, code, name, is_retired from tours order by code"),
                Command("select overdue_days from reminder_settings"),
                Command("""
                    select s.id, s.tour_id, s.start_date, s.end_date, r.stint_id is not null, r.on_time,
                           f.stint_id is not null, f.engagement, f.curiosity, f.collaboration, f.impact
                    from stints s
                    left join reflections r on r.stint_id = s.id and r.submitted_at is not null
                    left join host_feedback f on f.stint_id = s.id and f.submitted_at is not null
                    where s.leader_id = $1 and s.cancelled_at is null
                    order by s.start_date, s.id
                    """, id),
                Command("""
                    select rc.competency_id, s.id, t.code, t.name, s.end_date, rc.evidence
                    from reflection_competencies rc join reflections r on r.stint_id = rc.stint_id
                    join stints s on s.id = r.stint_id join tours t on t.id = s.tour_id
                    where s.leader_id = $1 and s.cancelled_at is null and r.submitted_at is not null
                    order by s.end_date desc
                    """, id),
                Command("select id, name, is_retired from competencies order by position"),
                Command($"select c.id, c.decision, c.decision_label, c.submitted_at, a.display_name from ({Current}) c join people a on a.id = c.author_id limit 1", id, levelText),
                Command($"select rr.review_id, rr.competency_id, rr.rating, rr.comment from review_ratings rr where rr.review_id in (select id from ({Current}) c)", id, levelText),
            },
        };
        await using var rows = await batch.ExecuteReaderAsync(ct);
        await rows.ReadAsync(ct);
        var (minTours, minWeeks, allReflected) = (rows.GetInt32(0), rows.GetInt32(1), rows.GetBoolean(2));
        await rows.NextResultAsync(ct);
        var required = new List<TourRef>();
        while (await rows.ReadAsync(ct)) required.Add(new TourRef(rows.GetGuid(0), rows.GetString(1), rows.GetString(2)));
        await rows.NextResultAsync(ct);
        var minimums = new List<CriteriaRating>();
        while (await rows.ReadAsync(ct)) minimums.Add(new CriteriaRating(rows.GetGuid(0), rows.GetString(1), rows.GetInt32(2)));
        await rows.NextResultAsync(ct);
        var tours = new List<ReadinessInputs.TourRow>();
        while (await rows.ReadAsync(ct)) tours.Add(new ReadinessInputs.TourRow(rows.GetGuid(0), rows.GetString(1), rows.GetString(2), rows.GetBoolean(3)));
        await rows.NextResultAsync(ct);
        await rows.ReadAsync(ct);
        var overdueDays = rows.GetInt32(0);
        await rows.NextResultAsync(ct);
        var stints = new List<ReadinessInputs.StintRow>();
        int? Int(int i) => rows.IsDBNull(i) ? null : rows.GetInt32(i);
        while (await rows.ReadAsync(ct))
            stints.Add(new ReadinessInputs.StintRow(rows.GetGuid(0), rows.GetGuid(1), rows.GetFieldValue<DateOnly>(2), rows.GetFieldValue<DateOnly>(3),
                rows.GetBoolean(4) ? (rows.IsDBNull(5) ? null : rows.GetBoolean(5)) : null,
                rows.GetBoolean(6) ? new ReadinessInputs.FeedbackRow(Int(7), Int(8), Int(9), Int(10)) : null));
        await rows.NextResultAsync(ct);
        var evidence = new List<ReadinessInputs.EvidenceRow>();
        while (await rows.ReadAsync(ct))
            evidence.Add(new ReadinessInputs.EvidenceRow(rows.GetGuid(0), rows.GetGuid(1), rows.GetString(2), rows.GetString(3), rows.GetFieldValue<DateOnly>(4), rows.GetString(5)));
        await rows.NextResultAsync(ct);
        var competencies = new List<ReadinessInputs.CompetencyRow>();
        while (await rows.ReadAsync(ct)) competencies.Add(new ReadinessInputs.CompetencyRow(rows.GetGuid(0), rows.GetString(1), rows.GetBoolean(2)));
        await rows.NextResultAsync(ct);
        (Guid Id, string Decision, string Label, DateTimeOffset At, string Author)? current = null;
        if (await rows.ReadAsync(ct))
            current = (rows.GetGuid(0), rows.GetString(1), rows.GetString(2), rows.GetFieldValue<DateTimeOffset>(3), rows.GetString(4));
        await rows.NextResultAsync(ct);
        var ratings = new List<ReadinessInputs.RatingRow>();
        while (await rows.ReadAsync(ct))
            if (current is { } c && rows.GetGuid(0) == c.Id) ratings.Add(new ReadinessInputs.RatingRow(rows.GetGuid(1), rows.GetInt32(2), rows.GetString(3)));

        return new ReadinessInputs(l.Id, l.Name, lvl, l.Target, l.Cohort, today,
            new ReadinessInputs.CriteriaRow(minTours, minWeeks, allReflected, required, minimums), tours, overdueDays, stints, evidence, competencies,
            current is { } cur ? new ReadinessInputs.CurrentRow(cur.Id, cur.Decision, cur.Label, cur.At, cur.Author, ratings) : null);
    }
}
