using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Scheduling;

public sealed record LeaderChoice(Guid Id, string Name, string? Cohort);

public sealed record TourChoice(
    Guid Id, string Code, string Name, int Capacity, int OrientationMin, int OrientationMax, int AssignmentMin, int AssignmentMax)
{
    public string Label => $"{Name} ({Code})";
}

public sealed record HostChoice(Guid TourId, Guid PersonId, string Name);

/// <summary>What the stint forms offer: active leaders, tours that take stints, and each tour's hosts.</summary>
public sealed class StintFormChoices(RotationsDbContext db)
{
    public async Task<IReadOnlyList<LeaderChoice>> LeadersAsync(CancellationToken ct = default)
    {
        var leaderRole = db.Roles.Where(r => r.Name == Roles.Leader).Select(r => r.Id);
        return await db.Users.AsNoTracking()
            .Where(p => p.IsActive && db.UserRoles.Any(ur => ur.UserId == p.Id && leaderRole.Contains(ur.RoleId)))
            .OrderBy(p => p.DisplayName).ThenBy(p => p.Email)
            .Select(p => new LeaderChoice(p.Id, p.DisplayName, p.LeaderProfile!.Cohort!.Name))
            .ToListAsync(ct);
    }

    public async Task<IReadOnlyList<TourChoice>> OpenToursAsync(CancellationToken ct = default) =>
        await db.Tours.AsNoTracking().Where(t => !t.IsRetired).OrderBy(t => t.Name)
            .Select(t => new TourChoice(t.Id, t.Code, t.Name, t.Capacity,
                t.OrientationMinWeeks, t.OrientationMaxWeeks, t.AssignmentMinWeeks, t.AssignmentMaxWeeks))
            .ToListAsync(ct);

    /// <summary>Hosts of the given tours (all tours when none is given), in order of name.</summary>
    public async Task<IReadOnlyList<HostChoice>> HostsAsync(Guid? tourId = null, CancellationToken ct = default)
    {
        var hosts = db.TourHosts.AsNoTracking().Where(h => h.Person!.IsActive);
        if (tourId is { } id) hosts = hosts.Where(h => h.TourId == id);
        return await hosts.OrderBy(h => h.Person!.DisplayName)
            .Select(h => new HostChoice(h.TourId, h.PersonId, h.Person!.DisplayName))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Domain errors onto the form's fields: "startDate" becomes "Input.StartDate". Returns the
    /// messages of fields the form does not show, for a summary.
    /// </summary>
    public static List<string> AddErrors(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state, ValidationFailedException ex,
        string prefix, IReadOnlyCollection<string> fieldsShown)
    {
        var elsewhere = new List<string>();
        foreach (var (field, messages) in ex.Errors)
        {
            var name = char.ToUpperInvariant(field[0]) + field[1..];
            foreach (var message in messages)
            {
                if (fieldsShown.Contains(name)) state.AddModelError($"{prefix}.{name}", message);
                else elsewhere.Add(message);
            }
        }
        return elsewhere;
    }
}
