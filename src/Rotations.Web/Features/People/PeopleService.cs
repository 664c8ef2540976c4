using Rotations.Web.Infrastructure.Time;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.People;

/// <summary>A leader's profile as a caller sends it; levels travel as strings (Manager, HeadOf, Director, VP, CCO).</summary>
public sealed record LeaderRequest(string? CurrentLevel, string? TargetLevel, Guid? CohortId = null, string? HomeDepartment = null, DateOnly? ProgrammeStart = null);

/// <summary>
/// A person as HR creates or edits them. Nullable so that a missing field is named.
/// <see cref="InitialPassword"/> is for creation only.
/// </summary>
public sealed record PersonRequest(
    string? Email, string? DisplayName, IReadOnlyList<string>? Roles, Guid? ManagerId = null, string? TimeZone = null,
    string? InitialPassword = null, LeaderRequest? Leader = null);

public sealed record LeaderDto(Level CurrentLevel, Level TargetLevel, Guid? CohortId, string? CohortName, string HomeDepartment, DateOnly? ProgrammeStart);

/// <summary>
/// A person as the API and pages show them. <see cref="HasPassword"/> is false for people who have not set one yet
/// (they cannot sign in). <see cref="Version"/> goes back in If-Match when editing.
/// </summary>
public sealed record PersonDto(
    Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, Guid? ManagerId, string? ManagerName,
    string TimeZone, bool IsActive, bool HasPassword, LeaderDto? Leader, string Version);

public sealed record PeopleQuery(string? Role = null, Guid? CohortId = null, Guid? ManagerId = null, string? Q = null, bool? Active = null,
    int Page = 1, int PageSize = PeopleQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
}

public sealed record PeoplePage(IReadOnlyList<PersonDto> Items, int Page, int PageSize, int Total);

/// <summary>
/// HR's work on people: create, edit, deactivate, reactivate, and who may see whom. Identity's UserManager
/// does the writes, so its user, password and security-stamp rules apply; each write is one transaction.
/// People are never deleted. There is always at least one active Admin, and only an Admin hands out the
/// Admin role or changes an Admin's account (otherwise HR could make themselves Admin).
/// </summary>
public sealed class PeopleService(RotationsDbContext db, UserManager<Person> people, TimeProvider clock, AccountEmails accountEmails)
{
    /// <summary>pg_advisory_xact_lock key: serialises changes to manager links, so two edits cannot close a loop together.</summary>
    internal const long ManagerGraphLock = 0x526F_7461_4D67;

    public async Task<PeoplePage> ListAsync(PeopleQuery query, ClaimsPrincipal viewer, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (query.Page < 1) errors.Add("page", "Pages are numbered from 1.");
        if (query.PageSize is < 1 or > PeopleQuery.MaxPageSize) errors.Add("pageSize", $"A page holds 1 to {PeopleQuery.MaxPageSize} people.");
        string? role = null;
        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            role = Roles.All.FirstOrDefault(r => string.Equals(r, query.Role.Trim(), StringComparison.OrdinalIgnoreCase));
            if (role is null) errors.Add("role", $"Unknown role “{query.Role}”: the roles are {string.Join(", ", Roles.All)}.");
        }
        errors.ThrowIfAny();

        var q = db.Users.AsNoTracking().VisibleTo(viewer);
        if (role is not null)
            q = q.Where(p => db.UserRoles.Any(ur => ur.UserId == p.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
        if (query.CohortId is { } cohortId) q = q.Where(p => p.LeaderProfile!.CohortId == cohortId);
        if (query.ManagerId is { } managerId) q = q.Where(p => p.ManagerId == managerId);
        if (query.Active is { } active) q = q.Where(p => p.IsActive == active);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var pattern = $"%{query.Q.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            q = q.Where(p => EF.Functions.ILike(p.DisplayName, pattern) || EF.Functions.ILike(p.Email!, pattern));
        }

        var total = await q.CountAsync(ct);
        var items = await Project(q.OrderBy(p => p.DisplayName).ThenBy(p => p.Email).ThenBy(p => p.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize), ct);
        return new PeoplePage(items, query.Page, query.PageSize, total);
    }

