using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Catalogue;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Readiness;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Reports;

/// <summary>
/// The programme's dashboards, read straight from the tables: bench strength, coverage, reflection compliance,
/// capacity, overdue reflections, comparisons and a manager's reports. Each report is a fixed handful of queries
/// whatever the number of leaders (aggregates in SQL, one query per kind of row, joined in memory), and uses the
/// shared definitions: <see cref="Coverage"/> for tours done and weeks, <see cref="ReadinessQueries.Current"/> for
/// the decision that counts, <see cref="CatalogueService.YearLoadAsync"/> for capacity. Who may read which report
/// is decided by the pages and the API (HR for all but <see cref="DirectReportsAsync"/>).
/// </summary>
public sealed class ReportsService(RotationsDbContext db, CatalogueService catalogue, TimeProvider clock)
{
    public const int MinCompared = 2;
    public const int MaxCompared = 4;

    /// <summary>Active people in the Leader role, optionally of one cohort.</summary>
    private IQueryable<Person> Leaders(Guid? cohortId = null)
    {
        var leaderRole = db.Roles.Where(r => r.Name == Roles.Leader).Select(r => r.Id);
        var leaders = db.Users.AsNoTracking()
            .Where(p => p.IsActive && db.UserRoles.Any(ur => ur.UserId == p.Id && leaderRole.Contains(ur.RoleId)));
        return cohortId is { } c ? leaders.Where(p => p.LeaderProfile!.CohortId == c) : leaders;
    }

    private Task<int> OverdueDaysAsync(CancellationToken ct) =>
        db.ReminderSettings.AsNoTracking().Select(s => s.OverdueDays).SingleAsync(ct);

    public async Task<IReadOnlyList<CohortChoice>> CohortsAsync(CancellationToken ct) =>
        await db.Cohorts.AsNoTracking().OrderByDescending(c => c.StartDate).ThenBy(c => c.Name)
            .Select(c => new CohortChoice(c.Id, c.Name)).ToListAsync(ct);

    /// <summary>An unknown cohort is a wrong field, named <c>cohortId</c>.</summary>
    private async Task<string> CohortNameAsync(Guid cohortId, CancellationToken ct) =>
        await db.Cohorts.AsNoTracking().Where(c => c.Id == cohortId).Select(c => c.Name).SingleOrDefaultAsync(ct)
        ?? throw new ValidationFailedException("cohortId", "There is no such cohort. Choose one of the cohorts.");

    // Bench strength

    public async Task<BenchReport> BenchAsync(Guid? cohortId, CancellationToken ct)
    {
        if (cohortId is { } c) await CohortNameAsync(c, ct);
        var bands = await db.ReadinessBands.AsNoTracking().OrderBy(b => b.Position).ThenBy(b => b.Code).ToListAsync(ct);
        var leaderIds = Leaders(cohortId).Select(p => p.Id);
        var current = db.ReadinessReviews.AsNoTracking().Current();
        var counts = await current.Where(r => leaderIds.Contains(r.LeaderId))
            .GroupBy(r => new { r.Level, r.Decision })
            .Select(g => new { g.Key.Level, g.Key.Decision, Count = g.Count() })
            .ToListAsync(ct);
        var without = await Leaders(cohortId).Where(p => p.LeaderProfile != null)
            .Where(p => !current.Any(r => r.LeaderId == p.Id && r.Level == p.LeaderProfile!.TargetLevel))
            .GroupBy(p => p.LeaderProfile!.TargetLevel)
            .Select(g => new { Level = g.Key, Count = g.Count() })
            .ToListAsync(ct);

        var levels = ReadinessCriteria.Levels.Select(level =>
        {
            int CountOf(string code) => counts.Where(x => x.Level == level && x.Decision == code).Sum(x => x.Count);
            // A retired band stays on the chart while leaders are still in it.
            var shown = bands.Where(b => !b.IsRetired || CountOf(b.Code) > 0)
                .Select(b => new BenchBand(b.Code, b.Label, CountOf(b.Code))).ToList();
            return new BenchLevel(level, shown, without.Where(w => w.Level == level).Sum(w => w.Count));
        }).ToList();
        return new BenchReport(cohortId, levels);
    }

    // Coverage heatmap

