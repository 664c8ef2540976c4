using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Planning;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Readiness;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;
using Kind = Rotations.Web.Features.Scheduling.StintKind;

namespace Rotations.Web.Features.Planning;

public sealed record PlanRequest(Guid? CohortId, DateOnly? From, DateOnly? To);

public sealed record PlanItemRequest(bool? Pinned, bool? Removed);

public sealed record PlanItemDto(int Position, Guid LeaderId, string LeaderName, Guid TourId, string TourCode, string TourName,
    Kind Kind, DateOnly StartDate, DateOnly EndDate, bool Pinned, bool Removed, Guid? StintId);

public sealed record UnplacedItem(Guid LeaderId, string LeaderName, Guid TourId, string TourCode, string TourName, Kind Kind, int Weeks,
    string Reason, string Fix);

public sealed record PlanMetricsDto(DateOnly? Makespan, DateOnly LowerBound, double GapPercent, double CapacityUse, int CompletionSpreadDays,
    int Placed, int Unplaced);

public sealed record PlanDto(Guid Id, Guid CohortId, string CohortName, DateOnly From, DateOnly To, PlanStatus Status,
    IReadOnlyList<PlanItemDto> Assignments, IReadOnlyList<UnplacedItem> Unplaced, PlanMetricsDto Metrics,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CommittedAt, uint Version);

public sealed record PlanSummary(Guid Id, string CohortName, DateOnly From, DateOnly To, PlanStatus Status, int Items, int Unplaced, DateTimeOffset CreatedAt);

/// <summary>
/// The auto-planner in the app: it works out, for each leader of a cohort, the tours still needed for their target
/// level (from the readiness criteria), hands them with every booked stint, the capacities and the unavailable periods
/// to the planning engine (<see cref="Planner"/>, a plain library), and keeps the proposal. HR removes or pins items
/// and plans again; committing books every item still in it in one transaction under the booking rules.
/// </summary>
public sealed class PlanningService(RotationsDbContext db, SchedulingService scheduling, TimeProvider clock)
{
    public const int MaxHorizonDays = 3 * 366;
    public const string ExecutiveCode = "EXEC";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public async Task<IReadOnlyList<PlanSummary>> ListAsync(CancellationToken ct) =>
        (await db.Plans.AsNoTracking().OrderByDescending(p => p.CreatedAt).Take(50)
            .Select(p => new { p.Id, Cohort = p.Cohort!.Name, p.FromDate, p.ToDate, p.Status, Items = p.Items.Count(i => !i.Removed), p.Unplaced, p.CreatedAt })
            .ToListAsync(ct))
        .Select(p => new PlanSummary(p.Id, p.Cohort, p.FromDate, p.ToDate, p.Status, p.Items,
            JsonSerializer.Deserialize<List<UnplacedItem>>(p.Unplaced, Json)?.Count ?? 0, p.CreatedAt))
        .ToList();

    public async Task<PlanDto> CreateAsync(PlanRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.CohortId is null) errors["cohortId"] = ["Choose the cohort to plan."];
        if (request.From is null) errors["from"] = ["Give the first day of the horizon."];
        if (request.To is null) errors["to"] = ["Give the last day of the horizon."];
        DateWindow.Check(request.From, "from", errors);
        DateWindow.Check(request.To, "to", errors);
        if (request.From is { } f && request.To is { } t)
        {
            if (t < f) errors["to"] = ["The horizon ends before it begins."];
            else if (t.DayNumber - f.DayNumber > MaxHorizonDays) errors["to"] = ["Plan at most three years ahead."];
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);
        if (!await db.Cohorts.AnyAsync(c => c.Id == request.CohortId, ct)) throw new ValidationFailedException("cohortId", "There is no such cohort.");