    /// <summary>The person, or null when they do not exist or are outside what <paramref name="viewer"/> may see.</summary>
    public async Task<PersonDto?> GetAsync(Guid id, ClaimsPrincipal viewer, CancellationToken ct = default) =>
        (await Project(db.Users.AsNoTracking().VisibleTo(viewer).Where(p => p.Id == id), ct)).SingleOrDefault();

    public async Task<PersonDto> CreateAsync(PersonRequest request, ClaimsPrincipal caller, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var fields = await CheckFieldsAsync(request, existing: null, errors, ct);
        var password = string.IsNullOrEmpty(request.InitialPassword) ? null : request.InitialPassword;
        if (password is not null)
        {
            var probe = new Person { DisplayName = fields.DisplayName ?? "", Email = fields.Email, UserName = fields.Email };
            foreach (var validator in people.PasswordValidators)
            {
                var result = await validator.ValidateAsync(people, probe, password);
                foreach (var e in result.Errors) errors.Add("initialPassword", e.Description);
            }
        }
        errors.ThrowIfAny();
        if (fields.Roles.Contains(Roles.Admin) && !caller.IsInRole(Roles.Admin))
            throw new ForbiddenException("Only an Admin can give someone the Admin role.");

        var person = new Person
        {
            UserName = fields.Email, Email = fields.Email,
            // Confirmed once they have a password; without one they wait for an invitation.
            EmailConfirmed = password is not null,
            DisplayName = fields.DisplayName!, TimeZone = fields.TimeZone!, ManagerId = fields.ManagerId,
            CreatedAt = clock.GetUtcNow(),
        };
        await InTransactionAsync(async () =>
        {
            Check(password is null ? await people.CreateAsync(person) : await people.CreateAsync(person, password));
            if (fields.Roles.Count > 0) Check(await people.AddToRolesAsync(person, fields.Roles));
            if (fields.Leader is { } leader)
            {
                db.LeaderProfiles.Add(new LeaderProfile
                {
                    PersonId = person.Id, CurrentLevel = leader.CurrentLevel, TargetLevel = leader.TargetLevel,
                    CohortId = leader.CohortId, HomeDepartment = leader.HomeDepartment, ProgrammeStart = leader.ProgrammeStart,
                });
            }
            // Without a password they cannot sign in: the invitation goes out with the person, or not at all.
            if (password is null) accountEmails.QueueInvitation(person.Id, person.Email!);
            await db.SaveChangesAsync(ct);
        }, ct);
        return await ProjectOneAsync(person.Id, ct);
    }