    /// <summary>
    /// Every active leader of the cohort against every tour not retired: four queries (the cohort, the tours, the
    /// leaders, their stints) whatever the size of the cohort.
    /// </summary>
    public async Task<CoverageReport> CoverageAsync(Guid? cohortId, CancellationToken ct)
    {
        if (cohortId is not { } id) throw new ValidationFailedException("cohortId", "Choose a cohort.");
        var name = await CohortNameAsync(id, ct);
        var tours = await db.Tours.AsNoTracking().Where(t => !t.IsRetired).OrderBy(t => t.Name).ThenBy(t => t.Code)
            .Select(t => new CoverageTour(t.Id, t.Code, t.Name)).ToListAsync(ct);
        var leaders = Leaders(id);
        var people = await leaders.OrderBy(p => p.DisplayName).ThenBy(p => p.Email)
            .Select(p => new { p.Id, p.DisplayName, p.Email }).ToListAsync(ct);
        var stints = await Coverage.StintsOfAsync(db, leaders.Select(p => p.Id), ct);
        var today = clock.Today();
        var tourIds = tours.Select(t => t.Id).ToList();
        var codes = tours.ToDictionary(t => t.Id, t => t.Code);

        var rows = people.Select(p => CoverageRowOf(p.Id, p.DisplayName, p.Email, stints[p.Id].ToList(), tourIds, codes, today)).ToList();
        return new CoverageReport(id, name, tours, rows);
    }

    /// <summary>One leader's row of the heatmap from their stints (shared with the benchmark's raw-SQL baseline).</summary>
    public static CoverageRow CoverageRowOf(Guid id, string name, string? email, List<CoverageStint> mine, IReadOnlyList<Guid> tourIds,
        IReadOnlyDictionary<Guid, string> codes, DateOnly today)
    {
        var cells = Coverage.Of(mine, tourIds, today).Select(c => new CoverageCell(codes[c.TourId], c.Status, c.WeeksDone,
            c.StintIds.Count == 0 ? null : mine.Where(s => c.StintIds.Contains(s.StintId)).MaxBy(s => s.StartDate).StintId)).ToList();
        return new CoverageRow(id, name, email ?? "", cells);
    }

    // Reflection compliance

    /// <summary>
    /// Per cohort and per tour: reflections that were due (submitted, or overdue and still missing), how many came
    /// on time. Reflections not yet due and not submitted count nowhere. One aggregate query by cohort and tour.
    /// </summary>
    public async Task<ComplianceReport> ComplianceAsync(CancellationToken ct)
    {
        var overdueDays = await OverdueDaysAsync(ct);
        var overdueBefore = Reflections.ReflectionService.OverdueIfEndedBefore(clock.Today(), overdueDays);
        var groups = await (
                from s in db.Stints.AsNoTracking()
                where s.CancelledAt == null
                join r in db.Reflections.Where(r => r.SubmittedAt != null) on s.Id equals r.StintId into rs
                from r in rs.DefaultIfEmpty()
                where r != null || s.EndDate < overdueBefore
                group new { Submitted = r != null, OnTime = r != null && r.OnTime == true }
                    by new { CohortId = s.Leader!.LeaderProfile!.CohortId, s.TourId } into g
                select new
                {
                    g.Key.CohortId, g.Key.TourId, Due = g.Count(), Submitted = g.Count(x => x.Submitted), OnTime = g.Count(x => x.OnTime),
                })
            .ToListAsync(ct);
        var cohorts = await db.Cohorts.AsNoTracking().Select(c => new { c.Id, c.Name, c.StartDate }).ToListAsync(ct);
        var tours = await db.Tours.AsNoTracking().Select(t => new { t.Id, t.Code, t.Name, t.IsRetired }).ToListAsync(ct);

        ComplianceRow Sum(Guid? id, string name, IEnumerable<(int Due, int Submitted, int OnTime)> items)
        {
            var list = items.ToList();
            var due = list.Sum(x => x.Due);
            var submitted = list.Sum(x => x.Submitted);
            var onTime = list.Sum(x => x.OnTime);
            return new ComplianceRow(id, name, due, submitted, onTime, submitted - onTime, due - submitted);
        }

        var byCohort = cohorts.OrderByDescending(c => c.StartDate).ThenBy(c => c.Name)
            .Select(c => Sum(c.Id, c.Name, groups.Where(g => g.CohortId == c.Id).Select(g => (g.Due, g.Submitted, g.OnTime))))
            .ToList();
        if (groups.Any(g => g.CohortId == null))
            byCohort.Add(Sum(null, "No cohort", groups.Where(g => g.CohortId == null).Select(g => (g.Due, g.Submitted, g.OnTime))));
        var byTour = tours
            .Select(t => (t, Row: Sum(t.Id, t.Name, groups.Where(g => g.TourId == t.Id).Select(g => (g.Due, g.Submitted, g.OnTime)))))
            .Where(x => !x.t.IsRetired || x.Row.Due > 0)
            .OrderBy(x => x.t.Name).Select(x => x.Row).ToList();
        var overall = Sum(null, "All leaders", groups.Select(g => (g.Due, g.Submitted, g.OnTime)));
        return new ComplianceReport(overdueDays, byCohort, byTour, overall);
    }

