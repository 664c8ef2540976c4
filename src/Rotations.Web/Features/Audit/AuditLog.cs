using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Catalogue;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Audit;

/// <summary>Filters of the audit trail. <c>From</c> is inclusive, <c>To</c> exclusive.</summary>
public sealed record AuditQuery(
    string? EntityType = null, string? EntityKey = null, Guid? ActorId = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, int Page = 1, int PageSize = AuditLog.DefaultPageSize);

/// <summary>One entry; <c>Changes</c> is the stored object <c>{ "field": { "from": …, "to": … } }</c>.</summary>
public sealed record AuditItem(
    long Id, DateTimeOffset At, Guid? ActorId, string ActorName, string EntityType, string EntityKey, string Label,
    string Action, JsonElement Changes, string? Address = null);

public sealed record AuditPage(IReadOnlyList<AuditItem> Items, int Page, int PageSize, int Total)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>Current names of the records the items mention, for pages that show them.</summary>
    [JsonIgnore]
    public AuditNames Names { get; init; } = new();
}

/// <summary>
/// Reads the audit trail, newest first. Entries whose record has no name of its own (a stint, a tour's host,
/// a leader profile, a role grant) are labelled from the records they point at, as they are now.
/// </summary>
public sealed class AuditLog(RotationsDbContext db)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The audited entity types, as stored in <c>entity_type</c>.</summary>
    public static readonly IReadOnlyList<string> EntityTypes =
        [nameof(Stint), nameof(Tour), nameof(TourHost), nameof(Account.Person), nameof(LeaderProfile), nameof(Cohort), nameof(Reminders.ReminderSettings), nameof(Competencies.Competency),
         AuditEvents.SignIn, AuditEvents.Access, AuditEvents.Job, AuditEvents.Email];

    public async Task<AuditPage> SearchAsync(AuditQuery query, CancellationToken ct = default)
    {
        Validate(query);
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.EntityType)) entries = entries.Where(a => a.EntityType == query.EntityType.Trim());
        if (!string.IsNullOrWhiteSpace(query.EntityKey)) entries = entries.Where(a => a.EntityKey == query.EntityKey.Trim());
        if (query.ActorId is { } actor) entries = entries.Where(a => a.ActorId == actor);
        if (query.From is { } from) entries = entries.Where(a => a.At >= from.ToUniversalTime());
        if (query.To is { } to) entries = entries.Where(a => a.At < to.ToUniversalTime());

        var total = await entries.CountAsync(ct);
        var page = await entries
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .ToListAsync(ct);
        var changes = page.ToDictionary(a => a.Id, a => a.Changes.RootElement.Clone());
        foreach (var entry in page) entry.Changes.Dispose();
        var names = await NamesAsync(MentionedIds(page.Select(a => (a.EntityKey, changes[a.Id]))), ct);
        var items = page.Select(a => new AuditItem(
            a.Id, a.At, a.ActorId, a.ActorName, a.EntityType, a.EntityKey,
            a.Label != "" ? a.Label : names.Label(a.EntityType, a.EntityKey),
            a.Action, changes[a.Id], a.Address)).ToList();
        return new AuditPage(items, query.Page, query.PageSize, total) { Names = names };
    }

    /// <summary>The ids in the entries' keys and in their "…Id" fields: the records whose names make an entry readable.</summary>
    private static HashSet<Guid> MentionedIds(IEnumerable<(string Key, JsonElement Changes)> entries)
    {
        var ids = new HashSet<Guid>();
        foreach (var (key, changes) in entries)
        {
            foreach (var part in key.Split('/'))
                if (Guid.TryParse(part, out var id)) ids.Add(id);
            if (changes.ValueKind != JsonValueKind.Object) continue;
            foreach (var change in changes.EnumerateObject())
                if (change.Name.EndsWith("Id", StringComparison.Ordinal) && change.Value.ValueKind == JsonValueKind.Object)
                    foreach (var side in change.Value.EnumerateObject())
                        if (side.Value.ValueKind == JsonValueKind.String && side.Value.TryGetGuid(out var g)) ids.Add(g);
        }
        return ids;
    }

    private async Task<AuditNames> NamesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var names = new AuditNames();
        if (ids.Count == 0) return names;
        var list = ids.ToList();
        foreach (var p in await db.Users.AsNoTracking().Where(p => list.Contains(p.Id)).Select(p => new { p.Id, p.DisplayName }).ToListAsync(ct))
            names.People[p.Id] = p.DisplayName;
        foreach (var t in await db.Tours.AsNoTracking().Where(t => list.Contains(t.Id)).Select(t => new { t.Id, t.Code, t.Name }).ToListAsync(ct))
            names.Tours[t.Id] = (t.Code, t.Name);
        foreach (var c in await db.Cohorts.AsNoTracking().Where(c => list.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
            names.Cohorts[c.Id] = c.Name;
        foreach (var s in await db.Stints.AsNoTracking().Where(s => list.Contains(s.Id))
                     .Select(s => new { s.Id, Leader = s.Leader!.DisplayName, s.Tour!.Code, s.StartDate }).ToListAsync(ct))
            names.Stints[s.Id] = (s.Leader, s.Code, s.StartDate);
        return names;
    }

    private static void Validate(AuditQuery q)
    {
        var errors = new Dictionary<string, string[]>();
        if (q.Page < 1) errors["page"] = ["Pages are numbered from 1."];
        if (q.PageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"Choose a page size from 1 to {MaxPageSize}."];
        if (q.EntityType is { Length: > 50 }) errors["entityType"] = ["The entity type is longer than 50 characters."];
        if (q.EntityKey is { Length: > 100 }) errors["entityKey"] = ["The entity key is longer than 100 characters."];
        if (q.From is { } f && q.To is { } t && t <= f) errors["to"] = ["The end of the period must come after its start."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);
    }
}

