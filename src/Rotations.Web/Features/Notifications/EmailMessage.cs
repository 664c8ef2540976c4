using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Notifications;

/// <summary>What an email in the outbox carries: a notification, or an account message.</summary>
public enum EmailKind
{
    /// <summary>The email copy of an inbox notification (<see cref="EmailMessage.NotificationId"/> is set).</summary>
    Notification,
    /// <summary>A link to set a first password.</summary>
    Invitation,
    /// <summary>A single-use link to choose a new password.</summary>
    PasswordReset,
}

public enum EmailStatus
{
    /// <summary>Waiting for its next attempt.</summary>
    Pending,
    /// <summary>Handed to the SMTP server (or written to the pickup folder).</summary>
    Sent,
    /// <summary>Every attempt failed; shown on the jobs page and retryable from there.</summary>
    Failed,
    /// <summary>No longer wanted when its turn came (the stint was cancelled, the reflection submitted).</summary>
    Cancelled,
}

/// <summary>
/// One email in the outbox. Rows are written in the same transaction as what caused them and drained
/// by the delivery job, which renders the message at send time from the current data (so no reset
/// token or link is stored). The Message-ID is fixed when the row is created, so a retry after a
/// crash between "sent" and "recorded" carries the same id and receivers can de-duplicate it.
/// </summary>
public sealed class EmailMessage
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public EmailKind Kind { get; init; }
    public Guid? NotificationId { get; init; }
    public Guid RecipientId { get; init; }
    public required string ToAddress { get; init; }
    public required string MessageId { get; init; }
    public EmailStatus Status { get; set; } = EmailStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Set while one delivery worker holds the row; another takes it over only after this passes.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    public uint Version { get; private set; }

    public static string NewMessageId(Guid id, string domain) => $"<{id:N}@{domain}>";
}

internal sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> e)
    {
        e.ToTable("email_outbox");
        e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        e.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(m => m.ToAddress).HasMaxLength(256);
        e.Property(m => m.MessageId).HasMaxLength(200);
        e.Property(m => m.LastError).HasMaxLength(2000);
        e.Property(m => m.CreatedAt).HasDefaultValueSql("now()");
        e.Property(m => m.Version).IsRowVersion().HasColumnName("xmin");
        e.HasIndex(m => m.MessageId).IsUnique();
        // One email per notification, however often the sweep or the delivery runs.
        e.HasIndex(m => m.NotificationId).IsUnique();
        // The delivery job's queue: pending rows by their next attempt.
        e.HasIndex(m => m.NextAttemptAt).HasFilter("status = 'Pending'");
        e.HasIndex(m => new { m.Status, m.CreatedAt });
        e.HasOne<Notification>().WithMany().HasForeignKey(m => m.NotificationId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Person>().WithMany().HasForeignKey(m => m.RecipientId).OnDelete(DeleteBehavior.Cascade);
    }
}