    /// <summary>
    /// Replaces the person's fields with <paramref name="request"/>. <paramref name="expectedVersion"/> is the
    /// version the caller loaded (null: whatever is current); a different one means someone else changed the
    /// person in between, and nothing is written.
    /// </summary>
    public async Task<PersonDto> UpdateAsync(Guid id, string? expectedVersion, PersonRequest request, ClaimsPrincipal caller, CancellationToken ct = default)
    {
        await InTransactionAsync(async () =>
        {
            var person = await LockAsync(id, ct);
            if (expectedVersion is not null && person.ConcurrencyStamp != expectedVersion) throw new StaleVersionException(person.DisplayName);
            var currentRoles = await people.GetRolesAsync(person);
            if (currentRoles.Contains(Roles.Admin) && !caller.IsInRole(Roles.Admin))
                throw new ForbiddenException($"{person.DisplayName} is an Admin: only an Admin can change their account.");

            var errors = new FieldErrors();
            if (!string.IsNullOrEmpty(request.InitialPassword))
                errors.Add("initialPassword", "An initial password is set when the person is created, not afterwards.");
            var fields = await CheckFieldsAsync(request, person, errors, ct);
            errors.ThrowIfAny();

            var emailChanged = !string.Equals(person.Email, fields.Email, StringComparison.OrdinalIgnoreCase);
            var removing = currentRoles.Except(fields.Roles).ToList();
            var adding = fields.Roles.Except(currentRoles).ToList();
            if (adding.Contains(Roles.Admin) && !caller.IsInRole(Roles.Admin))
                throw new ForbiddenException("Only an Admin can give someone the Admin role.");
            if (removing.Contains(Roles.Admin)) await EnsureAnotherActiveAdminAsync(person, "roles", ct);

            person.Email = fields.Email;
            person.UserName = fields.Email;
            person.DisplayName = fields.DisplayName!;
            person.TimeZone = fields.TimeZone!;
            person.ManagerId = fields.ManagerId;
            Check(await people.UpdateAsync(person));
            if (removing.Count > 0) Check(await people.RemoveFromRolesAsync(person, removing));
            if (adding.Count > 0) Check(await people.AddToRolesAsync(person, adding));
            // A removed role or an old sign-in name must not live on in a cookie or bearer token:
            // their sessions re-check the stamp within a minute.
            if (removing.Count > 0 || adding.Count > 0 || emailChanged) Check(await people.UpdateSecurityStampAsync(person));

            if (fields.Leader is { } leader)
            {
                var profile = await db.LeaderProfiles.SingleOrDefaultAsync(p => p.PersonId == id, ct);
                if (profile is null) db.LeaderProfiles.Add(profile = new LeaderProfile { PersonId = id });
                profile.CurrentLevel = leader.CurrentLevel;
                profile.TargetLevel = leader.TargetLevel;
                profile.CohortId = leader.CohortId;
                profile.HomeDepartment = leader.HomeDepartment;
                profile.ProgrammeStart = leader.ProgrammeStart;
                await db.SaveChangesAsync(ct);
            }
        }, ct);
        return await ProjectOneAsync(id, ct);
    }

    /// <summary>The person can no longer sign in; their sessions and tokens end within a minute. Nothing is deleted.</summary>
    public Task<PersonDto> DeactivateAsync(Guid id, ClaimsPrincipal caller, CancellationToken ct = default) => SetActiveAsync(id, false, caller, ct);

    public Task<PersonDto> ReactivateAsync(Guid id, ClaimsPrincipal caller, CancellationToken ct = default) => SetActiveAsync(id, true, caller, ct);

    private async Task<PersonDto> SetActiveAsync(Guid id, bool active, ClaimsPrincipal caller, CancellationToken ct)
    {
        await InTransactionAsync(async () =>
        {
            var person = await LockAsync(id, ct);
            if (person.IsActive == active) return;
            if (await people.IsInRoleAsync(person, Roles.Admin))
            {
                if (!caller.IsInRole(Roles.Admin))
                    throw new ForbiddenException($"{person.DisplayName} is an Admin: only an Admin can change their account.");
                if (!active) await EnsureAnotherActiveAdminAsync(person, "isActive", ct);
            }
            person.IsActive = active;
            // Saves IsActive too; the new stamp ends existing bearer tokens at their next check (within a minute),
            // and deleting the person's sessions ends their cookies at once, on every node.
            Check(await people.UpdateSecurityStampAsync(person));
            if (!active) await db.SignInSessions.Where(s => s.PersonId == id).ExecuteDeleteAsync(ct);
        }, ct);
        return await ProjectOneAsync(id, ct);
    }

    /// <summary>The checked and cleaned fields of a request; every problem goes into <paramref name="errors"/>.</summary>
    private sealed record CheckedFields(string? Email, string? DisplayName, IReadOnlyList<string> Roles, Guid? ManagerId, string? TimeZone, CheckedLeader? Leader);

    private sealed record CheckedLeader(Level CurrentLevel, Level TargetLevel, Guid? CohortId, string HomeDepartment, DateOnly? ProgrammeStart);