    // Overdue reflections

    /// <summary>Completed stints whose reflection is not submitted and was due before today, most overdue first.</summary>
    public async Task<OverdueReport> OverdueAsync(Guid? cohortId, CancellationToken ct)
    {
        if (cohortId is { } c) await CohortNameAsync(c, ct);
        var overdueDays = await OverdueDaysAsync(ct);
        var today = clock.Today();
        var overdueBefore = Reflections.ReflectionService.OverdueIfEndedBefore(today, overdueDays);
        var stints = db.Stints.AsNoTracking()
            .Where(s => s.CancelledAt == null && s.EndDate < overdueBefore
                        && !db.Reflections.Any(r => r.StintId == s.Id && r.SubmittedAt != null));
        if (cohortId is { } cohort) stints = stints.Where(s => s.Leader!.LeaderProfile!.CohortId == cohort);
        var rows = await stints.OrderBy(s => s.EndDate).ThenBy(s => s.Leader!.DisplayName)
            .Select(s => new
            {
                s.Id, s.LeaderId, Leader = s.Leader!.DisplayName, s.Leader.ManagerId,
                Manager = s.Leader.Manager == null ? null : s.Leader.Manager.DisplayName,
                s.Tour!.Code, Tour = s.Tour.Name, s.EndDate,
            })
            .ToListAsync(ct);
        return new OverdueReport(overdueDays, rows.Select(r =>
        {
            var due = Reflections.ReflectionService.DueOn(r.EndDate, overdueDays);
            return new OverdueReflection(r.Id, r.LeaderId, r.Leader, r.ManagerId, r.Manager, r.Code, r.Tour, r.EndDate, due,
                today.DayNumber - due.DayNumber);
        }).ToList());
    }

    // Capacity

    public async Task<CapacityReport> CapacityAsync(CancellationToken ct)
    {
        var loads = await catalogue.YearLoadAsync(null, clock.Today(), ct);
        var months = loads.SelectMany(l => l.Months.Select(m => m.Month)).Distinct().Order().ToList();
        return new CapacityReport(months, loads.Select(l => new CapacityTour(l.TourId, l.Code, l.Name, l.Capacity,
            l.Months.Select(m => new CapacityMonth(m.Month, m.Peak, l.Capacity, m.FullWeeks, m.Weeks)).ToList())).ToList());
    }

    // Comparison

    public async Task<IReadOnlyList<LeaderChoice>> LeaderChoicesAsync(CancellationToken ct) =>
        await Leaders().OrderBy(p => p.DisplayName).ThenBy(p => p.Email)
            .Select(p => new LeaderChoice(p.Id, p.DisplayName, p.LeaderProfile!.Cohort!.Name, (Level?)p.LeaderProfile!.TargetLevel))
            .ToListAsync(ct);