        var plan = new Plan
        {
            CohortId = request.CohortId!.Value, FromDate = request.From!.Value, ToDate = request.To!.Value, Status = PlanStatus.Proposed,
            CreatedById = user.PersonId(), CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow(),
        };
        await ProposeAsync(plan, [], [], ct);
        db.Plans.Add(plan);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return await GetAsync(plan.Id, ct);
    }

    public async Task<PlanDto> GetAsync(Guid id, CancellationToken ct)
    {
        // Two queries, the plan and its items: one joined query would repeat the plan's unplaced and metrics (jsonb,
        // tens of kilobytes for a big cohort) on every item's row, and read megabytes for a plan of thousands of items.
        var plan = await db.Plans.AsNoTracking().Where(p => p.Id == id).Select(p => new { Plan = p, Cohort = p.Cohort!.Name })
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("There is no such plan.");
        var items = await (from i in db.PlanItems.AsNoTracking()
                           where i.PlanId == id
                           join l in db.Users on i.LeaderId equals l.Id
                           join t in db.Tours on i.TourId equals t.Id
                           orderby i.Position
                           select new PlanItemDto(i.Position, i.LeaderId, l.DisplayName, i.TourId, t.Code, t.Name, i.Kind, i.StartDate, i.EndDate,
                               i.Pinned, i.Removed, i.StintId))
            .ToListAsync(ct);
        var p = plan.Plan;
        return new PlanDto(p.Id, p.CohortId, plan.Cohort, p.FromDate, p.ToDate, p.Status, items,
            JsonSerializer.Deserialize<List<UnplacedItem>>(p.Unplaced, Json) ?? [],
            JsonSerializer.Deserialize<PlanMetricsDto>(p.Metrics, Json)!,
            p.CreatedAt, p.UpdatedAt, p.CommittedAt, p.Version);
    }

    /// <summary>Pins or removes one item (or undoes it). Planning again keeps pinned items and leaves removed needs out.</summary>
    public async Task<PlanDto> SetItemAsync(Guid id, int position, uint? expectedVersion, PlanItemRequest request, CancellationToken ct)
    {
        var plan = await LockProposedAsync(id, expectedVersion, ct);
        var item = plan.Items.SingleOrDefault(i => i.Position == position) ?? throw new NotFoundException($"This plan has no item {position}.");
        if (request.Pinned is { } pinned) item.Pinned = pinned;
        if (request.Removed is { } removed) item.Removed = removed;
        if (item.Removed) item.Pinned = false;
        plan.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return await GetAsync(id, ct);
    }

    /// <summary>Plans again around the pinned items, without the removed ones, against what is booked now.</summary>
    public async Task<PlanDto> ReplanAsync(Guid id, uint? expectedVersion, CancellationToken ct)
    {
        // One transaction, the plan's row locked: the old items go only with the new ones in (a failure keeps the plan
        // as it was), and a second replan of the same plan (another tab, another node) waits, then finds its version stale.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var plan = await LockProposedAsync(id, expectedVersion, ct, forUpdate: true);
        var pinned = plan.Items.Where(i => i.Pinned && !i.Removed).ToList();
        var removed = plan.Items.Where(i => i.Removed).ToList();
        // One statement for the old items (a plan has thousands; EF deleted them one by one).
        foreach (var item in plan.Items) db.Entry(item).State = EntityState.Detached;
        plan.Items.Clear();
        await db.PlanItems.Where(i => i.PlanId == plan.Id).ExecuteDeleteAsync(ct);
        await ProposeAsync(plan, pinned, removed, ct);
        plan.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await GetAsync(id, ct);
    }

    /// <summary>
    /// Books every item still in the plan in one transaction, re-checking every rule: if another coordinator booked in
    /// the meantime, nothing is written and the clashes are named (409).
    /// </summary>
    public async Task<PlanDto> CommitAsync(Guid id, uint? expectedVersion, ClaimsPrincipal user, CancellationToken ct)
    {
        // One transaction for the stints and the plan; the plan's row lock makes a second commit (another tab, another
        // node) wait, then find it committed.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var plan = await LockProposedAsync(id, expectedVersion, ct, forUpdate: true);
        var items = plan.Items.Where(i => !i.Removed).OrderBy(i => i.Position).ToList();
        if (items.Count == 0) throw new ConflictException("Nothing to commit: every item of this plan was removed.", [new Clash("Empty", "No items", [])]);
        var stints = await scheduling.BookManyAsync(items.Select(i =>
            new StintRequest(i.LeaderId, i.TourId, null, i.StartDate, i.EndDate, i.Kind, "")).ToList(), ct);
        for (var k = 0; k < items.Count; k++) items[k].StintId = stints[k].Id;
        plan.Status = PlanStatus.Committed;
        plan.CommittedAt = clock.GetUtcNow();
        plan.CommittedById = user.PersonId();
        plan.UpdatedAt = plan.CommittedAt.Value;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await GetAsync(id, ct);
    }

    public async Task DiscardAsync(Guid id, uint? expectedVersion, CancellationToken ct)
    {
        var plan = await LockProposedAsync(id, expectedVersion, ct);
        plan.Status = PlanStatus.Discarded;
        plan.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    private async Task<Plan> LockProposedAsync(Guid id, uint? expectedVersion, CancellationToken ct, bool forUpdate = false)
    {
        var plans = forUpdate ? db.Plans.FromSql($"select *, xmin from plans where id = {id} for update") : db.Plans.Where(p => p.Id == id);
        var plan = await plans.SingleOrDefaultAsync(ct) ?? throw new NotFoundException("There is no such plan.");
        // The items in a query of their own (not an Include, which would repeat the plan's jsonb on every item's row).
        await db.Entry(plan).Collection(p => p.Items).LoadAsync(ct);
        if (plan.Status != PlanStatus.Proposed)
            throw new ConflictException(plan.Status == PlanStatus.Committed ? "This plan was committed already: its stints are booked." : "This plan was discarded.",
                [new Clash("Plan", plan.Status.ToString(), [])]);
        if (expectedVersion is { } v && v != plan.Version) throw new StaleVersionException("This plan");
        return plan;
    }

    /// <summary>Runs the engine for the plan's cohort and horizon and writes its proposal into the plan.</summary>
    private async Task ProposeAsync(Plan plan, IReadOnlyList<PlanItem> pinned, IReadOnlyList<PlanItem> removed, CancellationToken ct)
    {
        var input = await InputAsync(plan.CohortId, plan.FromDate, plan.ToDate, pinned, removed, ct);
        var result = Planner.Plan(input);
        var names = input.Leaders.ToDictionary(l => l.Id, l => l.Name);
        var tours = input.Tours.ToDictionary(t => t.Id);
        var position = 0;
        foreach (var s in result.Stints)
            plan.Items.Add(new PlanItem
            {
                PlanId = plan.Id, Position = ++position, LeaderId = s.LeaderId, TourId = s.TourId, Kind = ToKind(s.Kind),
                StartDate = s.Start, EndDate = s.End, Pinned = s.Pinned,
            });
        foreach (var r in removed)
            plan.Items.Add(new PlanItem
            {
                PlanId = plan.Id, Position = ++position, LeaderId = r.LeaderId, TourId = r.TourId, Kind = r.Kind,
                StartDate = r.StartDate, EndDate = r.EndDate, Removed = true,
            });
        plan.Unplaced = JsonSerializer.Serialize(result.Unplaced.Select(u => new UnplacedItem(u.LeaderId, names.GetValueOrDefault(u.LeaderId, "?"),
            u.TourId, tours.TryGetValue(u.TourId, out var t) ? t.Code : "?", tours.TryGetValue(u.TourId, out var t2) ? t2.Name : "?",
            ToKind(u.Kind), u.Weeks, Sentence(u.Reason), Sentence(u.Fix))).ToList(), Json);
        var m = result.Metrics;
        plan.Metrics = JsonSerializer.Serialize(new PlanMetricsDto(m.Makespan, m.LowerBound, Math.Round(m.GapPercent, 1), Math.Round(m.CapacityUse, 3),
            m.CompletionSpreadDays, m.Placed, m.UnplacedCount), Json);
    }

    /// <summary>
    /// What the engine needs, read in a fixed handful of queries: the active tours; the cohort's active leaders with
    /// their target level's criteria, their stints and unavailable periods; every stint booked in the horizon (all
    /// leaders: they take places); and the needs — the required tours not yet covered, then other tours until the
    /// minimum of distinct tours is reached (the least demanded first), as orientations of the tour's typical length,
    /// made full assignments (non-executive first) while the minimum of weeks is not reached.
    /// </summary>
    internal async Task<PlanningInput> InputAsync(Guid cohortId, DateOnly from, DateOnly to, IReadOnlyList<PlanItem> pinned,
        IReadOnlyList<PlanItem> removed, CancellationToken ct)
    {
        var tours = await db.Tours.AsNoTracking().Where(t => !t.IsRetired).OrderBy(t => t.Code).ToListAsync(ct);
        var leaders = await db.Users.AsNoTracking()
            .Where(p => p.IsActive && p.LeaderProfile != null && p.LeaderProfile.CohortId == cohortId)
            .OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.DisplayName, Target = p.LeaderProfile!.TargetLevel })
            .ToListAsync(ct);
        var ids = leaders.Select(l => l.Id).ToList();
        var criteria = await db.ReadinessCriteria.AsNoTracking().Include(c => c.RequiredTours).ToDictionaryAsync(c => c.Level, ct);
        var theirStints = await db.Stints.AsNoTracking().Where(s => ids.Contains(s.LeaderId) && s.CancelledAt == null)
            .Select(s => new { s.LeaderId, s.TourId, s.StartDate, s.EndDate }).ToListAsync(ct);
        var booked = await db.Stints.AsNoTracking().Where(s => s.CancelledAt == null && s.StartDate <= to && s.EndDate >= from)
            .Select(s => new BookedStint(s.LeaderId, s.TourId, s.StartDate, s.EndDate)).ToListAsync(ct);
        var away = (await db.Unavailability.AsNoTracking().Where(u => ids.Contains(u.PersonId) && u.FromDate <= to && u.ToDate >= from)
            .Select(u => new { u.PersonId, u.FromDate, u.ToDate }).ToListAsync(ct)).ToLookup(u => u.PersonId);

        var byId = tours.ToDictionary(t => t.Id);
        var demand = tours.ToDictionary(t => t.Id, _ => 0);
        var removedNeeds = removed.Select(r => (r.LeaderId, r.TourId)).ToHashSet();
        var pinnedNeeds = pinned.Select(p => (p.LeaderId, p.TourId)).ToHashSet();
        var planLeaders = new List<PlanLeader>();
        foreach (var leader in leaders)
        {
            var level = ReadinessCriteria.Levels.Contains(leader.Target) ? leader.Target : Level.HeadOf;
            var c = criteria[level];
            var mine = theirStints.Where(s => s.LeaderId == leader.Id).ToList();
            var covered = mine.Select(s => s.TourId).ToHashSet();
            var weeks = mine.Sum(s => Coverage.Weeks(s.StartDate, s.EndDate));
            var wanted = c.RequiredTours.Select(r => r.TourId).Where(byId.ContainsKey).Where(t => !covered.Contains(t)).OrderBy(t => byId[t].Code).ToList();
            foreach (var extra in tours.Where(t => !covered.Contains(t.Id) && !wanted.Contains(t.Id))
                         .OrderBy(t => (double)demand[t.Id] / Math.Max(1, t.Capacity)).ThenBy(t => t.Code))
            {
                if (covered.Count + wanted.Count >= c.MinDistinctTours) break;
                wanted.Add(extra.Id);
            }
            var needs = wanted.Where(t => !removedNeeds.Contains((leader.Id, t)))
                .Select(t => new Need(t, Rotations.Planning.StintKind.Orientation, byId[t].OrientationTypicalWeeks)).ToList();
            weeks += needs.Sum(n => n.Weeks);
            // Short of the weeks the level asks: full assignments instead of orientations, outside executive management first.
            foreach (var i in Enumerable.Range(0, needs.Count).OrderBy(i => byId[needs[i].TourId].Code == ExecutiveCode ? 1 : 0).ThenBy(i => byId[needs[i].TourId].Code))
            {
                if (weeks >= c.MinTotalWeeks) break;
                var tour = byId[needs[i].TourId];
                weeks += tour.AssignmentTypicalWeeks - needs[i].Weeks;
                needs[i] = new Need(tour.Id, Rotations.Planning.StintKind.Assignment, tour.AssignmentTypicalWeeks);
            }
            // A pinned item stands for its need: the engine places it as given.
            needs.RemoveAll(n => pinnedNeeds.Contains((leader.Id, n.TourId)));
            foreach (var n in needs) demand[n.TourId]++;
            planLeaders.Add(new PlanLeader(leader.Id, leader.DisplayName, needs,
                away[leader.Id].Select(u => new Period(u.FromDate, u.ToDate)).ToList()));
        }
        return new PlanningInput(from, to,
            tours.Select(t => new PlanTour(t.Id, t.Code, t.Name, t.Capacity, t.Code == ExecutiveCode)).ToList(),
            planLeaders, booked,
            pinned.Select(p => new PinnedStint(p.LeaderId, p.TourId, FromKind(p.Kind), p.StartDate, p.EndDate)).ToList(),
            new PlanningRules());
    }

    /// <summary>The engine's phrases as sentences on a page: a capital first letter.</summary>
    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static Kind ToKind(Rotations.Planning.StintKind kind) => kind == Rotations.Planning.StintKind.Assignment ? Kind.Assignment : Kind.Orientation;
    private static Rotations.Planning.StintKind FromKind(Kind kind) => kind == Kind.Assignment ? Rotations.Planning.StintKind.Assignment : Rotations.Planning.StintKind.Orientation;
}
