using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Catalogue;

public sealed record WeeksDto(int Min, int Typical, int Max);

public sealed record HostDto(Guid Id, string DisplayName);

/// <summary>A tour as the API and the pages show it. Reflection prompts are one per line.</summary>
public sealed record TourDto(
    Guid Id, string Code, string Name, string Summary, string OutsideIn, string InsideOut, string ReflectionPrompts,
    WeeksDto OrientationWeeks, WeeksDto AssignmentWeeks, int Capacity, bool IsRetired, IReadOnlyList<HostDto> Hosts, uint Version);

/// <summary>Weeks as a caller sends them: nullable, so that a missing one is named.</summary>
public sealed record WeeksRequest(int? Min, int? Typical, int? Max);

/// <summary>What HR sends to create or change a tour. Nullable, so that a missing field is named; the texts and hosts may be left out.</summary>
public sealed record TourRequest(
    string? Code, string? Name, WeeksRequest? OrientationWeeks, WeeksRequest? AssignmentWeeks, int? Capacity,
    string? Summary = null, string? OutsideIn = null, string? InsideOut = null, string? ReflectionPrompts = null,
    IReadOnlyList<Guid>? HostIds = null);

/// <summary>The busiest day's count of leaders at a tour in the week starting <see cref="Monday"/>.</summary>
public sealed record WeekLoad(DateOnly Monday, int Peak);

/// <summary>A month (of the weeks' Mondays): its busiest day, and how many of its weeks the tour is full.</summary>
public sealed record MonthLoad(DateOnly Month, int Peak, int FullWeeks, int Weeks);

/// <summary>A tour's load over the next year, by week and by month.</summary>
public sealed record TourLoad(Guid TourId, string Code, string Name, int Capacity, IReadOnlyList<WeekLoad> Weeks, IReadOnlyList<MonthLoad> Months);

/// <summary>A person who may be chosen as a host: active and in the Host role.</summary>
public sealed record HostCandidate(Guid Id, string DisplayName, string Email);

/// <summary>A leader on the tour now or soon: shown to HR, Admins and the tour's hosts only.</summary>
public sealed record HostedLeader(Guid StintId, Guid LeaderId, string LeaderName, DateOnly StartDate, DateOnly EndDate,
    StintKind Kind, string? HostName, StintStatus Status);

/// <summary>
/// The tours catalogue: HR creates, edits, retires and reinstates tours. A tour is never deleted, since
/// stints point at it. Edits carry the version the editor loaded; the capacity may only go down to what
/// is already booked on every future day, checked with the tour's row locked like SchedulingService does,
/// so a booking and a capacity cut cannot slip past each other.
/// </summary>
public sealed partial class CatalogueService(RotationsDbContext db, TimeProvider clock)
{
    public const int MaxTextLength = 4_000;
    public const int MaxNameLength = 100;
    public const int MaxWeeks = 104;
    public const int MaxCapacity = 100;

    /// <summary>Codes that would collide with a page address (/Tours/Edit).</summary>
    private static readonly HashSet<string> ReservedCodes = ["EDIT"];

    [GeneratedRegex("^[A-Z0-9_]{2,16}$")]
    private static partial Regex CodePattern();

    // Reads

    public async Task<IReadOnlyList<TourDto>> ListAsync(bool includeRetired, CancellationToken ct = default) =>
        await Project(db.Tours.AsNoTracking().Where(t => includeRetired || !t.IsRetired)
                .OrderBy(t => t.IsRetired).ThenBy(t => t.Name).ThenBy(t => t.Code))
            .ToListAsync(ct);

    public async Task<TourDto> GetAsync(Guid id, CancellationToken ct = default) =>
        await Project(db.Tours.AsNoTracking().Where(t => t.Id == id)).SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("There is no such tour.");

    public async Task<TourDto?> FindByCodeAsync(string code, CancellationToken ct = default)
    {
        var normal = code.Trim().ToUpperInvariant();
        return await Project(db.Tours.AsNoTracking().Where(t => t.Code == normal)).SingleOrDefaultAsync(ct);
    }

