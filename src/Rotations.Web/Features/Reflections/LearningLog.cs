using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Feedback;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Reflections;

public sealed record LogFeedback(string? AuthorName, int Engagement, int Curiosity, int Collaboration, int Impact, string Comments, DateTimeOffset SubmittedAt)
{
    public double Average => (Engagement + Curiosity + Collaboration + Impact) / 4.0;
}

/// <summary>One stint on the leader's timeline: what they set out to learn, what they wrote, what the host said.</summary>
public sealed record LogEntry(
    Guid StintId, string TourCode, string TourName, DateOnly StartDate, DateOnly EndDate, StintKind Kind, StintStatus Status,
    string? HostName, string Objectives,
    ReflectionStatus ReflectionStatus, DateTimeOffset? SubmittedAt, bool? OnTime, DateOnly? DueOn, int Revision,
    ReflectionContent? Reflection, LogFeedback? Feedback);

/// <summary>A reflection that matches a search, with the words found marked between <see cref="LearningLog.MarkStart"/> and <see cref="LearningLog.MarkEnd"/>.</summary>
public sealed record LogSearchHit(Guid StintId, string TourCode, string TourName, DateOnly StartDate, DateOnly EndDate, double Rank, string Snippet);

public sealed record LearningLogDto(Guid LeaderId, string LeaderName, bool IsOwn, IReadOnlyList<LogEntry> Entries, string? Query, IReadOnlyList<LogSearchHit> Hits);

/// <summary>
/// A leader's learning log: their stints as a timeline with objectives, reflection and host feedback, and a
/// full-text search (PostgreSQL) over their reflections. The leader reads their own, a manager their
/// reports', HR everyone's; drafts stay the leader's own and feedback shows once submitted.
/// </summary>
public sealed class LearningLog(RotationsDbContext db, TimeProvider clock)
{
    public const string MarkStart = "\u0001";
    public const string MarkEnd = "\u0002";
    public const int MaxQueryLength = 200;
    public const int MaxHits = 50;

