using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rotations.Web.Features.Audit;

/// <summary>Entities whose creates, changes and deletes are written to the audit trail.</summary>
public interface IAudited
{
    /// <summary>Human-readable names of the record (a tour's code, a person's email), kept with each entry.</summary>
    IEnumerable<string> AuditIdentity();
}

/// <summary>One change to one record: who, when, what changed from what to what.</summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }
    public DateTimeOffset At { get; init; }
    public Guid? ActorId { get; init; }
    public required string ActorName { get; init; }
    /// <summary>Entity type, e.g. Tour, Stint, Person.</summary>
    public required string EntityType { get; init; }
    /// <summary>The record's key; composite keys are joined with '/'.</summary>
    public required string EntityKey { get; init; }
    public string Label { get; init; } = "";
    /// <summary>Created, Changed or Deleted.</summary>
    public required string Action { get; init; }
    /// <summary>{ "field": { "from": …, "to": … } } as JSON.</summary>
    public required JsonDocument Changes { get; init; }
    /// <summary>The client address the action came from (after trusted proxies); null for jobs and commands.</summary>
    public string? Address { get; init; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_entries");
        e.Property(a => a.ActorName).HasMaxLength(200);
        e.Property(a => a.EntityType).HasMaxLength(50);
        e.Property(a => a.EntityKey).HasMaxLength(100);
        e.Property(a => a.Label).HasMaxLength(300);
        e.Property(a => a.Action).HasMaxLength(20);
        e.Property(a => a.Changes).HasColumnType("jsonb");
        e.HasIndex(a => new { a.EntityType, a.EntityKey });
        e.Property(a => a.Address).HasMaxLength(64);
        e.HasIndex(a => a.At);
        e.HasIndex(a => new { a.ActorId, a.At });
    }
}