    /// <summary>Active people in the Host role, by name: who the edit form offers.</summary>
    public async Task<IReadOnlyList<HostCandidate>> HostCandidatesAsync(CancellationToken ct = default) =>
        await HostRolePeople()
            .Where(p => p.IsActive)
            .OrderBy(p => p.DisplayName).ThenBy(p => p.Email)
            .Select(p => new HostCandidate(p.Id, p.DisplayName, p.Email ?? ""))
            .ToListAsync(ct);

    /// <summary>Hosts who can no longer be chosen (deactivated or out of the Host role) but still host the tour.</summary>
    public async Task<IReadOnlyList<HostCandidate>> LapsedHostsAsync(Guid tourId, CancellationToken ct = default)
    {
        var eligible = HostRolePeople().Where(p => p.IsActive).Select(p => p.Id);
        return await db.TourHosts.AsNoTracking()
            .Where(h => h.TourId == tourId && !eligible.Contains(h.PersonId))
            .OrderBy(h => h.Person!.DisplayName)
            .Select(h => new HostCandidate(h.PersonId, h.Person!.DisplayName, h.Person.Email ?? ""))
            .ToListAsync(ct);
    }

    /// <summary>Who may see the names of the leaders a tour hosts: HR, Admins and the tour's own hosts.</summary>
    public static bool SeesHostedLeaders(ClaimsPrincipal user, TourDto tour) =>
        user.SeesAllStints() || tour.Hosts.Any(h => h.Id == user.PersonId());

    /// <summary>Stints that are not cancelled, under way on or starting after <paramref name="from"/>, up to <paramref name="until"/>.</summary>
    public async Task<IReadOnlyList<HostedLeader>> HostedLeadersAsync(Guid tourId, DateOnly from, DateOnly until, CancellationToken ct = default)
    {
        var rows = await db.Stints.AsNoTracking()
            .Where(s => s.TourId == tourId && s.CancelledAt == null && s.EndDate >= from && s.StartDate <= until)
            .OrderBy(s => s.StartDate).ThenBy(s => s.Leader!.DisplayName)
            .Select(s => new
            {
                s.Id, s.LeaderId, Leader = s.Leader!.DisplayName, s.StartDate, s.EndDate, s.Kind,
                Host = s.Host == null ? null : s.Host.DisplayName, s.ConfirmedAt,
            })
            .ToListAsync(ct);
        return rows.Select(r => new HostedLeader(r.Id, r.LeaderId, r.Leader, r.StartDate, r.EndDate, r.Kind, r.Host,
            r.StartDate <= from ? StintStatus.InProgress : r.ConfirmedAt is null ? StintStatus.Planned : StintStatus.Confirmed)).ToList();
    }

