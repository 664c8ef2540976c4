using System.Text.Json;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Audit;

/// <summary>
/// Audit entries for events that change no audited record: sign-ins and their refusals, refused requests,
/// and administrative actions on the scheduler. Each carries the UTC time, the person and the client address.
/// </summary>
public sealed class AuditEvents(AuditActor actor, TimeProvider clock, IServiceScopeFactory scopes, ILogger<AuditEvents> log)
{
    /// <summary>Entity types of these entries, beside the audited records' own (see <see cref="AuditLog.EntityTypes"/>).</summary>
    public const string SignIn = "SignIn";
    public const string Access = "Access";
    public const string Job = "Job";
    public const string Email = "Email";

    /// <summary>An entry by the signed-in person (or <paramref name="who"/>) from the current request's address.</summary>
    public AuditEntry Entry(string entityType, string entityKey, string label, string action, object? details = null,
        (Guid? Id, string Name)? who = null)
    {
        var (id, name) = who ?? actor.Current();
        return new AuditEntry
        {
            At = clock.GetUtcNow(), ActorId = id, ActorName = Cut(name, 200),
            EntityType = entityType, EntityKey = Cut(entityKey, 100), Label = Cut(label, 300),
            Action = action,
            Changes = JsonSerializer.SerializeToDocument(details ?? new { }, JsonSerializerOptions.Web),
            Address = actor.Address(),
        };
    }

    /// <summary>
    /// Writes the entry on its own connection, in a scope of its own: the request's context may hold work that
    /// was refused and must not be saved with it. A failure to write is logged, never thrown at the caller.
    /// </summary>
    public async Task WriteAsync(AuditEntry entry, CancellationToken ct = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RotationsDbContext>();
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning("Could not write the audit entry {Action} {EntityType}: {Error}", entry.Action, entry.EntityType, ex.Message);
        }
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