    private async Task<CheckedFields> CheckFieldsAsync(PersonRequest request, Person? existing, FieldErrors errors, CancellationToken ct)
    {
        var (email, emailError) = PersonRules.Email(request.Email);
        errors.Add("email", emailError);
        if (email is not null)
        {
            var normalized = people.NormalizeEmail(email);
            var self = existing?.Id ?? Guid.Empty;
            var holder = await db.Users.AsNoTracking()
                .Where(p => p.NormalizedEmail == normalized && p.Id != self)
                .Select(p => new { p.DisplayName, p.IsActive }).FirstOrDefaultAsync(ct);
            if (holder is not null)
                errors.Add("email", $"{email} is already the address of {holder.DisplayName}{(holder.IsActive ? "" : " (deactivated)")}.");
        }
        var (name, nameError) = PersonRules.DisplayName(request.DisplayName);
        errors.Add("displayName", nameError);
        var (roles, rolesError) = PersonRules.RoleNames(request.Roles);
        errors.Add("roles", rolesError);
        var (timeZone, zoneError) = PersonRules.TimeZone(request.TimeZone);
        errors.Add("timeZone", zoneError);

        if (request.ManagerId is { } managerId)
        {
            var manager = await db.Users.AsNoTracking().Where(p => p.Id == managerId)
                .Select(p => new { p.DisplayName, p.IsActive }).FirstOrDefaultAsync(ct);
            if (manager is null) errors.Add("managerId", "There is no such person to be the manager.");
            else if (existing is not null && managerId == existing.Id) errors.Add("managerId", "A person cannot be their own manager.");
            // An unchanged link to a manager who has since left stays; a new link must be to an active person.
            else if (!manager.IsActive && managerId != existing?.ManagerId) errors.Add("managerId", $"{manager.DisplayName} is deactivated and cannot be a manager.");
            else if (existing is not null && managerId != existing.ManagerId)
            {
                await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock({ManagerGraphLock})", ct);
                errors.Add("managerId", await LoopAsync(existing, managerId, ct));
            }
        }

        CheckedLeader? leader = null;
        if (request.Leader is { } l)
        {
            var (current, currentError) = PersonRules.LevelName(l.CurrentLevel, "current level");
            errors.Add("leader.currentLevel", currentError);
            var (target, targetError) = PersonRules.LevelName(l.TargetLevel, "target level");
            errors.Add("leader.targetLevel", targetError);
            if (current is { } c && target is { } t) errors.Add("leader.targetLevel", PersonRules.LevelOrder(c, t));
            var (department, departmentError) = PersonRules.HomeDepartment(l.HomeDepartment);
            errors.Add("leader.homeDepartment", departmentError);
            if (l.ProgrammeStart is { } start && !DateWindow.Contains(start)) errors.Add("leader.programmeStart", DateWindow.Message);
            if (l.CohortId is { } cohortId && !await db.Cohorts.AnyAsync(x => x.Id == cohortId, ct))
                errors.Add("leader.cohortId", "There is no such cohort.");
            if (current is not null && target is not null)
                leader = new CheckedLeader(current.Value, target.Value, l.CohortId, department, l.ProgrammeStart);
        }
        else if (roles.Contains(Roles.Leader))
        {
            errors.Add("leader", "A leader needs a leader profile: their current and target level.");
            errors.Add("leader.currentLevel", "Choose the current level.");
            errors.Add("leader.targetLevel", "Choose the target level.");
        }
        return new CheckedFields(email, name, roles, request.ManagerId, timeZone, leader);
    }