    /// <summary>
    /// How full each tour is over the next year, week by week from this week's Monday: the busiest day's count per
    /// week, and per month (of the weeks' Mondays) the busiest day and the weeks full. One query for all the tours;
    /// the tour page charts one tour with it (<paramref name="tourId"/>), the capacity report every tour not retired (null).
    /// </summary>
    public async Task<IReadOnlyList<TourLoad>> YearLoadAsync(Guid? tourId, DateOnly today, CancellationToken ct = default)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var last = monday.AddDays(LoadWeeks * 7 - 1);
        var tours = tourId is { } id ? db.Tours.Where(t => t.Id == id) : db.Tours.Where(t => !t.IsRetired);
        var rows = await tours.AsNoTracking()
            .OrderBy(t => t.Name).ThenBy(t => t.Code)
            .Select(t => new
            {
                t.Id, t.Code, t.Name, t.Capacity,
                Stints = db.Stints.Where(s => s.TourId == t.Id && s.CancelledAt == null && s.EndDate >= monday && s.StartDate <= last)
                    .Select(s => new { s.StartDate, s.EndDate }).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(ct);
        return rows.Select(t =>
        {
            var perDay = DailyCounts(monday, last, t.Stints.Select(s => (s.StartDate, s.EndDate)));
            var weeks = Enumerable.Range(0, LoadWeeks)
                .Select(w => new WeekLoad(monday.AddDays(w * 7), perDay.Skip(w * 7).Take(7).Max()))
                .ToList();
            var months = weeks
                .GroupBy(w => new DateOnly(w.Monday.Year, w.Monday.Month, 1))
                .Select(g => new MonthLoad(g.Key, g.Max(w => w.Peak), g.Count(w => w.Peak >= t.Capacity), g.Count()))
                .ToList();
            return new TourLoad(t.Id, t.Code, t.Name, t.Capacity, weeks, months);
        }).ToList();
    }

    /// <summary>The weeks <see cref="YearLoadAsync"/> covers: a year, counted in whole weeks.</summary>
    public const int LoadWeeks = 52;

    // Writes

    public async Task<TourDto> CreateAsync(TourRequest request, CancellationToken ct = default)
    {
        var fields = Validate(request);
        await CheckNewHostsAsync(fields.HostIds, new HashSet<Guid>(), fields.Errors, ct);
        if (fields.Errors.Count > 0) throw new ValidationFailedException(fields.Errors);

        await CheckCodeIsFreeAsync(fields.Code, null, ct);
        var tour = new Tour { Code = fields.Code, Name = fields.Name, CreatedAt = clock.GetUtcNow() };
        Apply(tour, fields);
        foreach (var hostId in fields.HostIds) tour.Hosts.Add(new TourHost { TourId = tour.Id, PersonId = hostId });
        db.Tours.Add(tour);
        await SaveAsync(fields.Code, ct);
        return await GetAsync(tour.Id, ct);
    }

    /// <summary>Changes every field of a tour the caller loaded at <paramref name="expectedVersion"/>.</summary>
    public async Task<TourDto> UpdateAsync(Guid id, uint expectedVersion, TourRequest request, CancellationToken ct = default)
    {
        var fields = Validate(request);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var tour = await LockAsync(id, ct);
        if (tour.Version != expectedVersion) throw new StaleVersionException($"The tour {tour.Name} ({tour.Code})");

        var current = tour.Hosts.Select(h => h.PersonId).ToHashSet();
        await CheckNewHostsAsync(fields.HostIds, current, fields.Errors, ct);
        if (fields.Errors.Count > 0) throw new ValidationFailedException(fields.Errors);

        if (fields.Code != tour.Code) await CheckCodeIsFreeAsync(fields.Code, tour.Id, ct);
        var clashes = new List<Clash>();
        if (fields.Capacity < tour.Capacity) clashes.AddRange(await OverbookedPeriodsAsync(tour, fields.Capacity, ct));
        var leaving = current.Except(fields.HostIds).ToList();
        if (leaving.Count > 0) clashes.AddRange(await HostsStillNeededAsync(tour, leaving, ct));
        if (clashes.Count > 0) throw new ConflictException(clashes);

        Apply(tour, fields);
        tour.Hosts.RemoveAll(h => leaving.Contains(h.PersonId));
        var arriving = fields.HostIds.Where(h => !current.Contains(h)).ToList();
        foreach (var hostId in arriving)
            tour.Hosts.Add(new TourHost { TourId = tour.Id, PersonId = hostId });
        // Hosts live in their own table: write the tour row anyway, so its version (xmin) moves and an
        // editor who loaded the old host list gets "changed by someone else" instead of undoing this.
        if (leaving.Count > 0 || arriving.Count > 0) db.Entry(tour).Property(t => t.Name).IsModified = true;
        await SaveAsync(fields.Code, ct);
        await tx.CommitAsync(ct);
        return await GetAsync(tour.Id, ct);
    }

    /// <summary>A retired tour stays in the catalogue and keeps its stints, but takes no new ones.</summary>
    public Task<TourDto> RetireAsync(Guid id, uint? expectedVersion, CancellationToken ct = default) =>
        SetRetiredAsync(id, expectedVersion, true, ct);

    public Task<TourDto> ReinstateAsync(Guid id, uint? expectedVersion, CancellationToken ct = default) =>
        SetRetiredAsync(id, expectedVersion, false, ct);

    private async Task<TourDto> SetRetiredAsync(Guid id, uint? expectedVersion, bool retired, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var tour = await LockAsync(id, ct);
        if (expectedVersion is { } v && tour.Version != v) throw new StaleVersionException($"The tour {tour.Name} ({tour.Code})");
        if (tour.IsRetired != retired)
        {
            tour.IsRetired = retired;
            await SaveAsync(tour.Code, ct);
        }
        await tx.CommitAsync(ct);
        return await GetAsync(tour.Id, ct);
    }

    // Rules

    private sealed record Fields(
        string Code, string Name, string Summary, string OutsideIn, string InsideOut, string ReflectionPrompts,
        WeeksDto Orientation, WeeksDto Assignment, int Capacity, IReadOnlyList<Guid> HostIds, Dictionary<string, string[]> Errors);

    /// <summary>Checks every field that needs no database, collecting all the errors at once.</summary>
    private static Fields Validate(TourRequest r)
    {
        var errors = new Dictionary<string, string[]>();

        var code = (r.Code ?? "").Trim().ToUpperInvariant();
        if (code.Length == 0) errors["code"] = ["Enter a short code, like SALES."];
        else if (!CodePattern().IsMatch(code))
            errors["code"] = ["A code is 2 to 16 characters: letters A–Z, digits and underscores, no spaces."];
        else if (ReservedCodes.Contains(code)) errors["code"] = [$"{code} is reserved by Rotations. Choose another code."];

        var name = (r.Name ?? "").Trim();
        if (name.Length == 0) errors["name"] = ["Enter the tour's name."];
        else if (name.Length > MaxNameLength) errors["name"] = [$"The name is limited to {MaxNameLength} characters; this one has {name.Length}."];

        string Text(string? value, string field, string label)
        {
            var text = (value ?? "").Trim();
            if (text.Length > MaxTextLength)
                errors[field] = [$"{label} is limited to {MaxTextLength:N0} characters; this one has {text.Length:N0}."];
            return text;
        }
        var summary = Text(r.Summary, "summary", "The summary");
        var outsideIn = Text(r.OutsideIn, "outsideIn", "The outside-in lens");
        var insideOut = Text(r.InsideOut, "insideOut", "The inside-out lens");
        var prompts = Text(r.ReflectionPrompts, "reflectionPrompts", "The reflection prompts");

        var orientation = Weeks(r.OrientationWeeks, "orientationWeeks", "an orientation stint", errors);
        var assignment = Weeks(r.AssignmentWeeks, "assignmentWeeks", "an assignment", errors);

        if (r.Capacity is not { } capacity) { errors["capacity"] = ["Enter how many leaders the tour can host at once."]; capacity = 0; }
        else if (capacity is < 1 or > MaxCapacity) errors["capacity"] = [$"Capacity is 1 to {MaxCapacity} leaders at once."];

        var hostIds = (r.HostIds ?? []).Distinct().ToList();
        return new Fields(code, name, summary, outsideIn, insideOut, prompts, orientation, assignment, capacity, hostIds, errors);
    }

    private static WeeksDto Weeks(WeeksRequest? weeks, string field, string what, Dictionary<string, string[]> errors)
    {
        int Part(int? value, string part, string label)
        {
            if (value is not { } v) { errors[$"{field}.{part}"] = [$"Enter the {label} weeks of {what}."]; return 0; }
            if (v is < 1 or > MaxWeeks) errors[$"{field}.{part}"] = [$"The {label} weeks of {what} are 1 to {MaxWeeks}."];
            return v;
        }
        var min = Part(weeks?.Min, "min", "fewest");
        var typical = Part(weeks?.Typical, "typical", "typical");
        var max = Part(weeks?.Max, "max", "most");
        if (!errors.Keys.Any(k => k.StartsWith(field + ".", StringComparison.Ordinal)))
        {
            var problems = new List<string>();
            if (min > typical) problems.Add($"the fewest weeks ({min}) are more than the typical weeks ({typical})");
            if (typical > max) problems.Add($"the typical weeks ({typical}) are more than the most weeks ({max})");
            if (problems.Count > 0) errors[field] = [$"For {what}, {string.Join(" and ", problems)}."];
        }
        return new WeeksDto(min, typical, max);
    }

    private static void Apply(Tour tour, Fields f)
    {
        tour.Code = f.Code;
        tour.Name = f.Name;
        tour.Summary = f.Summary;
        tour.OutsideIn = f.OutsideIn;
        tour.InsideOut = f.InsideOut;
        tour.ReflectionPrompts = f.ReflectionPrompts;
        tour.OrientationMinWeeks = f.Orientation.Min;
        tour.OrientationTypicalWeeks = f.Orientation.Typical;
        tour.OrientationMaxWeeks = f.Orientation.Max;
        tour.AssignmentMinWeeks = f.Assignment.Min;
        tour.AssignmentTypicalWeeks = f.Assignment.Typical;
        tour.AssignmentMaxWeeks = f.Assignment.Max;
        tour.Capacity = f.Capacity;
    }

    /// <summary>New hosts must be active people in the Host role; hosts the tour already has may stay as they are.</summary>
    private async Task CheckNewHostsAsync(IReadOnlyList<Guid> hostIds, IReadOnlySet<Guid> current, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        var added = hostIds.Where(h => !current.Contains(h)).ToList();
        if (added.Count == 0) return;
        var found = await db.Users.AsNoTracking().Where(p => added.Contains(p.Id))
            .Select(p => new
            {
                p.Id, p.DisplayName, p.IsActive,
                IsHost = db.UserRoles.Any(ur => ur.UserId == p.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Host)),
            })
            .ToListAsync(ct);
        var messages = new List<string>();
        foreach (var id in added)
        {
            var person = found.SingleOrDefault(p => p.Id == id);
            if (person is null) messages.Add($"There is no person with the id {id}.");
            else if (!person.IsActive) messages.Add($"{person.DisplayName} is deactivated.");
            else if (!person.IsHost) messages.Add($"{person.DisplayName} is not in the Host role. Give them the role first.");
        }
        if (messages.Count > 0) errors["hostIds"] = [.. messages];
    }

