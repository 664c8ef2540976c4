using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Readiness;

public sealed record TourRef(Guid Id, string Code, string Name);

public sealed record CriteriaRating(Guid CompetencyId, string CompetencyName, int MinRating);

public sealed record CriteriaSummary(
    int MinDistinctTours, int MinTotalWeeks, bool RequireAllReflected, IReadOnlyList<TourRef> RequiredTours, IReadOnlyList<CriteriaRating> MinRatings);

/// <summary>One tour of the catalogue and where the leader stands with it. <see cref="StintIds"/> are the records behind it.</summary>
public sealed record CoverageItem(Guid TourId, string TourCode, string TourName, CoverageStatus Status, int Weeks, bool Required, IReadOnlyList<Guid> StintIds);

/// <summary>The reflections of completed stints: submitted on time, late, or missing (the stints behind each).</summary>
public sealed record ReflectionsSummary(int Due, int OnTime, int Late, int Missing, double? OnTimeRate,
    IReadOnlyList<Guid> MissingStintIds, IReadOnlyList<Guid> LateStintIds);

public sealed record FeedbackSummary(int Count, double? Engagement, double? Curiosity, double? Collaboration, double? Impact, double? Average,
    IReadOnlyList<Guid> StintIds);

/// <summary>A passage of a submitted reflection where the leader exercised a competency.</summary>
public sealed record EvidenceItem(Guid StintId, string TourCode, string TourName, DateOnly EndDate, string Evidence);

/// <summary>A competency: what the level asks, the rating of the current review, and the evidence from reflections.</summary>
public sealed record CompetencyReadiness(Guid CompetencyId, string Name, int? MinRating, int? Rating, string? RatingComment, IReadOnlyList<EvidenceItem> Evidence);

public sealed record CurrentDecision(Guid ReviewId, string Decision, string DecisionLabel, DateTimeOffset SubmittedAt, string AuthorName);

/// <summary>
/// A leader's readiness for one level: the evidence, and the gaps against the level's criteria in plain words.
/// The system prepares it; the manager decides.
/// </summary>
public sealed record ReadinessDto(
    Guid LeaderId, string LeaderName, Level Level, Level? TargetLevel, string? Cohort,
    CriteriaSummary Criteria, IReadOnlyList<string> Gaps, bool MeetsCriteria,
    int DistinctToursDone, int WeeksDone, IReadOnlyList<CoverageItem> Coverage,
    ReflectionsSummary Reflections, FeedbackSummary Feedback, IReadOnlyList<CompetencyReadiness> Competencies,
    CurrentDecision? CurrentDecision);

/// <summary>What <see cref="ReadinessService.Compose"/> needs, as read from the tables (by EF in the app, by hand in the benchmark's baseline).</summary>
public sealed record ReadinessInputs(
    Guid LeaderId, string LeaderName, Level Level, Level? Target, string? Cohort, DateOnly Today,
    ReadinessInputs.CriteriaRow Criteria, IReadOnlyList<ReadinessInputs.TourRow> Tours, int OverdueDays,
    IReadOnlyList<ReadinessInputs.StintRow> Stints, IReadOnlyList<ReadinessInputs.EvidenceRow> Evidence,
    IReadOnlyList<ReadinessInputs.CompetencyRow> Competencies, ReadinessInputs.CurrentRow? Current)
{
    public sealed record CriteriaRow(int MinDistinctTours, int MinTotalWeeks, bool RequireAllReflected, IReadOnlyList<TourRef> Tours, IReadOnlyList<CriteriaRating> Ratings);
    public sealed record TourRow(Guid Id, string Code, string Name, bool IsRetired);
    /// <summary><paramref name="Submitted"/>: null when no reflection is submitted, else whether it came on time.</summary>
    public sealed record StintRow(Guid Id, Guid TourId, DateOnly StartDate, DateOnly EndDate, bool? Submitted, FeedbackRow? Feedback);
    public sealed record FeedbackRow(int? Engagement, int? Curiosity, int? Collaboration, int? Impact);
    public sealed record EvidenceRow(Guid CompetencyId, Guid StintId, string Code, string Name, DateOnly EndDate, string Evidence);
    public sealed record CompetencyRow(Guid Id, string Name, bool IsRetired);
    public sealed record CurrentRow(Guid Id, string Decision, string DecisionLabel, DateTimeOffset SubmittedAt, string Author, IReadOnlyList<RatingRow> Ratings);
    public sealed record RatingRow(Guid CompetencyId, int Rating, string Comment);
}

