using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Audit;

/// <summary>The audit trail for HR and Admin: newest first, filtered by record type, record, person and days.</summary>
[Authorize(Policy = Policies.HR)]
public sealed partial class IndexModel(AuditLog log, RotationsDbContext db) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? EntityType { get; set; }
    [BindProperty(SupportsGet = true)] public string? EntityKey { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? ActorId { get; set; }
    /// <summary>First day shown, in the viewer's time zone.</summary>
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    /// <summary>Last day shown (inclusive), in the viewer's time zone.</summary>
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    /// <summary>"page" is taken by Razor Pages' routing.</summary>
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public AuditPage? Result { get; private set; }
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public string? ActorName { get; private set; }
    public string? RecordLabel { get; private set; }
    public bool Filtered => EntityType is not null || EntityKey is not null || ActorId is not null || From is not null || To is not null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Zone = await ViewerZoneAsync(ct);
        if (From is { } f && To is { } t && t < f)
            ModelState.AddModelError(nameof(To), $"The last day ({t:yyyy-MM-dd}) is before the first day ({f:yyyy-MM-dd}).");
        if (PageNumber < 1) PageNumber = 1;
        if (EntityType is not null && !AuditLog.EntityTypes.Contains(EntityType))
            ModelState.AddModelError(nameof(EntityType), "Choose a kind of record from the list.");
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            Result = await log.SearchAsync(new AuditQuery(EntityType, EntityKey, ActorId,
                From is { } from ? StartOfDay(from) : null, To is { } to ? StartOfDay(to.AddDays(1)) : null, PageNumber, PageSize), ct);
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
                foreach (var message in messages) ModelState.AddModelError(field == "to" ? nameof(To) : field, message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (ActorId is { } actor)
            ActorName = Result.Items.FirstOrDefault(i => i.ActorId == actor)?.ActorName
                ?? await db.Users.AsNoTracking().Where(p => p.Id == actor).Select(p => p.DisplayName).FirstOrDefaultAsync(ct)
                ?? "an unknown person";
        if (EntityKey is not null)
            RecordLabel = Result.Items.FirstOrDefault()?.Label is { Length: > 0 } label ? label : EntityKey;
        return Page();
    }

    /// <summary>"Hannah Reyes changed the stint", "Ann gave the role HR to", as the start of the entry's sentence.</summary>
    public static string Verb(AuditItem item) => item.Action switch
    {
        "Created" => "created",
        "Changed" => "changed",
        "Deleted" => "deleted",
        "RoleGranted" => $"gave the role {RoleIn(item)} to",
        "RoleRemoved" => $"took the role {RoleIn(item)} from",
        "InvitationSent" => "sent an invitation to",
        "PasswordSet" => "chose a first password with the invitation link:",
        "PasswordReset" => "reset the password with an emailed link:",
        "SignedIn" => "signed in as",
        "SignedOut" => "signed out:",
        "SignInFailed" => "failed to sign in as",
        "LockedOut" => "was locked out signing in as",
        "Throttled" => "was refused (too many attempts) signing in as",
        "Denied" => "was refused",
        "Paused" => "paused the job",
        "Resumed" => "resumed the job",
        "RunNow" => "ran now the job",
        "Retried" => "put back in the queue the email",
        _ => item.Action.ToLowerInvariant(),
    };

    public static string Noun(string entityType) => entityType switch
    {
        nameof(Stint) => "the stint",
        nameof(Catalogue.Tour) => "the tour",
        nameof(Catalogue.TourHost) => "the tour host",
        nameof(Person) => "",
        nameof(People.LeaderProfile) => "the leader profile of",
        nameof(People.Cohort) => "the cohort",
        AuditEvents.SignIn or AuditEvents.Access or AuditEvents.Job or AuditEvents.Email => "",
        _ => entityType,
    };

    public static string TypeName(string entityType) => entityType switch
    {
        nameof(Catalogue.TourHost) => "Tour host",
        nameof(People.LeaderProfile) => "Leader profile",
        nameof(Reminders.ReminderSettings) => "Reminder settings",
        AuditEvents.SignIn => "Sign-in",
        AuditEvents.Access => "Refused request",
        _ => entityType,
    };

    /// <summary>Where the record can be seen, when a page for it exists.</summary>
    public string? RecordUrl(AuditItem item) => item.EntityType switch
    {
        nameof(Stint) => $"/Stints/{item.EntityKey}",
        nameof(Catalogue.Tour) or nameof(Catalogue.TourHost) when Result!.Names.TourCode(item.EntityType, item.EntityKey) is { } code => $"/Tours/{code}",
        _ => null,
    };

    public sealed record Change(string Field, string? From, string? To);

    /// <summary>Entries of events (a sign-in, a refusal, a job action) rather than changes to a record.</summary>
    public static bool IsEvent(string entityType) =>
        entityType is AuditEvents.SignIn or AuditEvents.Access or AuditEvents.Job or AuditEvents.Email;

    /// <summary>The link to the rest of an entry's history, or null when it has none of its own.</summary>
    public static string? HistoryLabel(AuditItem item) => item.EntityKey == "" ? null : item.EntityType switch
    {
        AuditEvents.SignIn => "Every sign-in of this person",
        _ => $"History of this {TypeName(item.EntityType).ToLowerInvariant()}",
    };

    /// <summary>Where an entry came from and, for sign-ins and refusals, how and why: "from 203.0.113.9 · page · wrong password".</summary>
    public static string Circumstances(AuditItem item)
    {
        var parts = new List<string>();
        if (item.Address is { } address) parts.Add($"from {address}");
        if (item.EntityType is AuditEvents.SignIn or AuditEvents.Access && item.Changes.ValueKind == JsonValueKind.Object)
            foreach (var field in item.Changes.EnumerateObject())
                if (field.Name is "via" or "reason" && field.Value.ValueKind == JsonValueKind.String)
                    parts.Add(field.Name == "via" ? (field.Value.GetString() == "api" ? "through the API" : "on the sign-in page") : field.Value.GetString()!);
        return string.Join(" · ", parts);
    }

    /// <summary>The fields of an entry as people read them: names for ids, local times for instants.</summary>
    public IReadOnlyList<Change> Changes(AuditItem item)
    {
        if (item.Action is "RoleGranted" or "RoleRemoved" || item.Changes.ValueKind != JsonValueKind.Object || IsEvent(item.EntityType)) return [];
        var changes = new List<Change>();
        foreach (var field in item.Changes.EnumerateObject())
        {
            var from = field.Value.ValueKind == JsonValueKind.Object && field.Value.TryGetProperty("from", out var f) ? f : default;
            var to = field.Value.ValueKind == JsonValueKind.Object && field.Value.TryGetProperty("to", out var t) ? t : default;
            changes.Add(new Change(FieldName(field.Name), Value(from), Value(to)));
        }
        return changes;
    }

    public string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The query string of this page with some filters changed; null removes one.</summary>
    public string Link(string? entityType = "", string? entityKey = "", Guid? actorId = null, bool keepActor = true, int? page = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["entityType"] = entityType == "" ? EntityType : entityType,
            ["entityKey"] = entityKey == "" ? EntityKey : entityKey,
            ["actorId"] = (actorId ?? (keepActor ? ActorId : null))?.ToString(),
            ["from"] = From?.ToString("yyyy-MM-dd"),
            ["to"] = To?.ToString("yyyy-MM-dd"),
            ["p"] = page is > 1 ? page.Value.ToString(CultureInfo.InvariantCulture) : null,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/Audit", query.Where(q => !string.IsNullOrEmpty(q.Value)));
    }

    private string? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.String when value.TryGetGuid(out var id) => Result!.Names.Of(id) ?? id.ToString(),
        JsonValueKind.String when InstantPattern().IsMatch(value.GetString()!) && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var at) => Local(at),
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    /// <summary>startDate → "Start date", hostId → "Host".</summary>
    private static string FieldName(string camel)
    {
        var name = camel.EndsWith("Id", StringComparison.Ordinal) && camel.Length > 2 ? camel[..^2] : camel;
        var words = Regex.Replace(name, "(?<=[a-z0-9])([A-Z])", " $1").ToLowerInvariant();
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    private static string RoleIn(AuditItem item) =>
        item.Changes.ValueKind == JsonValueKind.Object && item.Changes.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.Object
            ? (role.TryGetProperty("to", out var to) && to.ValueKind == JsonValueKind.String ? to.GetString()
                : role.TryGetProperty("from", out var from) && from.ValueKind == JsonValueKind.String ? from.GetString() : null) ?? "?"
            : "?";

    private DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    private async Task<TimeZoneInfo> ViewerZoneAsync(CancellationToken ct)
    {
        var me = User.PersonId();
        var id = await db.Users.AsNoTracking().Where(p => p.Id == me).Select(p => p.TimeZone).FirstOrDefaultAsync(ct);
        return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")]
    private static partial Regex InstantPattern();
}