/// <summary>Current names of the records an audit page points at.</summary>
public sealed class AuditNames
{
    public Dictionary<Guid, string> People { get; } = [];
    public Dictionary<Guid, (string Code, string Name)> Tours { get; } = [];
    public Dictionary<Guid, string> Cohorts { get; } = [];
    public Dictionary<Guid, (string Leader, string TourCode, DateOnly Start)> Stints { get; } = [];

    /// <summary>A readable name for any id an entry mentions, or null when it is unknown.</summary>
    public string? Of(Guid id) =>
        People.TryGetValue(id, out var person) ? person
        : Tours.TryGetValue(id, out var tour) ? $"{tour.Name} ({tour.Code})"
        : Cohorts.TryGetValue(id, out var cohort) ? cohort
        : Stints.TryGetValue(id, out var stint) ? StintLabel(stint)
        : null;

    /// <summary>The tour code of a Tour or TourHost entry, for a link to the tour's page.</summary>
    public string? TourCode(string entityType, string entityKey) =>
        entityType is nameof(Tour) or nameof(TourHost) && Guid.TryParse(entityKey.Split('/')[0], out var id) && Tours.TryGetValue(id, out var t)
            ? t.Code : null;

    /// <summary>What to call a record whose entries carry no label of their own.</summary>
    public string Label(string entityType, string entityKey)
    {
        var parts = entityKey.Split('/');
        var ids = parts.Select(p => Guid.TryParse(p, out var g) ? g : Guid.Empty).ToArray();
        return entityType switch
        {
            nameof(Stint) when Stints.TryGetValue(ids[0], out var s) => StintLabel(s),
            nameof(TourHost) when ids.Length == 2 && Tours.TryGetValue(ids[0], out var t) =>
                $"{t.Code} · {(People.TryGetValue(ids[1], out var host) ? host : "unknown person")}",
            nameof(LeaderProfile) or nameof(Account.Person) when People.TryGetValue(ids[0], out var p) => p,
            nameof(Tour) when Tours.TryGetValue(ids[0], out var tour) => tour.Code,
            nameof(Cohort) when Cohorts.TryGetValue(ids[0], out var c) => c,
            _ => "",
        };
    }

    private static string StintLabel((string Leader, string TourCode, DateOnly Start) s) =>
        $"{s.Leader} · {s.TourCode} · from {s.Start:yyyy-MM-dd}";
}