    /// <summary>Null, or a message naming the loop that making <paramref name="managerId"/> the manager of <paramref name="person"/> would close.</summary>
    private async Task<string?> LoopAsync(Person person, Guid managerId, CancellationToken ct)
    {
        var chain = new List<string>();
        var seen = new HashSet<Guid>();
        Guid? current = managerId;
        while (current is { } id && seen.Add(id))
        {
            if (id == person.Id)
                return $"{chain[0]} cannot be {person.DisplayName}'s manager: that would make a loop " +
                    $"({string.Join(" → ", chain.Prepend(person.DisplayName).Append(person.DisplayName))}, where → means “reports to”).";
            var step = await db.Users.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.DisplayName, p.ManagerId }).FirstAsync(ct);
            chain.Add(step.DisplayName);
            current = step.ManagerId;
        }
        return null;
    }

    private async Task EnsureAnotherActiveAdminAsync(Person person, string field, CancellationToken ct)
    {
        // The same lock as RoleAssignment takes: two Admins cannot remove each other at once.
        await db.Database.ExecuteSqlRawAsync("select 1 from roles where normalized_name = 'ADMIN' for update", ct);
        var others = await db.UserRoles
            .Where(ur => ur.UserId != person.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin))
            .CountAsync(ur => db.Users.Any(p => p.Id == ur.UserId && p.IsActive && p.PasswordHash != null), ct);
        if (others == 0)
            throw new ValidationFailedException(field,
                $"{person.DisplayName} is the only active Admin who can sign in. Make someone else an Admin first.");
    }

    private async Task<Person> LockAsync(Guid id, CancellationToken ct) =>
        await db.Users.FromSql($"select * from people where id = {id} for update").SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("There is no such person.");

    /// <summary>Runs the writes in one transaction; on any failure nothing is written and the context forgets the attempt.</summary>
    private async Task InTransactionAsync(Func<Task> work, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await work();
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_people_normalized_email" })
        {
            db.ChangeTracker.Clear();
            throw new ValidationFailedException("email", "Someone else has just given that email address to another person.");
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }

    private static void Check(IdentityResult result)
    {
        if (result.Succeeded) return;
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
            throw new StaleVersionException("This person");
        var errors = new FieldErrors();
        foreach (var e in result.Errors)
            errors.Add(e.Code.StartsWith("Password", StringComparison.Ordinal) ? "initialPassword"
                : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
                : "person", e.Description);
        errors.ThrowIfAny();
    }

    private async Task<PersonDto> ProjectOneAsync(Guid id, CancellationToken ct) =>
        (await Project(db.Users.AsNoTracking().Where(p => p.Id == id), ct)).Single();

    private async Task<IReadOnlyList<PersonDto>> Project(IQueryable<Person> query, CancellationToken ct)
    {
        var rows = await query.Select(p => new
        {
            p.Id, p.Email, p.DisplayName, p.ManagerId, ManagerName = p.Manager != null ? p.Manager.DisplayName : null,
            p.TimeZone, p.IsActive, HasPassword = p.PasswordHash != null, p.ConcurrencyStamp,
            Roles = db.UserRoles.Where(ur => ur.UserId == p.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            Leader = p.LeaderProfile == null ? null : new
            {
                p.LeaderProfile.CurrentLevel, p.LeaderProfile.TargetLevel, p.LeaderProfile.CohortId,
                CohortName = p.LeaderProfile.Cohort != null ? p.LeaderProfile.Cohort.Name : null,
                p.LeaderProfile.HomeDepartment, p.LeaderProfile.ProgrammeStart,
            },
        }).ToListAsync(ct);
        return rows.Select(r => new PersonDto(r.Id, r.Email ?? "", r.DisplayName, Roles.All.Where(r.Roles.Contains).ToList(),
            r.ManagerId, r.ManagerName, r.TimeZone, r.IsActive, r.HasPassword,
            r.Leader is { } l ? new LeaderDto(l.CurrentLevel, l.TargetLevel, l.CohortId, l.CohortName, l.HomeDepartment, l.ProgrammeStart) : null,
            r.ConcurrencyStamp ?? "")).ToList();
    }
}

/// <summary>Who may see whom: HR and Admin everyone; a manager their direct reports; everyone themself.</summary>
public static class PeopleAccess
{
    public static IQueryable<Person> VisibleTo(this IQueryable<Person> people, ClaimsPrincipal user)
    {
        if (user.SeesAllStints()) return people;
        var me = user.PersonId();
        var manager = user.IsInRole(Roles.Manager);
        return people.Where(p => p.Id == me || (manager && p.ManagerId == me));
    }
}

/// <summary>Field → messages, thrown as one ValidationFailedException so the caller sees every problem at once.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = new();

    public void Add(string field, string? message)
    {
        if (message is null) return;
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        if (!list.Contains(message)) list.Add(message);
    }

    public void ThrowIfAny()
    {
        if (errors.Count > 0) throw new ValidationFailedException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}
