using System.Security.Claims;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Scheduling;

/// <summary>
/// Who sees which stints, in one place: HR and Admin see all; a leader their own; a manager those of
/// their direct reports; a host those they host. Roles add up. Anything else is "not found".
/// </summary>
public static class StintAccess
{
    public static Guid PersonId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty;

    public static bool SeesAllStints(this ClaimsPrincipal user) => user.IsInRole(Roles.HR) || user.IsInRole(Roles.Admin);

    public static IQueryable<Stint> VisibleTo(this IQueryable<Stint> stints, ClaimsPrincipal user)
    {
        if (user.SeesAllStints()) return stints;
        var me = user.PersonId();
        var manager = user.IsInRole(Roles.Manager);
        var host = user.IsInRole(Roles.Host);
        return stints.Where(s => s.LeaderId == me
            || (manager && s.Leader!.ManagerId == me)
            || (host && s.HostId == me));
    }
}
