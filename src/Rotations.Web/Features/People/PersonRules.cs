using System.Globalization;
using System.Net.Mail;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.People;

/// <summary>
/// The field rules for a person, shared by the form, the API and the CSV import so that each rule exists once.
/// Each method returns the cleaned value, or an error message that says what is wrong and what would be right.
/// </summary>
public static class PersonRules
{
    public const int MaxEmailLength = 256;
    public const int MaxDisplayNameLength = 200;
    public const int MaxHomeDepartmentLength = 100;
    public const string DefaultTimeZone = "Europe/London";

    /// <summary>
    /// People sign in with their email as Identity's user name, so every character an address may hold
    /// must be a valid user-name character (Identity's default set refuses o'brien@… and the like).
    /// </summary>
    public const string UserNameCharacters =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+'!#$%&*/=?^`{|}~";

    public static (string? Value, string? Error) Email(string? input)
    {
        var email = input?.Trim() ?? "";
        if (email == "") return (null, "Enter the person's email address.");
        if (email.Length > MaxEmailLength) return (null, $"An email address has at most {MaxEmailLength} characters.");
        var valid = MailAddress.TryCreate(email, out var parsed)
            && parsed.Address == email
            && parsed.Host.Contains('.')
            && email.All(c => UserNameCharacters.Contains(c));
        return valid ? (email, null) : (null, $"“{email}” is not an email address like name@company.com.");
    }

    public static (string? Value, string? Error) DisplayName(string? input)
    {
        var name = input?.Trim() ?? "";
        if (name == "") return (null, "Enter the person's name.");
        if (name.Length > MaxDisplayNameLength) return (null, $"A name has at most {MaxDisplayNameLength} characters.");
        return (name, null);
    }

    /// <summary>
    /// Known role names, matched without regard to case, in the canonical order of <see cref="Roles.All"/>; the
    /// known ones also when others are unknown, so that the rules that depend on them still speak.
    /// </summary>
    public static (IReadOnlyList<string> Value, string? Error) RoleNames(IEnumerable<string?>? input)
    {
        var given = (input ?? []).Select(r => r?.Trim() ?? "").Where(r => r != "").ToList();
        var known = Roles.All.Where(r => given.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        var unknown = given.Where(r => !Roles.All.Contains(r, StringComparer.OrdinalIgnoreCase)).Distinct().ToList();
        if (unknown.Count > 0)
            return (known, $"Unknown {(unknown.Count == 1 ? "role" : "roles")} {string.Join(", ", unknown.Select(u => $"“{u}”"))}: " +
                $"the roles are {string.Join(", ", Roles.All)}.");
        return (known, null);
    }

    /// <summary>An IANA time-zone id, returned in its canonical spelling; empty means Europe/London.</summary>
    public static (string? Value, string? Error) TimeZone(string? input)
    {
        var id = input?.Trim() ?? "";
        if (id == "") return (DefaultTimeZone, null);
        // On Linux, .NET also finds Windows ids ("GMT Standard Time"); only IANA ids are stored.
        if (id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId)
            return (zonesByLowerId.Value.GetValueOrDefault(zone.Id, zone.Id), null);
        // Whether Linux finds "europe/london" depends on what is cached: the listed zones match in any case, always.
        if (zonesByLowerId.Value.TryGetValue(id, out var canonical)) return (canonical, null);
        if (TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var iana))
            return (null, $"“{id}” is a Windows time-zone name: use the IANA name, here {iana}.");
        return (null, $"“{id}” is not an IANA time zone: use a name like Europe/London or America/New_York.");
    }

    /// <summary>Level names (HeadOf) or how people say them (Head of CX), without regard to case; never numbers.</summary>
    public static (Level? Value, string? Error) LevelName(string? input, string what)
    {
        var text = input?.Trim() ?? "";
        if (text == "") return (null, $"Choose the {what}.");
        foreach (var level in Enum.GetValues<Level>())
            if (string.Equals(text, level.ToString(), StringComparison.OrdinalIgnoreCase) ||
                string.Equals(text, Levels.Describe(level), StringComparison.OrdinalIgnoreCase))
                return (level, null);
        return (null, $"“{text}” is not a level: the levels are {string.Join(", ", Enum.GetNames<Level>())}.");
    }

    public static string? LevelOrder(Level current, Level target) =>
        target > current ? null
            : $"The target level must be above the current level ({Levels.Describe(current)}); {Levels.Describe(target)} is not.";

    public static (string Value, string? Error) HomeDepartment(string? input)
    {
        var text = input?.Trim() ?? "";
        return text.Length > MaxHomeDepartmentLength
            ? (text, $"A home department has at most {MaxHomeDepartmentLength} characters.")
            : (text, null);
    }

    /// <summary>A date written YYYY-MM-DD; empty means none.</summary>
    public static (DateOnly? Value, string? Error) Date(string? input)
    {
        var text = input?.Trim() ?? "";
        if (text == "") return (null, null);
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return (null, $"“{text}” is not a date written YYYY-MM-DD, like 2027-01-04.");
        return Infrastructure.Time.DateWindow.Contains(date) ? (date, null) : (null, Infrastructure.Time.DateWindow.Message);
    }

    /// <summary>The IANA zones this server knows, for pickers: "Europe" → [Europe/Berlin, …].</summary>
    public static IReadOnlyList<IGrouping<string, string>> TimeZonesByRegion() => zonesByRegion.Value;

    private static readonly Lazy<Dictionary<string, string>> zonesByLowerId = new(() =>
        TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id).Append("UTC").Distinct(StringComparer.OrdinalIgnoreCase)
            .ToDictionary(id => id, id => id, StringComparer.OrdinalIgnoreCase));

    private static readonly Lazy<IReadOnlyList<IGrouping<string, string>>> zonesByRegion = new(() =>
        TimeZoneInfo.GetSystemTimeZones()
            .Where(z => z.HasIanaId && z.Id.Contains('/') && !z.Id.StartsWith("Etc/", StringComparison.Ordinal))
            .Select(z => z.Id)
            .Append("UTC")
            .Distinct()
            .OrderBy(id => id, StringComparer.Ordinal)
            .GroupBy(id => id.Contains('/') ? id[..id.IndexOf('/')] : "Other")
            .ToList());
}
