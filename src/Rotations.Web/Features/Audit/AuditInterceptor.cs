using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Audit;

/// <summary>Who is making the change: the signed-in person, or the system (jobs, commands); and from where.</summary>
public sealed class AuditActor(IHttpContextAccessor http)
{
    public (Guid? Id, string Name) Current()
    {
        var user = http.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated != true) return (null, "system");
        var id = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var g) ? g : (Guid?)null;
        var name = user.FindFirstValue(AccountClaims.DisplayName) ?? user.Identity.Name ?? "unknown";
        return (id, name);
    }

    /// <summary>The client address of the current request, or null outside a request (jobs, commands).</summary>
    public string? Address() => http.HttpContext is { } ctx ? AddressOf(ctx) : null;

    /// <summary>The address a request came from, as forwarded by a trusted proxy; "unknown" when the server has none.</summary>
    public static string AddressOf(HttpContext ctx)
    {
        var ip = ctx.Connection.RemoteIpAddress;
        if (ip is null) return "unknown";
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return ip.ToString();
    }
}

/// <summary>
/// Writes an audit entry for every create, change and delete of an audited entity, in the same
/// SaveChanges (so the same transaction) as the change itself: no service can forget to audit.
/// Role grants (person_roles rows) are recorded against the person.
/// </summary>
internal sealed class AuditInterceptor(AuditActor actor, TimeProvider clock) : SaveChangesInterceptor
{
    /// <summary>Never copied into the trail: secrets and bookkeeping.</summary>
    private static readonly HashSet<string> Hidden =
    [
        nameof(Person.PasswordHash), nameof(Person.SecurityStamp), nameof(Person.ConcurrencyStamp),
        nameof(Person.NormalizedEmail), nameof(Person.NormalizedUserName), nameof(Person.AccessFailedCount),
        "Version", "CreatedAt",
    ];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db) AddEntries(db);
        return base.SavingChangesAsync(eventData, result, ct);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db) AddEntries(db);
        return base.SavingChanges(eventData, result);
    }

    private void AddEntries(DbContext db)
    {
        var (actorId, actorName) = actor.Current();
        var address = actor.Address();
        var now = clock.GetUtcNow();
        var entries = new List<AuditEntry>();
        var tracked = db.ChangeTracker.Entries().ToList();
        // Role names from what is tracked, once: DbSet.Local runs DetectChanges on every call, which made a
        // save of thousands of role grants (the CSV import) quadratic.
        var roleNames = tracked.Select(e => e.Entity).OfType<Role>().ToDictionary(r => r.Id, r => r.Name);
        foreach (var entry in tracked)
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            if (entry.Entity is IdentityUserRole<Guid> grant)
            {
                entries.Add(RoleGrant(db, roleNames, grant, entry.State, actorId, actorName, address, now));
                continue;
            }
            if (entry.Entity is not IAudited audited) continue;

            var changes = Changes(entry);
            if (entry.State == EntityState.Modified && changes.Count == 0) continue;
            entries.Add(new AuditEntry
            {
                At = now, ActorId = actorId, ActorName = actorName,
                EntityType = entry.Metadata.ClrType.Name,
                EntityKey = Key(entry),
                Label = Truncate(string.Join(" · ", audited.AuditIdentity().Where(s => s != "")), 300),
                Action = entry.State switch { EntityState.Added => "Created", EntityState.Deleted => "Deleted", _ => "Changed" },
                Changes = JsonSerializer.SerializeToDocument(changes),
                Address = address,
            });
        }
        db.Set<AuditEntry>().AddRange(entries);
    }

    private static Dictionary<string, object?> Changes(EntityEntry entry)
    {
        var changes = new Dictionary<string, object?>();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (Hidden.Contains(name)) continue;
            object? from = entry.State == EntityState.Added ? null : property.OriginalValue;
            object? to = entry.State == EntityState.Deleted ? null : property.CurrentValue;
            if (entry.State == EntityState.Modified && (!property.IsModified || Equals(from, to))) continue;
            if (entry.State == EntityState.Added && to is null) continue;
            changes[JsonNamingPolicy.CamelCase.ConvertName(name)] = new { from = Plain(from), to = Plain(to) };
        }
        return changes;
    }

    private static AuditEntry RoleGrant(DbContext db, Dictionary<Guid, string?> roleNames, IdentityUserRole<Guid> grant, EntityState state,
        Guid? actorId, string actorName, string? address, DateTimeOffset now)
    {
        if (roleNames.GetValueOrDefault(grant.RoleId) is not { } role)
            roleNames[grant.RoleId] = role = db.Set<Role>().AsNoTracking().Where(r => r.Id == grant.RoleId).Select(r => r.Name).FirstOrDefault()
                ?? grant.RoleId.ToString();
        var added = state == EntityState.Added;
        return new AuditEntry
        {
            At = now, ActorId = actorId, ActorName = actorName,
            EntityType = nameof(Person), EntityKey = grant.UserId.ToString(),
            Action = added ? "RoleGranted" : "RoleRemoved",
            Address = address,
            Changes = JsonSerializer.SerializeToDocument(new Dictionary<string, object?>
            {
                ["role"] = new { from = added ? null : role, to = added ? role : null },
            }),
        };
    }

    private static string Key(EntityEntry entry) =>
        string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue?.ToString()));

    /// <summary>Dates and enums as people read them; everything else as it is.</summary>
    private static object? Plain(object? value) => value switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd"),
        Enum e => e.ToString(),
        string s => Truncate(s, 2000),
        _ => value,
    };

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