    private async Task CheckCodeIsFreeAsync(string code, Guid? self, CancellationToken ct)
    {
        var other = await db.Tours.AsNoTracking().Where(t => t.Code == code && t.Id != self)
            .Select(t => new { t.Name, t.IsRetired }).FirstOrDefaultAsync(ct);
        if (other is not null) throw DuplicateCode(code, other.Name, other.IsRetired);
    }

    private static ConflictException DuplicateCode(string code, string? otherName, bool retired = false)
    {
        var message = otherName is null
            ? $"The code {code} is already used by another tour."
            : $"The code {code} is already used by the tour {otherName}{(retired ? " (retired)" : "")}.";
        return new ConflictException(message, [new Clash("Code", message, [])]);
    }

    /// <summary>Maximal runs of days, from today on, when more leaders are booked than the new capacity allows.</summary>
    private async Task<List<Clash>> OverbookedPeriodsAsync(Tour tour, int capacity, CancellationToken ct)
    {
        var today = clock.Today();
        var stints = await db.Stints.AsNoTracking()
            .Where(s => s.TourId == tour.Id && s.CancelledAt == null && s.EndDate >= today)
            .OrderBy(s => s.StartDate)
            .Select(s => new { s.Id, s.StartDate, s.EndDate, Leader = s.Leader!.DisplayName })
            .ToListAsync(ct);
        var clashes = new List<Clash>();
        if (stints.Count <= capacity) return clashes;

        var last = stints.Max(s => s.EndDate);
        var perDay = DailyCounts(today, last, stints.Select(s => (s.StartDate, s.EndDate)));
        for (var i = 0; i < perDay.Length; i++)
        {
            if (perDay[i] <= capacity) continue;
            var runStart = i;
            while (i + 1 < perDay.Length && perDay[i + 1] > capacity) i++;
            var (from, to) = (today.AddDays(runStart), today.AddDays(i));
            var present = stints.Where(s => s.StartDate <= to && s.EndDate >= from).ToList();
            var most = perDay[runStart..(i + 1)].Max();
            clashes.Add(new Clash("Capacity",
                $"{(from == to ? $"On {from:yyyy-MM-dd}" : $"From {from:yyyy-MM-dd} to {to:yyyy-MM-dd}")}, " +
                $"{most} leaders are booked at {tour.Name} ({tour.Code}), more than a capacity of {capacity}: " +
                $"{Names(present.Select(p => $"{p.Leader} ({p.StartDate:yyyy-MM-dd} to {p.EndDate:yyyy-MM-dd})"))}.",
                present.Select(p => p.Id).ToList(), from, to));
        }
        return clashes;
    }