/// <summary>
/// The evidence behind a readiness decision, read in a fixed handful of queries: the leader and their criteria,
/// their stints with reflections and feedback, the competencies with the evidence from submitted reflections,
/// and the current review for the level. Who may read it: the leader, their manager, HR; anyone else gets 404.
/// </summary>
public sealed class ReadinessService(RotationsDbContext db, TimeProvider clock)
{
    public const int MaxEvidencePerCompetency = 20;

    public static Level ParseLevel(string? value, Level? fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
            return fallback is { } f && ReadinessCriteria.Levels.Contains(f) ? f
                : throw new ValidationFailedException("level", "Name the level: HeadOf, Director, VP or CCO.");
        // By name only: Enum.TryParse would take "2" or "HeadOf,Director" (flags) for a level.
        return CriteriaService.ParseLevel(value)
            ?? throw new ValidationFailedException("level", $"“{value}” is not a level readiness is judged for: HeadOf, Director, VP or CCO.");
    }

    /// <summary>The leader, if this reader may see their readiness; 404 otherwise (whether or not they exist).</summary>
    public async Task<(Guid Id, string Name, Guid? ManagerId, Level? Target, string? Cohort)> LeaderAsync(Guid leaderId, ClaimsPrincipal user, CancellationToken ct)
    {
        var leader = await db.Users.AsNoTracking().Where(p => p.Id == leaderId && p.LeaderProfile != null)
            .Select(p => new { p.Id, p.DisplayName, p.ManagerId, Target = (Level?)p.LeaderProfile!.TargetLevel, Cohort = p.LeaderProfile.Cohort != null ? p.LeaderProfile.Cohort.Name : null })
            .SingleOrDefaultAsync(ct);
        if (leader is null || !CanRead(user, leader.Id, leader.ManagerId)) throw new NotFoundException("There is no such leader.");
        return (leader.Id, leader.DisplayName, leader.ManagerId, leader.Target, leader.Cohort);
    }

    /// <summary>The leader themself, their manager, HR.</summary>
    public static bool CanRead(ClaimsPrincipal user, Guid leaderId, Guid? managerId) =>
        leaderId == user.PersonId() || user.IsInRole(Roles.HR) || (user.IsInRole(Roles.Manager) && managerId is { } m && m == user.PersonId());

    public async Task<ReadinessDto> GetAsync(Guid leaderId, string? level, ClaimsPrincipal user, CancellationToken ct) =>
        (await GetWithManagerAsync(leaderId, level, user, ct)).Readiness;

