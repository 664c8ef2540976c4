using Microsoft.AspNetCore.Identity;

namespace Rotations.Web.Features.Account;

/// <summary>
/// Everyone who signs in to Rotations: HR, leaders, managers, hosts and admins.
/// Identity supplies the credential columns; the rest is ours.
/// </summary>
public sealed class Person : IdentityUser<Guid>
{
    public required string DisplayName { get; set; }

    /// <summary>IANA time-zone id; reminders go out at the person's local send hour.</summary>
    public string TimeZone { get; set; } = "Europe/London";

    /// <summary>People are deactivated, never deleted: their history stays attached to them.</summary>
    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Role : IdentityRole<Guid>
{
}