    /// <summary>A host who is named on a stint that has not ended yet cannot leave the tour.</summary>
    private async Task<List<Clash>> HostsStillNeededAsync(Tour tour, IReadOnlyList<Guid> leaving, CancellationToken ct)
    {
        var today = clock.Today();
        var stints = await db.Stints.AsNoTracking()
            .Where(s => s.TourId == tour.Id && s.CancelledAt == null && s.EndDate >= today && s.HostId != null && leaving.Contains(s.HostId.Value))
            .OrderBy(s => s.StartDate)
            .Select(s => new { s.Id, s.StartDate, s.EndDate, Host = s.Host!.DisplayName, Leader = s.Leader!.DisplayName })
            .ToListAsync(ct);
        return stints.GroupBy(s => s.Host).Select(g => new Clash("Host",
            $"{g.Key} hosts {(g.Count() == 1 ? "a stint" : $"{g.Count()} stints")} of {tour.Name} ({tour.Code}) that " +
            $"{(g.Count() == 1 ? "has" : "have")} not ended: {Names(g.Select(s => $"{s.Leader} ({s.StartDate:yyyy-MM-dd} to {s.EndDate:yyyy-MM-dd})"))}. " +
            "Give those stints another host first.",
            g.Select(s => s.Id).ToList())).ToList();
    }