    /// <summary>The readiness, and the leader's manager as read for the access check (so that a page showing the reviews
    /// beside it need not read the leader again to know who may review).</summary>
    public async Task<(ReadinessDto Readiness, Guid? ManagerId)> GetWithManagerAsync(Guid leaderId, string? level, ClaimsPrincipal user, CancellationToken ct)
    {
        var leader = await LeaderAsync(leaderId, user, ct);
        var lvl = ParseLevel(level, leader.Target);
        var today = clock.Today();

        var criteria = await db.ReadinessCriteria.AsNoTracking().Where(c => c.Level == lvl)
            .Select(c => new
            {
                c.MinDistinctTours, c.MinTotalWeeks, c.RequireAllReflected,
                Tours = c.RequiredTours.Select(t => new TourRef(t.TourId, t.Tour!.Code, t.Tour.Name)).ToList(),
                Ratings = c.MinRatings.OrderBy(r => r.Competency!.Position).Select(r => new CriteriaRating(r.CompetencyId, r.Competency!.Name, r.Rating)).ToList(),
            })
            .SingleAsync(ct);
        // The small lookup tables in one round trip: the tours (by code), the competencies (by position) and the
        // overdue setting, as one union of rows of one shape.
        var lookups = await db.Tours.AsNoTracking().Select(t => new { Table = 0, t.Id, t.Code, t.Name, t.IsRetired, Number = 0 })
            .Concat(db.Competencies.AsNoTracking().Select(c => new { Table = 1, c.Id, Code = "", c.Name, c.IsRetired, Number = c.Position }))
            .Concat(db.ReminderSettings.AsNoTracking().Select(r => new { Table = 2, Id = Guid.Empty, Code = "", Name = "", IsRetired = false, Number = r.OverdueDays }))
            .OrderBy(x => x.Table).ThenBy(x => x.Code).ThenBy(x => x.Number)
            .ToListAsync(ct);
        var tours = lookups.Where(x => x.Table == 0).ToList();
        var competencies = lookups.Where(x => x.Table == 1).ToList();
        var overdueDays = lookups.Single(x => x.Table == 2).Number;

        // In order, so that the lists of stint ids (missing, late, rated) read the same on every call. Left joins on the
        // stint's id (the key of both tables): a FirstOrDefault of several columns here became a ROW_NUMBER() over every
        // submitted host feedback of the programme, on every call (issue 9's benchmark).
        var stints = await (
                from s in db.Stints.AsNoTracking()
                where s.LeaderId == leaderId && s.CancelledAt == null
                join r in db.Reflections.Where(r => r.SubmittedAt != null) on s.Id equals r.StintId into rs
                from r in rs.DefaultIfEmpty()
                join f in db.HostFeedback.Where(f => f.SubmittedAt != null) on s.Id equals f.StintId into fs
                from f in fs.DefaultIfEmpty()
                orderby s.StartDate, s.Id
                select new
                {
                    s.Id, s.TourId, s.StartDate, s.EndDate,
                    Submitted = r == null ? null : (bool?)r.OnTime,
                    Reflected = r != null,
                    Rated = f != null, Engagement = f == null ? null : f.Engagement, Curiosity = f == null ? null : f.Curiosity,
                    Collaboration = f == null ? null : f.Collaboration, Impact = f == null ? null : f.Impact,
                    // The competencies its reflection evidences, in the same query (one collection: a row per item).
                    Evidence = db.ReflectionCompetencies.Where(rc => rc.StintId == s.Id).Select(rc => new { rc.CompetencyId, rc.Evidence }).ToList(),
                })
            .ToListAsync(ct);
        // Evidence counts from submitted reflections only, the latest stint first (a leader's stints never overlap).
        var tourById = tours.ToDictionary(t => t.Id);
        var evidence = stints.Where(s => s.Reflected).OrderByDescending(s => s.EndDate)
            .SelectMany(s => s.Evidence.Select(e => new { e.CompetencyId, s.Id, tourById[s.TourId].Code, tourById[s.TourId].Name, s.EndDate, e.Evidence }))
            .ToList();
        var current = await db.ReadinessReviews.AsNoTracking().Current().Where(r => r.LeaderId == leaderId && r.Level == lvl)
            .Select(r => new
            {
                r.Id, r.Decision, r.DecisionLabel, r.SubmittedAt, Author = r.Author!.DisplayName,
                Ratings = r.Ratings.Select(x => new { x.CompetencyId, x.Rating, x.Comment }).ToList(),
            })
            .FirstOrDefaultAsync(ct);

        return (Compose(new ReadinessInputs(leader.Id, leader.Name, lvl, leader.Target, leader.Cohort, today,
            new ReadinessInputs.CriteriaRow(criteria.MinDistinctTours, criteria.MinTotalWeeks, criteria.RequireAllReflected, criteria.Tours, criteria.Ratings),
            tours.Select(t => new ReadinessInputs.TourRow(t.Id, t.Code, t.Name, t.IsRetired)).ToList(), overdueDays,
            stints.Select(s => new ReadinessInputs.StintRow(s.Id, s.TourId, s.StartDate, s.EndDate, s.Submitted,
                s.Rated ? new ReadinessInputs.FeedbackRow(s.Engagement, s.Curiosity, s.Collaboration, s.Impact) : null)).ToList(),
            evidence.Select(e => new ReadinessInputs.EvidenceRow(e.CompetencyId, e.Id, e.Code, e.Name, e.EndDate, e.Evidence)).ToList(),
            competencies.Select(c => new ReadinessInputs.CompetencyRow(c.Id, c.Name, c.IsRetired)).ToList(),
            current is null ? null : new ReadinessInputs.CurrentRow(current.Id, current.Decision!, current.DecisionLabel!, current.SubmittedAt!.Value, current.Author,
                current.Ratings.Select(r => new ReadinessInputs.RatingRow(r.CompetencyId, r.Rating, r.Comment)).ToList()))), leader.ManagerId);
    }