    public async Task<LearningLogDto> GetAsync(Guid leaderId, string? query, ClaimsPrincipal user, CancellationToken ct)
    {
        var leader = await db.Users.AsNoTracking().Where(p => p.Id == leaderId)
            .Select(p => new { p.Id, p.DisplayName, p.ManagerId }).SingleOrDefaultAsync(ct);
        var me = user.PersonId();
        var own = leader?.Id == me;
        if (leader is null || !(own || user.IsInRole(Roles.HR) || (user.IsInRole(Roles.Manager) && leader.ManagerId == me)))
            throw new NotFoundException("There is no such learning log.");
        var q = query?.Trim() ?? "";
        if (q.Length > MaxQueryLength) throw new ValidationFailedException("q", $"Search for at most {MaxQueryLength} characters.");

        var today = clock.Today();
        var stints = await db.Stints.AsNoTracking()
            .Where(s => s.LeaderId == leaderId && s.CancelledAt == null)
            .OrderByDescending(s => s.StartDate)
            .Select(s => new
            {
                s.Id, s.Tour!.Code, TourName = s.Tour.Name, s.StartDate, s.EndDate, s.Kind, s.ConfirmedAt,
                HostName = s.Host != null ? s.Host.DisplayName : null, s.Objectives,
            })
            .ToListAsync(ct);
        var ids = stints.Select(s => s.Id).ToList();
        // Drafts are the leader's own: for anyone else only their existence is read, never their text.
        var reflections = await db.Reflections.AsNoTracking().Where(r => ids.Contains(r.StintId) && (own || r.SubmittedAt != null))
            .Include(r => r.Vocabulary).Include(r => r.Competencies).ThenInclude(c => c.Competency).AsSplitQuery()
            .ToDictionaryAsync(r => r.StintId, ct);
        var drafts = own ? [] : await db.Reflections.AsNoTracking().Where(r => ids.Contains(r.StintId) && r.SubmittedAt == null)
            .Select(r => r.StintId).ToHashSetAsync(ct);
        var feedback = await db.HostFeedback.AsNoTracking().Where(f => ids.Contains(f.StintId) && f.SubmittedAt != null)
            .Select(f => new { f.StintId, Author = db.Users.Where(p => p.Id == f.AuthorId).Select(p => p.DisplayName).FirstOrDefault(), f.Engagement, f.Curiosity, f.Collaboration, f.Impact, f.Comments, f.SubmittedAt })
            .ToDictionaryAsync(f => f.StintId, ct);

        var entries = stints.Select(s =>
        {
            reflections.TryGetValue(s.Id, out var r);
            feedback.TryGetValue(s.Id, out var f);
            var status = r is null ? (drafts.Contains(s.Id) ? ReflectionStatus.Draft : ReflectionStatus.NotStarted)
                : r.IsSubmitted ? ReflectionStatus.Submitted : ReflectionStatus.Draft;
            var showText = r is not null && (own || r.IsSubmitted);
            var stintStatus = today > s.EndDate ? StintStatus.Completed : today >= s.StartDate ? StintStatus.InProgress
                : s.ConfirmedAt is not null ? StintStatus.Confirmed : StintStatus.Planned;
            return new LogEntry(s.Id, s.Code, s.TourName, s.StartDate, s.EndDate, s.Kind, stintStatus, s.HostName, s.Objectives,
                status, r?.SubmittedAt, r?.OnTime, r?.DueOn, r?.Revision ?? 0,
                showText ? new ReflectionContent(r!.CustomerSide, r.InsideOut,
                    r.Vocabulary.OrderBy(v => v.Position).Select(v => new VocabularyEntry(v.Term, v.Meaning, v.CustomerMeaning)).ToList(),
                    r.PeopleMet, r.FrictionAndIdeas,
                    r.Competencies.OrderBy(c => c.Competency!.Position).Select(c => new CompetencyEvidence(c.CompetencyId, c.Competency!.Name, c.Evidence)).ToList())
                    : null,
                f is null ? null : new LogFeedback(f.Author, f.Engagement!.Value, f.Curiosity!.Value, f.Collaboration!.Value, f.Impact!.Value, f.Comments, f.SubmittedAt!.Value));
        }).ToList();

        var hits = q.Length == 0 ? [] : await SearchAsync(leaderId, q, includeDrafts: own, ct);
        return new LearningLogDto(leader.Id, leader.DisplayName, own, entries, q.Length > 0 ? q : null, hits);
    }

    /// <summary>
    /// websearch_to_tsquery over the generated tsvector (GIN-indexed): words, "quoted phrases", or, -not.
    /// The snippet marks matches with control characters that the page turns into &lt;mark&gt; after encoding.
    /// </summary>
    private async Task<IReadOnlyList<LogSearchHit>> SearchAsync(Guid leaderId, string q, bool includeDrafts, CancellationToken ct)
    {
        var options = $"StartSel={MarkStart}, StopSel={MarkEnd}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"";
        return await db.Database.SqlQuery<LogSearchHit>($"""
            select r.stint_id as "StintId", t.code as "TourCode", t.name as "TourName", s.start_date as "StartDate", s.end_date as "EndDate",
                   ts_rank(r.search, query)::float8 as "Rank",
                   ts_headline('english',
                       replace(replace(r.customer_side || ' ' || r.inside_out || ' ' || r.people_met || ' ' || r.friction_and_ideas || ' ' || r.search_extra,
                           {MarkStart}, ''), {MarkEnd}, ''),
                       query, {options}) as "Snippet"
            from reflections r
            join stints s on s.id = r.stint_id
            join tours t on t.id = s.tour_id
            cross join websearch_to_tsquery('english', {q}) as query
            where s.leader_id = {leaderId} and s.cancelled_at is null
              and ({includeDrafts} or r.submitted_at is not null)
              and r.search @@ query
            order by "Rank" desc, s.start_date desc
            limit {MaxHits}
            """).ToListAsync(ct);
    }
}
