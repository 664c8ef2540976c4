using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Catalogue;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Scheduling;

/// <summary>What a coordinator asks for when booking or rescheduling a stint. Nullable so that a missing field is named.</summary>
public sealed record StintRequest(
    Guid? LeaderId, Guid? TourId, Guid? HostId, DateOnly? StartDate, DateOnly? EndDate, StintKind? Kind, string? Objectives);

/// <summary>
/// The scheduling rules that span many rows: a leader never has two overlapping stints, a tour never
/// holds more leaders than its capacity on any day. They are checked inside the transaction that writes,
/// with the tour's and the leader's rows locked (always in that order), so two coordinators booking the
/// last place at once cannot both succeed.
/// </summary>
public sealed class SchedulingService(RotationsDbContext db, TimeProvider clock)
{
    public const int MaxObjectivesLength = 20_000;

    public async Task<Stint> BookAsync(StintRequest request, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.LeaderId is null) errors["leaderId"] = ["Choose the leader."];
        if (request.TourId is null) errors["tourId"] = ["Choose the tour."];
        CheckDatesAndKind(request, errors);
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var tour = await LockTourAsync(request.TourId!.Value, "tourId", ct);
        await LockLeaderAsync(request.LeaderId!.Value, ct);
        if (tour.IsRetired) throw new ValidationFailedException("tourId", $"{tour.Name} ({tour.Code}) is retired: it takes no new stints.");

        var stint = Stint.Plan(request.LeaderId.Value, tour.Id, request.HostId, request.StartDate!.Value, request.EndDate!.Value,
            request.Kind!.Value, request.Objectives ?? "");
        await CheckRulesAsync(stint, tour, ct, checkHostStanding: true);

