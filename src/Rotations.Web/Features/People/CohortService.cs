using Rotations.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.People;

/// <summary>A cohort with how many leaders belong to it.</summary>
public sealed record CohortDto(Guid Id, string Name, DateOnly StartDate, DateOnly EndDate, int LeaderCount, uint Version);

/// <summary>What HR sends to create or change a cohort. Nullable, so that a missing field is named.</summary>
public sealed record CohortRequest(string? Name, DateOnly? StartDate, DateOnly? EndDate);

public sealed record CohortLeader(Guid Id, string DisplayName, bool IsActive);

/// <summary>
/// Cohorts: named intakes of leaders with start and end dates. HR creates and edits them; leaders join a
/// cohort through their profile. Names are unique regardless of letter case.
/// </summary>
public sealed class CohortService(RotationsDbContext db)
{
    public const int MaxNameLength = 100;

    /// <summary>Newest intake first.</summary>
    public async Task<IReadOnlyList<CohortDto>> ListAsync(CancellationToken ct = default) =>
        await Project(db.Cohorts.AsNoTracking().OrderByDescending(c => c.StartDate).ThenBy(c => c.Name))
            .ToListAsync(ct);

    public async Task<CohortDto> GetAsync(Guid id, CancellationToken ct = default) =>
        await Project(db.Cohorts.AsNoTracking().Where(c => c.Id == id)).SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("There is no such cohort.");

    /// <summary>The cohort's leaders by name: for HR's edit page.</summary>
    public async Task<IReadOnlyList<CohortLeader>> LeadersAsync(Guid id, CancellationToken ct = default) =>
        await db.LeaderProfiles.AsNoTracking()
            .Where(p => p.CohortId == id)
            .Join(db.Users, p => p.PersonId, u => u.Id, (p, u) => u)
            .OrderBy(u => u.DisplayName)
            .Select(u => new CohortLeader(u.Id, u.DisplayName, u.IsActive))
            .ToListAsync(ct);

    public async Task<CohortDto> CreateAsync(CohortRequest request, CancellationToken ct = default)
    {
        var (name, start, end) = Validate(request);
        await CheckNameIsFreeAsync(name, null, ct);
        var cohort = new Cohort { Name = name, StartDate = start, EndDate = end };
        db.Cohorts.Add(cohort);
        await SaveAsync(name, ct);
        return await GetAsync(cohort.Id, ct);
    }

    /// <summary>Changes a cohort the caller loaded at <paramref name="expectedVersion"/>; the database checks the version as it writes.</summary>
    public async Task<CohortDto> UpdateAsync(Guid id, uint expectedVersion, CohortRequest request, CancellationToken ct = default)
    {
        var (name, start, end) = Validate(request);
        var cohort = await db.Cohorts.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("There is no such cohort.");
        if (cohort.Version != expectedVersion) throw new StaleVersionException($"The cohort {cohort.Name}");
        if (!string.Equals(name, cohort.Name, StringComparison.OrdinalIgnoreCase)) await CheckNameIsFreeAsync(name, id, ct);
        // The UPDATE carries "where xmin = expected": a change committed after the read above still loses.
        db.Entry(cohort).Property(c => c.Version).OriginalValue = expectedVersion;
        cohort.Name = name;
        cohort.StartDate = start;
        cohort.EndDate = end;
        await SaveAsync(name, ct);
        return await GetAsync(id, ct);
    }

    private static (string Name, DateOnly Start, DateOnly End) Validate(CohortRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        var name = (r.Name ?? "").Trim();
        if (name.Length == 0) errors["name"] = ["Enter the cohort's name, like “2027 spring intake”."];
        else if (name.Length > MaxNameLength) errors["name"] = [$"The name is limited to {MaxNameLength} characters; this one has {name.Length}."];
        if (r.StartDate is null) errors["startDate"] = ["Enter the day the cohort starts."];
        if (r.EndDate is null) errors["endDate"] = ["Enter the day the cohort ends."];
        DateWindow.Check(r.StartDate, "startDate", errors);
        DateWindow.Check(r.EndDate, "endDate", errors);
        if (r.StartDate is { } s && r.EndDate is { } e && e < s)
            errors["endDate"] = [$"The end ({e:yyyy-MM-dd}) is before the start ({s:yyyy-MM-dd})."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);
        return (name, r.StartDate!.Value, r.EndDate!.Value);
    }

    private async Task CheckNameIsFreeAsync(string name, Guid? self, CancellationToken ct)
    {
        var other = await db.Cohorts.AsNoTracking()
            .Where(c => c.Id != self && c.Name.ToLower() == name.ToLower())
            .Select(c => c.Name).FirstOrDefaultAsync(ct);
        if (other is not null) throw DuplicateName(other);
    }

    private static ConflictException DuplicateName(string existing)
    {
        var message = $"There is already a cohort called {existing}.";
        return new ConflictException(message, [new Clash("Name", message, [])]);
    }

    private async Task SaveAsync(string name, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException($"The cohort {name}");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_cohorts_name" })
        {
            db.ChangeTracker.Clear();
            throw DuplicateName(name);
        }
    }

    private IQueryable<CohortDto> Project(IQueryable<Cohort> cohorts) =>
        cohorts.Select(c => new CohortDto(c.Id, c.Name, c.StartDate, c.EndDate,
            db.LeaderProfiles.Count(p => p.CohortId == c.Id), c.Version));
}
