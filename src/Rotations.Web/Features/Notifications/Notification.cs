using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Notifications;

/// <summary>What a notification is about. Stored as text; the reminder table of PRODUCT.md is the first eight.</summary>
public enum NotificationKind
{
    /// <summary>Leader and host, some days before a stint starts (14 by default): time to set objectives.</summary>
    UpcomingStint,
    /// <summary>Leader and host, the second reminder before the start (1 day by default).</summary>
    StintStartsSoon,
    /// <summary>Leader, first day: the tour's two lenses and the objectives.</summary>
    StintStarts,
    /// <summary>Leader, midpoint of a stint of four weeks or more.</summary>
    MidpointCheckIn,
    /// <summary>Leader, last day: the reflection is due.</summary>
    ReflectionDue,
    /// <summary>Host, last day: feedback requested.</summary>
    FeedbackRequested,
    /// <summary>Leader, some days after the end with no reflection submitted.</summary>
    ReflectionOverdue,
    /// <summary>Leader's manager, later still with no reflection submitted.</summary>
    ReflectionEscalation,
    /// <summary>HR, weekly: starts next week, overdue reflections, capacity clashes.</summary>
    WeeklyDigest,
}

/// <summary>
/// One reminder to one person, created by the sweep when it falls due. The row is the in-app inbox
/// item; an email for it, when the person wants one, is a row in the outbox.
/// (Kind, recipient, stint, occurrence) is unique in the database, so a retried sweep or a second node
/// cannot create a second one. The occurrence is the stint date the reminder hangs on (its first day for
/// the reminders before and during it, its last day for those after it; the digest's day for the digest),
/// not the day it was sent: so a stint that moves gets its reminders again at the new dates, while HR
/// changing an offset never sends one a second time.
/// A reminder that no longer makes sense when the sweep reaches it (the stint began before an "upcoming"
/// could be sent) is kept as a dropped row with the reason, never shown and never sent.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid RecipientId { get; init; }
    public NotificationKind Kind { get; init; }
    public Guid? StintId { get; init; }
    public DateOnly Occurrence { get; init; }
    /// <summary>The instant it fell due: the day the rules give, at the recipient's send hour, in their time zone.</summary>
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; set; }
    public DateTimeOffset? DroppedAt { get; init; }
    public string? DropReason { get; init; }
    /// <summary>Text fixed at creation (the weekly digest); reminders about a stint are worded from the stint when shown.</summary>
    public string? Body { get; init; }

    public bool IsDropped => DroppedAt is not null;
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> e)
    {
        e.ToTable("notifications");
        e.Property(n => n.Kind).HasConversion<string>().HasMaxLength(32);
        e.Property(n => n.DropReason).HasMaxLength(300);
        e.Property(n => n.CreatedAt).HasDefaultValueSql("now()");
        e.HasIndex(n => new { n.Kind, n.RecipientId, n.StintId, n.Occurrence }).IsUnique().AreNullsDistinct(false);
        // The inbox: newest first, and the unread count in the navigation.
        e.HasIndex(n => new { n.RecipientId, n.CreatedAt });
        e.HasIndex(n => n.RecipientId).HasFilter("read_at is null and dropped_at is null");
        e.HasIndex(n => n.StintId);
        e.HasOne<Person>().WithMany().HasForeignKey(n => n.RecipientId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Stint>().WithMany().HasForeignKey(n => n.StintId).OnDelete(DeleteBehavior.Cascade);
    }
}
