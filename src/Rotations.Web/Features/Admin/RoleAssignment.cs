using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Admin;

public sealed record PersonRolesRow(Guid Id, string DisplayName, string Email, bool IsActive, IReadOnlyList<string> Roles);

public sealed class RoleAssignmentException(string message) : Exception(message);

/// <summary>Lists people with their roles and changes a person's roles, keeping at least one Admin.</summary>
public sealed class RoleAssignment(RotationsDbContext db, UserManager<Person> people)
{
    public async Task<IReadOnlyList<PersonRolesRow>> ListAsync(string? search, int limit, CancellationToken ct = default)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            query = query.Where(p => EF.Functions.ILike(p.DisplayName, pattern) || EF.Functions.ILike(p.Email!, pattern));
        }
        // One query: people with their role names, no per-row lookups.
        var rows = await query
            .OrderBy(p => p.DisplayName).ThenBy(p => p.Email)
            .Take(limit)
            .Select(p => new
            {
                p.Id, p.DisplayName, p.Email, p.IsActive,
                Roles = db.UserRoles.Where(ur => ur.UserId == p.Id)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .ToListAsync(ct);
        return rows.Select(r => new PersonRolesRow(r.Id, r.DisplayName, r.Email ?? "", r.IsActive,
            Account.Roles.All.Where(r.Roles.Contains).ToList())).ToList();
    }

    public async Task<Person> SetRolesAsync(Guid personId, IReadOnlyCollection<string> wanted, CancellationToken ct = default)
    {
        var unknown = wanted.Except(Account.Roles.All).ToList();
        if (unknown.Count > 0) throw new RoleAssignmentException($"Unknown role: {string.Join(", ", unknown)}.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Serialises role changes, so two Admins cannot remove each other's Admin role at once.
        await db.Database.ExecuteSqlRawAsync("select 1 from roles where normalized_name = 'ADMIN' for update", ct);

        var person = await people.FindByIdAsync(personId.ToString())
            ?? throw new RoleAssignmentException("That person does not exist.");
        var current = await people.GetRolesAsync(person);
        var removing = current.Except(wanted).ToList();
        var adding = wanted.Except(current).ToList();
        if (removing.Count == 0 && adding.Count == 0) return person;

        // Only Admins who can sign in count: active, with a password.
        if (removing.Contains(Account.Roles.Admin) &&
            (await people.GetUsersInRoleAsync(Account.Roles.Admin)).Count(a => a.Id != person.Id && a.IsActive && a.PasswordHash != null) == 0)
            throw new RoleAssignmentException(
                $"{person.DisplayName} is the only Admin. Make someone else an Admin first.");

        Check(await people.RemoveFromRolesAsync(person, removing));
        Check(await people.AddToRolesAsync(person, adding));
        // Other sessions of this person pick up the change at their next security-stamp check (1 minute).
        Check(await people.UpdateSecurityStampAsync(person));
        await tx.CommitAsync(ct);
        return person;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new RoleAssignmentException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