    /// <summary>The evidence and the gaps, from what was read: pure, so that every reader of the rows composes the same answer.</summary>
    public static ReadinessDto Compose(ReadinessInputs input)
    {
        var (leaderId, today, criteria, tours, stints, evidence, competencies, current) =
            (input.LeaderId, input.Today, input.Criteria, input.Tours, input.Stints, input.Evidence, input.Competencies, input.Current);
        var overdueDays = input.OverdueDays;
        // Coverage of the active tours, and of retired ones the leader served on.
        var served = stints.Select(s => s.TourId).ToHashSet();
        var shown = tours.Where(t => !t.IsRetired || served.Contains(t.Id)).ToList();
        var required = criteria.Tours.Select(t => t.Id).ToHashSet();
        var coverage = Coverage.Of(stints.Select(s => new CoverageStint(s.Id, leaderId, s.TourId, s.StartDate, s.EndDate)), shown.Select(t => t.Id), today)
            .Zip(shown, (c, t) => new CoverageItem(t.Id, t.Code, t.Name, c.Status, c.WeeksDone, required.Contains(t.Id), c.StintIds))
            .ToList();
        var distinctDone = coverage.Count(c => c.Status == CoverageStatus.Done);
        var weeksDone = coverage.Sum(c => c.Weeks);

        var completed = stints.Where(s => s.EndDate < today).ToList();
        var missing = completed.Where(s => s.Submitted is null).OrderBy(s => s.EndDate).Select(s => s.Id).ToList();
        var late = completed.Where(s => s.Submitted == false).Select(s => s.Id).ToList();
        var onTime = completed.Count(s => s.Submitted == true);
        // A reflection not yet due is not held against anyone; one overdue counts as not on time.
        var dueMissing = completed.Count(s => s.Submitted is null && Reflections.ReflectionService.DueOn(s.EndDate, overdueDays) < today);
        var judged = onTime + late.Count + dueMissing;
        var reflections = new ReflectionsSummary(completed.Count, onTime, late.Count, missing.Count,
            judged == 0 ? null : Math.Round((double)onTime / judged, 3), missing, late);

        var rated = stints.Where(s => s.Feedback is not null).Select(s => (s.Id, F: s.Feedback!)).ToList();
        var feedback = new FeedbackSummary(rated.Count,
            Average(rated.Select(r => r.F.Engagement)), Average(rated.Select(r => r.F.Curiosity)),
            Average(rated.Select(r => r.F.Collaboration)), Average(rated.Select(r => r.F.Impact)),
            rated.Count == 0 ? null : Math.Round(rated.Average(r => (r.F.Engagement!.Value + r.F.Curiosity!.Value + r.F.Collaboration!.Value + r.F.Impact!.Value) / 4.0), 2),
            rated.Select(r => r.Id).ToList());

        var minimums = criteria.Ratings.ToDictionary(r => r.CompetencyId, r => r.MinRating);
        var ratings = current?.Ratings.ToDictionary(r => r.CompetencyId) ?? [];
        var evidenceBy = evidence.ToLookup(e => e.CompetencyId);
        var competencyRows = competencies
            .Where(c => !c.IsRetired || minimums.ContainsKey(c.Id) || ratings.ContainsKey(c.Id) || evidenceBy.Contains(c.Id))
            .Select(c => new CompetencyReadiness(c.Id, c.Name,
                minimums.TryGetValue(c.Id, out var min) ? min : null,
                ratings.TryGetValue(c.Id, out var r) ? r.Rating : null,
                ratings.TryGetValue(c.Id, out var rc) && rc.Comment != "" ? rc.Comment : null,
                evidenceBy[c.Id].Take(MaxEvidencePerCompetency).Select(e => new EvidenceItem(e.StintId, e.Code, e.Name, e.EndDate, e.Evidence)).ToList()))
            .ToList();

        var gaps = new List<string>();
        // A required tour or a minimum rating of a competency retired since cannot be met: it makes no gap.
        var retiredTours = tours.Where(t => t.IsRetired).Select(t => t.Id).ToHashSet();
        var retiredCompetencies = competencies.Where(c => c.IsRetired).Select(c => c.Id).ToHashSet();
        foreach (var t in criteria.Tours.Where(t => !retiredTours.Contains(t.Id)).OrderBy(t => t.Code, StringComparer.Ordinal))
        {
            var c = coverage.FirstOrDefault(x => x.TourId == t.Id);
            switch (c?.Status ?? CoverageStatus.Missing)
            {
                case CoverageStatus.Missing: gaps.Add($"{t.Name} tour missing"); break;
                case CoverageStatus.Booked: gaps.Add($"{t.Name} tour booked, not yet served"); break;
                case CoverageStatus.InProgress: gaps.Add($"{t.Name} tour in progress, not yet completed"); break;
            }
        }
        if (distinctDone < criteria.MinDistinctTours)
            gaps.Add($"{Plural(distinctDone, "distinct tour")} completed, needs {criteria.MinDistinctTours}");
        if (weeksDone < criteria.MinTotalWeeks)
            gaps.Add($"{Plural(weeksDone, "week")} served, needs {criteria.MinTotalWeeks}");
        // Held against the leader once due (ReflectionService.DueOn), as the reports and the reminders do.
        if (criteria.RequireAllReflected && dueMissing > 0)
            gaps.Add($"{Plural(dueMissing, "reflection")} not submitted");
        foreach (var row in competencyRows.Where(c => c.MinRating is not null && !retiredCompetencies.Contains(c.CompetencyId)))
        {
            if (row.Rating is null) gaps.Add($"{row.Name} not yet rated, needs {row.MinRating}");
            else if (row.Rating < row.MinRating) gaps.Add($"{row.Name} rated {row.Rating}, needs {row.MinRating}");
        }

        return new ReadinessDto(input.LeaderId, input.LeaderName, input.Level, input.Target, input.Cohort,
            new CriteriaSummary(criteria.MinDistinctTours, criteria.MinTotalWeeks, criteria.RequireAllReflected,
                criteria.Tours.OrderBy(t => t.Code, StringComparer.Ordinal).ToList(), criteria.Ratings),
            gaps, gaps.Count == 0, distinctDone, weeksDone, coverage, reflections, feedback, competencyRows,
            current is null ? null : new CurrentDecision(current.Id, current.Decision, current.DecisionLabel, current.SubmittedAt, current.Author));
    }

    private static double? Average(IEnumerable<int?> values)
    {
        var v = values.Where(x => x is not null).Select(x => (double)x!.Value).ToList();
        return v.Count == 0 ? null : Math.Round(v.Average(), 2);
    }

    private static string Plural(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";
}
