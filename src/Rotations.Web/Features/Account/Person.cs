using Microsoft.AspNetCore.Identity;
using Rotations.Web.Features.Audit;
using Rotations.Web.Features.People;

namespace Rotations.Web.Features.Account;

/// <summary>
/// Everyone who signs in to Rotations: HR, leaders, managers, hosts and admins.
/// Identity supplies the credential columns; the rest is ours.
/// </summary>
public sealed class Person : IdentityUser<Guid>, IAudited
{
    public required string DisplayName { get; set; }

    /// <summary>IANA time-zone id; reminders go out at the person's local send hour.</summary>
    public string TimeZone { get; set; } = "Europe/London";

    /// <summary>People are deactivated, never deleted: their history stays attached to them.</summary>
    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The person's line manager: they follow this person's progress and review readiness.</summary>
    public Guid? ManagerId { get; set; }
    public Person? Manager { get; set; }

    /// <summary>Present for people in the Leader role.</summary>
    public LeaderProfile? LeaderProfile { get; set; }

    public IEnumerable<string> AuditIdentity() => [Email ?? "", DisplayName];
}

public sealed class Role : IdentityRole<Guid>
{
}