    /// <summary>
    /// Two to four leaders side by side for one readiness level. <paramref name="level"/> and
    /// <paramref name="leaders"/> come as the caller typed them; what is wrong with them is named by field.
    /// </summary>
    public async Task<Comparison> CompareAsync(string? level, IReadOnlyList<string> leaders, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Level parsed = default;
        if (string.IsNullOrWhiteSpace(level)) errors["level"] = ["Choose the level to compare the leaders for."];
        else if (!Enum.TryParse(level.Trim(), ignoreCase: true, out parsed) || !ReadinessCriteria.Levels.Contains(parsed))
            errors["level"] = [$"Use one of: {string.Join(", ", ReadinessCriteria.Levels)}."];

        var ids = new List<Guid>();
        var unreadable = false;
        foreach (var part in leaders.SelectMany(l => l.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (Guid.TryParse(part, out var id)) { if (!ids.Contains(id)) ids.Add(id); }
            else unreadable = true;
        }
        if (unreadable) errors["leaders"] = ["One of the leaders is not a valid id."];
        else if (ids.Count is < MinCompared or > MaxCompared)
            errors["leaders"] = [$"Choose {MinCompared} to {MaxCompared} leaders to compare; you chose {ids.Count}."];

        var people = ids.Count == 0 ? [] : await Leaders().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.DisplayName, Cohort = p.LeaderProfile!.Cohort!.Name, Target = (Level?)p.LeaderProfile!.TargetLevel })
            .ToListAsync(ct);
        if (!errors.ContainsKey("leaders") && people.Count != ids.Count)
            errors["leaders"] = ["One of the chosen people is not an active leader."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        var criteria = await db.ReadinessCriteria.AsNoTracking().Where(c => c.Level == parsed)
            .Select(c => new
            {
                c.MinDistinctTours, c.MinTotalWeeks,
                Required = c.RequiredTours.OrderBy(t => t.Tour!.Name).Select(t => new { t.TourId, t.Tour!.Code, t.Tour.Name }).ToList(),
            })
            .AsSplitQuery()
            .SingleAsync(ct);
        var stints = await Coverage.StintsOfAsync(db, db.Users.Where(p => ids.Contains(p.Id)).Select(p => p.Id), ct);
        var overdueDays = await OverdueDaysAsync(ct);
        var today = clock.Today();
        var overdueBefore = Reflections.ReflectionService.OverdueIfEndedBefore(today, overdueDays);
        var reflections = await (
                from s in db.Stints.AsNoTracking()
                where ids.Contains(s.LeaderId) && s.CancelledAt == null
                join r in db.Reflections.Where(r => r.SubmittedAt != null) on s.Id equals r.StintId into rs
                from r in rs.DefaultIfEmpty()
                where r != null || s.EndDate < overdueBefore
                group new { OnTime = r != null && r.OnTime == true } by s.LeaderId into g
                select new { LeaderId = g.Key, Due = g.Count(), OnTime = g.Count(x => x.OnTime) })
            .ToListAsync(ct);
        var feedback = await (
                from f in db.HostFeedback.AsNoTracking()
                join s in db.Stints on f.StintId equals s.Id
                where ids.Contains(s.LeaderId) && s.CancelledAt == null && f.SubmittedAt != null
                group f by s.LeaderId into g
                select new
                {
                    LeaderId = g.Key, Count = g.Count(),
                    Average = g.Average(f => (double)(f.Engagement!.Value + f.Curiosity!.Value + f.Collaboration!.Value + f.Impact!.Value) / 4),
                })
            .ToListAsync(ct);
        var decisions = await db.ReadinessReviews.AsNoTracking().Current()
            .Where(r => ids.Contains(r.LeaderId) && r.Level == parsed)
            .Select(r => new { r.LeaderId, r.Decision, r.DecisionLabel, r.SubmittedAt })
            .ToListAsync(ct);

        var compared = ids.Select(id =>
        {
            var p = people.Single(x => x.Id == id);
            var mine = stints[id].ToList();
            var all = Coverage.Of(mine, mine.Select(s => s.TourId).Distinct(), today);
            var required = Coverage.Of(mine, criteria.Required.Select(t => t.TourId), today)
                .Select(c => { var t = criteria.Required.Single(x => x.TourId == c.TourId); return new RequiredTourCoverage(t.Code, t.Name, c.Status, c.WeeksDone); })
                .ToList();
            var refl = reflections.SingleOrDefault(r => r.LeaderId == id);
            var fb = feedback.SingleOrDefault(f => f.LeaderId == id);
            var decision = decisions.Where(d => d.LeaderId == id).MaxBy(d => d.SubmittedAt);
            return new ComparedLeader(id, p.DisplayName, p.Cohort, p.Target,
                all.Count(c => c.Status == CoverageStatus.Done), all.Sum(c => c.WeeksDone), required,
                refl?.Due ?? 0, refl?.OnTime ?? 0, fb?.Average, fb?.Count ?? 0,
                decision?.Decision, decision?.DecisionLabel, decision?.SubmittedAt);
        }).ToList();
        return new Comparison(parsed, criteria.MinDistinctTours, criteria.MinTotalWeeks, compared);
    }

    // The readiness export