        db.Stints.Add(stint);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return stint;
    }

    /// <summary>
    /// Books several stints in one transaction (a planner's commit): every rule is checked for each one, against what
    /// is booked and against the others in the batch. If any is refused, nothing is written and every refusal is named.
    /// Tours and leaders are locked in id order, so two batches (or a batch and a single booking) cannot deadlock.
    /// </summary>
    public async Task<IReadOnlyList<Stint>> BookManyAsync(IReadOnlyList<StintRequest> requests, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < requests.Count; i++)
        {
            var one = new Dictionary<string, string[]>();
            if (requests[i].LeaderId is null) one["leaderId"] = ["Choose the leader."];
            if (requests[i].TourId is null) one["tourId"] = ["Choose the tour."];
            CheckDatesAndKind(requests[i], one);
            foreach (var (field, messages) in one) errors[$"items[{i}].{field}"] = messages;
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        // Inside the caller's transaction when there is one (a plan's commit records its stints in the same one).
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var tours = new Dictionary<Guid, Tour>();
        foreach (var tourId in requests.Select(r => r.TourId!.Value).Distinct().Order())
            tours[tourId] = await LockTourAsync(tourId, "tourId", ct);
        var clashes = new List<Clash>();
        foreach (var leaderId in requests.Select(r => r.LeaderId!.Value).Distinct().Order())
        {
            try { await LockLeaderAsync(leaderId, ct); }
            catch (ValidationFailedException ex) { clashes.AddRange(ex.Errors.Values.SelectMany(m => m).Select(m => new Clash("Leader", m, []))); }
        }
        var booked = new List<Stint>();
        foreach (var request in requests)
        {
            var tour = tours[request.TourId!.Value];
            if (tour.IsRetired)
            {
                clashes.Add(new Clash("Retired", $"{tour.Name} ({tour.Code}) is retired: it takes no new stints.", []));
                continue;
            }
            var stint = Stint.Plan(request.LeaderId!.Value, tour.Id, request.HostId, request.StartDate!.Value, request.EndDate!.Value,
                request.Kind!.Value, request.Objectives ?? "");
            try
            {
                await CheckRulesAsync(stint, tour, ct, checkHostStanding: true);
            }
            catch (ConflictException ex)
            {
                clashes.AddRange(ex.Clashes);
                continue;
            }
            catch (ValidationFailedException ex)
            {
                clashes.AddRange(ex.Errors.Values.SelectMany(m => m).Select(m => new Clash("Invalid", $"{tour.Code} from {stint.StartDate:yyyy-MM-dd}: {m}", [])));
                continue;
            }
            // Saved at once, inside the transaction, so the next stint's checks see it.
            db.Stints.Add(stint);
            await db.SaveChangesAsync(ct);
            booked.Add(stint);
        }
        if (clashes.Count > 0)
        {
            db.ChangeTracker.Clear();
            throw new ConflictException(clashes); // the transaction is rolled back: nothing of the batch stays
        }
        if (tx is not null) await tx.CommitAsync(ct);
        return booked;
    }

    /// <summary>New dates, kind, host or objectives for a stint the caller loaded at <paramref name="expectedVersion"/>.</summary>
    public async Task<Stint> RescheduleAsync(Guid id, uint expectedVersion, StintRequest request, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        CheckDatesAndKind(request, errors);
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        var keys = await db.Stints.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.TourId, s.LeaderId }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("There is no such stint.");
        if (request.LeaderId is { } l && l != keys.LeaderId)
            throw new ValidationFailedException("leaderId", "A stint's leader cannot change: cancel it and book a new one.");
        if (request.TourId is { } t && t != keys.TourId)
            throw new ValidationFailedException("tourId", "A stint's tour cannot change: cancel it and book a new one.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var tour = await LockTourAsync(keys.TourId, "tourId", ct);
        await LockLeaderAsync(keys.LeaderId, ct);
        // Locked too, so a cancel or an objectives edit cannot slip in between the version check and the write.
        var stint = await db.Stints.FromSql($"select *, xmin from stints where id = {id} for update").SingleAsync(ct);
        if (stint.Version != expectedVersion) throw new StaleVersionException("This stint");

        var hostChanged = request.HostId != stint.HostId;
        stint.Reschedule(request.StartDate!.Value, request.EndDate!.Value, request.HostId, request.Kind!.Value);
        if (request.Objectives is not null) stint.Objectives = request.Objectives;
        await CheckRulesAsync(stint, tour, ct, checkHostStanding: hostChanged);

        await SaveGuardedAsync(ct);
        await tx.CommitAsync(ct);
        return stint;
    }

    public async Task<Stint> CancelAsync(Guid id, uint? expectedVersion, string? reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new ValidationFailedException("reason", "Say why the stint is cancelled.");
        if (reason.Length > 500) throw new ValidationFailedException("reason", "The reason is longer than 500 characters.");
        var stint = await db.Stints.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("There is no such stint.");
        if (expectedVersion is { } v && stint.Version != v) throw new StaleVersionException("This stint");
        stint.Cancel(reason.Trim(), clock.GetUtcNow());
        await SaveGuardedAsync(ct);
        return stint;
    }

    /// <summary>The host (or HR) confirms that the department expects the leader.</summary>
    public async Task<Stint> ConfirmAsync(Guid id, Guid confirmedBy, CancellationToken ct = default)
    {
        var stint = await db.Stints.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("There is no such stint.");
        stint.Confirm(confirmedBy, clock.GetUtcNow());
        await SaveGuardedAsync(ct);
        return stint;
    }

    /// <summary>The leader's own objectives; any status but cancelled.</summary>
    public async Task<Stint> SetObjectivesAsync(Guid id, uint? expectedVersion, string? objectives, CancellationToken ct = default)
    {
        if ((objectives?.Length ?? 0) > MaxObjectivesLength)
            throw new ValidationFailedException("objectives", $"Objectives are limited to {MaxObjectivesLength:N0} characters.");
        var stint = await db.Stints.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("There is no such stint.");
        if (expectedVersion is { } v && stint.Version != v) throw new StaleVersionException("This stint");
        if (stint.IsCancelled) throw new ConflictException("A cancelled stint cannot be changed.", stint.Id);
        stint.Objectives = objectives ?? "";
        await SaveGuardedAsync(ct);
        return stint;
    }

    private async Task SaveGuardedAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException("This stint");
        }
    }

    private static void CheckDatesAndKind(StintRequest request, Dictionary<string, string[]> errors)
    {
        if (request.StartDate is null) errors["startDate"] = ["Enter the first day of the stint."];
        if (request.EndDate is null) errors["endDate"] = ["Enter the last day of the stint."];
        if (request.Kind is null) errors["kind"] = ["Choose Orientation or Assignment."];
        DateWindow.Check(request.StartDate, "startDate", errors);
        DateWindow.Check(request.EndDate, "endDate", errors);
        if (request.StartDate is { } s && request.EndDate is { } e && e < s)
            errors["endDate"] = [$"The last day ({e:yyyy-MM-dd}) is before the first day ({s:yyyy-MM-dd})."];
        if ((request.Objectives?.Length ?? 0) > MaxObjectivesLength)
            errors["objectives"] = [$"Objectives are limited to {MaxObjectivesLength:N0} characters."];
    }

    private async Task<Tour> LockTourAsync(Guid tourId, string field, CancellationToken ct)
    {
        var tour = await db.Tours.FromSql($"select *, xmin from tours where id = {tourId} for update")
            .AsNoTracking().Include(t => t.Hosts).SingleOrDefaultAsync(ct);
        return tour ?? throw new ValidationFailedException(field, "There is no such tour.");
    }

    private async Task LockLeaderAsync(Guid leaderId, CancellationToken ct)
    {
        var leader = await db.Users.FromSql($"select * from people where id = {leaderId} for update")
            .AsNoTracking().Select(p => new { p.IsActive, p.DisplayName }).SingleOrDefaultAsync(ct)
            ?? throw new ValidationFailedException("leaderId", "There is no such person.");
        var isLeader = await db.UserRoles.AnyAsync(ur => ur.UserId == leaderId &&
            db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Leader), ct);
        if (!isLeader) throw new ValidationFailedException("leaderId", $"{leader.DisplayName} is not a leader on the programme.");
        if (!leader.IsActive) throw new ValidationFailedException("leaderId", $"{leader.DisplayName} is deactivated.");
    }

    /// <summary>Length, host, overlap and capacity; throws naming every clash.</summary>
    private async Task CheckRulesAsync(Stint stint, Tour tour, CancellationToken ct, bool checkHostStanding)
    {
        var bounds = tour.Bounds(stint.Kind);
        if (!bounds.Fits(stint.Days))
            throw new ValidationFailedException("endDate",
                $"{(stint.Kind == StintKind.Orientation ? "An orientation stint" : "An assignment")} at {tour.Name} ({tour.Code}) lasts " +
                $"{bounds.Min} to {bounds.Max} weeks; this one spans {WeekBounds.WeeksSpanned(stint.Days)} weeks ({stint.Days} days).");
        if (stint.HostId is { } self && self == stint.LeaderId)
            throw new ValidationFailedException("hostId", "A leader does not host their own stint: the host gives feedback on them.");
        if (stint.HostId is { } hostId && tour.Hosts.All(h => h.PersonId != hostId))
        {
            var name = await db.Users.Where(p => p.Id == hostId).Select(p => p.DisplayName).FirstOrDefaultAsync(ct);
            throw new ValidationFailedException("hostId", name is null
                ? "There is no such person."
                : $"{name} does not host {tour.Name} ({tour.Code}). Add them as a host of the tour first.");
        }
        // A host kept on a tour's list after leaving the role, or deactivated, takes no new leaders.
        if (checkHostStanding && stint.HostId is { } newHost)
        {
            var host = await db.Users.Where(p => p.Id == newHost)
                .Select(p => new { p.DisplayName, p.IsActive, IsHost = db.UserRoles.Any(ur => ur.UserId == p.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Host)) })
                .SingleAsync(ct);
            if (!host.IsActive) throw new ValidationFailedException("hostId", $"{host.DisplayName} is deactivated: choose another host.");
            if (!host.IsHost) throw new ValidationFailedException("hostId", $"{host.DisplayName} no longer has the Host role: choose another host.");
        }

        var clashes = new List<Clash>();
        var overlapping = await db.Stints.AsNoTracking()
            .Where(s => s.LeaderId == stint.LeaderId && s.Id != stint.Id && s.CancelledAt == null
                && s.StartDate <= stint.EndDate && s.EndDate >= stint.StartDate)
            .OrderBy(s => s.StartDate)
            .Select(s => new { s.Id, s.StartDate, s.EndDate, s.Tour!.Code, TourName = s.Tour.Name, Leader = s.Leader!.DisplayName })
            .ToListAsync(ct);
        foreach (var o in overlapping)
            clashes.Add(new Clash("Overlap",
                $"{o.Leader} already has {o.TourName} ({o.Code}) from {o.StartDate:yyyy-MM-dd} to {o.EndDate:yyyy-MM-dd}, " +
                $"which overlaps {stint.StartDate:yyyy-MM-dd} to {stint.EndDate:yyyy-MM-dd}.",
                [o.Id], Max(o.StartDate, stint.StartDate), Min(o.EndDate, stint.EndDate)));

        var sharing = await db.Stints.AsNoTracking()
            .Where(s => s.TourId == tour.Id && s.Id != stint.Id && s.CancelledAt == null
                && s.StartDate <= stint.EndDate && s.EndDate >= stint.StartDate)
            .Select(s => new Occupant(s.Id, s.StartDate, s.EndDate, s.Leader!.DisplayName))
            .ToListAsync(ct);
        clashes.AddRange(FullPeriods(stint, sharing, tour.Capacity).Select(p => new Clash("Capacity",
            $"{tour.Name} ({tour.Code}) is full from {p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd}: " +
            $"{tour.Capacity} of {tour.Capacity} {(tour.Capacity == 1 ? "place" : "places")} taken by {Names(p.Occupants)}.",
            p.Occupants.Select(o => o.Id).ToList(), p.From, p.To)));

        if (clashes.Count > 0) throw new ConflictException(clashes);
    }

    private sealed record Occupant(Guid Id, DateOnly Start, DateOnly End, string Leader);
    private sealed record FullPeriod(DateOnly From, DateOnly To, IReadOnlyList<Occupant> Occupants);

    /// <summary>Maximal runs of days within the stint on which the tour is already at capacity.</summary>
    private static List<FullPeriod> FullPeriods(Stint stint, IReadOnlyList<Occupant> others, int capacity)
    {
        var periods = new List<FullPeriod>();
        if (others.Count < capacity) return periods;
        DateOnly? runStart = null;
        HashSet<Occupant> runOccupants = [];
        for (var day = stint.StartDate; day <= stint.EndDate.AddDays(1); day = day.AddDays(1))
        {
            var present = day <= stint.EndDate ? others.Where(o => o.Start <= day && o.End >= day).ToList() : [];
            if (present.Count >= capacity)
            {
                runStart ??= day;
                runOccupants.UnionWith(present);
            }
            else if (runStart is { } from)
            {
                periods.Add(new FullPeriod(from, day.AddDays(-1), runOccupants.OrderBy(o => o.Start).ToList()));
                runStart = null;
                runOccupants = [];
            }
        }
        return periods;
    }

    private static string Names(IReadOnlyList<Occupant> occupants)
    {
        var names = occupants.Select(o => o.Leader).Distinct().ToList();
        return names.Count == 1 ? names[0] : string.Join(", ", names[..^1]) + " and " + names[^1];
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
