using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Audit;
using Rotations.Web.Features.Catalogue;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Scheduling;

public enum StintKind
{
    /// <summary>A few weeks of looking and listening.</summary>
    Orientation,
    /// <summary>Months as a working member of the department.</summary>
    Assignment,
}

public enum StintStatus
{
    Planned,
    Confirmed,
    InProgress,
    Completed,
    Cancelled,
}

/// <summary>
/// One leader's time on one tour. Dates are inclusive calendar days. Planned, Confirmed and Cancelled
/// are recorded; In progress and Completed follow from the dates.
/// </summary>
public sealed class Stint : IAudited
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid LeaderId { get; init; }
    public Person? Leader { get; init; }
    public Guid TourId { get; init; }
    public Tour? Tour { get; init; }
    public Guid? HostId { get; private set; }
    public Person? Host { get; init; }
    public DateOnly StartDate { get; private set; }
    public DateOnly EndDate { get; private set; }
    public StintKind Kind { get; private set; }
    /// <summary>The leader's objectives for the stint (Markdown).</summary>
    public string Objectives { get; set; } = "";
    public DateTimeOffset? ConfirmedAt { get; private set; }
    public Guid? ConfirmedById { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public string? CancelReason { get; private set; }
    public DateTimeOffset CreatedAt { get; init; }
    public uint Version { get; private set; }

    public static Stint Plan(Guid leaderId, Guid tourId, Guid? hostId, DateOnly start, DateOnly end, StintKind kind, string objectives) =>
        new()
        {
            LeaderId = leaderId, TourId = tourId, HostId = hostId,
            StartDate = start, EndDate = end, Kind = kind, Objectives = objectives,
        };

    public bool IsCancelled => CancelledAt is not null;

    /// <summary>Inclusive length in days.</summary>
    public int Days => EndDate.DayNumber - StartDate.DayNumber + 1;

    public StintStatus StatusOn(DateOnly today) =>
        IsCancelled ? StintStatus.Cancelled
        : today > EndDate ? StintStatus.Completed
        : today >= StartDate ? StintStatus.InProgress
        : ConfirmedAt is not null ? StintStatus.Confirmed
        : StintStatus.Planned;

    public void Reschedule(DateOnly start, DateOnly end, Guid? hostId, StintKind kind)
    {
        if (IsCancelled) throw new ConflictException("A cancelled stint cannot be changed.", Id);
        var hostChanged = hostId != HostId;
        StartDate = start;
        EndDate = end;
        Kind = kind;
        HostId = hostId;
        // A new host has not confirmed anything yet.
        if (hostChanged) { ConfirmedAt = null; ConfirmedById = null; }
    }

    public void Confirm(Guid by, DateTimeOffset now)
    {
        if (IsCancelled) throw new ConflictException("A cancelled stint cannot be confirmed.", Id);
        ConfirmedAt ??= now;
        ConfirmedById ??= by;
    }

    public void Cancel(string reason, DateTimeOffset now)
    {
        if (IsCancelled) throw new ConflictException("The stint is already cancelled.", Id);
        CancelledAt = now;
        CancelReason = reason;
    }

    public IEnumerable<string> AuditIdentity() => [];
}

internal sealed class StintConfiguration : IEntityTypeConfiguration<Stint>
{
    public void Configure(EntityTypeBuilder<Stint> e)
    {
        e.ToTable("stints", t => t.HasCheckConstraint("ck_stints_dates", "end_date >= start_date"));
        e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(s => s.CancelReason).HasMaxLength(500);
        e.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
        e.Property(s => s.Version).IsRowVersion().HasColumnName("xmin");
        e.HasOne(s => s.Leader).WithMany().HasForeignKey(s => s.LeaderId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(s => s.Host).WithMany().HasForeignKey(s => s.HostId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(s => s.Tour).WithMany().HasForeignKey(s => s.TourId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(s => s.ConfirmedById).OnDelete(DeleteBehavior.Restrict);
        // The capacity and overlap checks read stints of one tour or one leader within a date range.
        e.HasIndex(s => new { s.TourId, s.StartDate });
        e.HasIndex(s => new { s.LeaderId, s.StartDate });
        e.HasIndex(s => s.HostId);
    }
}