    /// <summary>One row per active leader (of the cohort, if given): the current decision per level, tours and weeks done, reflections missing.</summary>
    public async Task<IReadOnlyList<ReadinessRow>> ReadinessAsync(Guid? cohortId, CancellationToken ct)
    {
        if (cohortId is { } c) await CohortNameAsync(c, ct);
        var leaders = Leaders(cohortId);
        var leaderIds = leaders.Select(p => p.Id);
        var people = await leaders.OrderBy(p => p.DisplayName).ThenBy(p => p.Email)
            .Select(p => new { p.Id, p.DisplayName, p.Email, Cohort = p.LeaderProfile!.Cohort!.Name, Target = (Level?)p.LeaderProfile!.TargetLevel })
            .ToListAsync(ct);
        var decisions = await db.ReadinessReviews.AsNoTracking().Current().Where(r => leaderIds.Contains(r.LeaderId))
            .Select(r => new { r.LeaderId, r.Level, r.DecisionLabel, r.SubmittedAt }).ToListAsync(ct);
        var stints = await Coverage.StintsOfAsync(db, leaderIds, ct);
        var today = clock.Today();
        // A completed stint without a submitted reflection: what the "every stint reflected" criterion counts.
        var missing = await db.Stints.AsNoTracking()
            .Where(s => leaderIds.Contains(s.LeaderId) && s.CancelledAt == null && s.EndDate < today
                        && !db.Reflections.Any(r => r.StintId == s.Id && r.SubmittedAt != null))
            .GroupBy(s => s.LeaderId).Select(g => new { LeaderId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.LeaderId, x => x.Count, ct);
        var byLeader = decisions.ToLookup(d => d.LeaderId);

        return people.Select(p =>
        {
            var mine = stints[p.Id].ToList();
            var coverage = Coverage.Of(mine, mine.Select(s => s.TourId).Distinct(), today);
            var current = byLeader[p.Id].GroupBy(d => d.Level)
                .ToDictionary(g => g.Key, g => g.MaxBy(d => d.SubmittedAt)!.DecisionLabel ?? "");
            return new ReadinessRow(p.Id, p.DisplayName, p.Email ?? "", p.Cohort, p.Target, current,
                coverage.Count(x => x.Status == CoverageStatus.Done), coverage.Sum(x => x.WeeksDone), missing.GetValueOrDefault(p.Id));
        }).ToList();
    }

    // A manager's reports

    /// <summary>
    /// The manager's active direct reports: what they are on now and next, their overdue reflections and their latest
    /// decision (the most recent current review, at any level). Only people whose manager is <paramref name="managerId"/>.
    /// </summary>
    public async Task<IReadOnlyList<DirectReport>> DirectReportsAsync(Guid managerId, CancellationToken ct)
    {
        var reports = db.Users.AsNoTracking().Where(p => p.ManagerId == managerId && p.IsActive);
        var reportIds = reports.Select(p => p.Id);
        var people = await reports.OrderBy(p => p.DisplayName).ThenBy(p => p.Email)
            .Select(p => new { p.Id, p.DisplayName, Target = (Level?)p.LeaderProfile!.TargetLevel })
            .ToListAsync(ct);
        if (people.Count == 0) return [];

        var today = clock.Today();
        var overdueDays = await OverdueDaysAsync(ct);
        var overdueBefore = Reflections.ReflectionService.OverdueIfEndedBefore(today, overdueDays);
        var open = await db.Stints.AsNoTracking()
            .Where(s => reportIds.Contains(s.LeaderId) && s.CancelledAt == null && s.EndDate >= today)
            .OrderBy(s => s.StartDate)
            .Select(s => new { s.LeaderId, Brief = new StintBrief(s.Id, s.Tour!.Code, s.Tour.Name, s.StartDate, s.EndDate) })
            .ToListAsync(ct);
        var overdue = await db.Stints.AsNoTracking()
            .Where(s => reportIds.Contains(s.LeaderId) && s.CancelledAt == null && s.EndDate < overdueBefore
                        && !db.Reflections.Any(r => r.StintId == s.Id && r.SubmittedAt != null))
            .GroupBy(s => s.LeaderId).Select(g => new { LeaderId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.LeaderId, x => x.Count, ct);
        var decisions = await db.ReadinessReviews.AsNoTracking().Current().Where(r => reportIds.Contains(r.LeaderId))
            .Select(r => new { r.LeaderId, r.Level, r.DecisionLabel, r.SubmittedAt }).ToListAsync(ct);

        return people.Select(p =>
        {
            var mine = open.Where(s => s.LeaderId == p.Id).Select(s => s.Brief).ToList();
            var latest = decisions.Where(d => d.LeaderId == p.Id).MaxBy(d => d.SubmittedAt);
            return new DirectReport(p.Id, p.DisplayName, p.Target,
                mine.FirstOrDefault(s => s.StartDate <= today), mine.FirstOrDefault(s => s.StartDate > today),
                overdue.GetValueOrDefault(p.Id),
                latest is null ? null : new DecisionBrief(latest.Level, latest.DecisionLabel ?? "", latest.SubmittedAt!.Value));
        }).ToList();
    }
}