    /// <summary>Leaders present on each day from <paramref name="from"/> to <paramref name="to"/>, by a difference array.</summary>
    private static int[] DailyCounts(DateOnly from, DateOnly to, IEnumerable<(DateOnly Start, DateOnly End)> stints)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var delta = new int[days + 1];
        foreach (var (start, end) in stints)
        {
            var a = Math.Max(start.DayNumber, from.DayNumber) - from.DayNumber;
            var b = Math.Min(end.DayNumber, to.DayNumber) - from.DayNumber;
            if (a > b) continue;
            delta[a]++;
            delta[b + 1]--;
        }
        var counts = new int[days];
        var running = 0;
        for (var i = 0; i < days; i++) counts[i] = running += delta[i];
        return counts;
    }

    private static string Names(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 1 ? list[0] : string.Join(", ", list[..^1]) + " and " + list[^1];
    }

    private async Task<Tour> LockAsync(Guid id, CancellationToken ct) =>
        await db.Tours.FromSql($"select *, xmin from tours where id = {id} for update").Include(t => t.Hosts).SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("There is no such tour.");

    private async Task SaveAsync(string code, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException($"The tour {code}");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_tours_code" })
        {
            // Two coordinators creating the same code at once: the index decides, the loser hears why.
            db.ChangeTracker.Clear();
            throw DuplicateCode(code, null);
        }
    }

    private IQueryable<Person> HostRolePeople() =>
        db.Users.Where(p => db.UserRoles.Any(ur => ur.UserId == p.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Host)));

    private static IQueryable<TourDto> Project(IQueryable<Tour> tours) =>
        tours.Select(t => new TourDto(
            t.Id, t.Code, t.Name, t.Summary, t.OutsideIn, t.InsideOut, t.ReflectionPrompts,
            new WeeksDto(t.OrientationMinWeeks, t.OrientationTypicalWeeks, t.OrientationMaxWeeks),
            new WeeksDto(t.AssignmentMinWeeks, t.AssignmentTypicalWeeks, t.AssignmentMaxWeeks),
            t.Capacity, t.IsRetired,
            t.Hosts.OrderBy(h => h.Person!.DisplayName).Select(h => new HostDto(h.PersonId, h.Person!.DisplayName)).ToList(),
            t.Version));
}
