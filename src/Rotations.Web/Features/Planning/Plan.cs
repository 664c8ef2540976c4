using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Catalogue;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Planning;

/// <summary>A period in which a leader cannot serve a stint (leave, a project, a course). The planner never books into it.</summary>
public sealed class Unavailability
{
    public const int MaxReasonLength = 200;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PersonId { get; init; }
    public DateOnly FromDate { get; set; }
    public DateOnly ToDate { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

public enum PlanStatus { Proposed, Committed, Discarded }

/// <summary>
/// An auto-planner proposal for a cohort and a horizon: the stints it proposes (HR may remove or pin each one and plan
/// again), what it could not place and why, and its metrics. Committing books every stint still in it, in one
/// transaction under the booking rules; nothing is written if any is refused.
/// </summary>
public sealed class Plan
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid CohortId { get; init; }
    public Cohort? Cohort { get; init; }
    public DateOnly FromDate { get; init; }
    public DateOnly ToDate { get; init; }
    public PlanStatus Status { get; set; }
    public Guid CreatedById { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CommittedAt { get; set; }
    public Guid? CommittedById { get; set; }
    /// <summary>The unplaced items with their reasons, as JSON (<see cref="UnplacedItem"/>).</summary>
    public string Unplaced { get; set; } = "[]";
    /// <summary>The metrics, as JSON (<see cref="PlanMetricsDto"/>).</summary>
    public string Metrics { get; set; } = "{}";
    public List<PlanItem> Items { get; init; } = [];
    public uint Version { get; private set; }
}

/// <summary>One proposed stint of a plan.</summary>
public sealed class PlanItem
{
    public Guid PlanId { get; init; }
    public int Position { get; set; }
    public Guid LeaderId { get; init; }
    public Guid TourId { get; init; }
    public StintKind Kind { get; init; }
    public DateOnly StartDate { get; init; }
    public DateOnly EndDate { get; init; }
    /// <summary>HR fixed it: planning again keeps it where it is.</summary>
    public bool Pinned { get; set; }
    /// <summary>HR took it out: planning again leaves the need unplanned, committing skips it.</summary>
    public bool Removed { get; set; }
    /// <summary>The stint booked from it at commit.</summary>
    public Guid? StintId { get; set; }
}

internal sealed class UnavailabilityConfiguration : IEntityTypeConfiguration<Unavailability>
{
    public void Configure(EntityTypeBuilder<Unavailability> e)
    {
        e.ToTable("leader_unavailability", t => t.HasCheckConstraint("ck_leader_unavailability_dates", "to_date >= from_date"));
        e.Property(u => u.Reason).HasMaxLength(Unavailability.MaxReasonLength);
        e.Property(u => u.CreatedAt).HasDefaultValueSql("now()");
        e.HasOne<Person>().WithMany().HasForeignKey(u => u.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> e)
    {
        e.ToTable("plans", t =>
        {
            t.HasCheckConstraint("ck_plans_dates", "to_date >= from_date");
            t.HasCheckConstraint("ck_plans_status", "status in ('Proposed', 'Committed', 'Discarded')");
            t.HasCheckConstraint("ck_plans_committed", "(status = 'Committed') = (committed_at is not null) and (committed_at is null) = (committed_by_id is null)");
        });
        e.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(p => p.CreatedAt).HasDefaultValueSql("now()");
        e.Property(p => p.UpdatedAt).HasDefaultValueSql("now()");
        e.Property(p => p.Unplaced).HasColumnType("jsonb");
        e.Property(p => p.Metrics).HasColumnType("jsonb");
        e.Property(p => p.Version).IsRowVersion().HasColumnName("xmin");
        e.HasOne(p => p.Cohort).WithMany().HasForeignKey(p => p.CohortId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Person>().WithMany().HasForeignKey(p => p.CreatedById).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(p => p.CommittedById).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(p => p.Items).WithOne().HasForeignKey(i => i.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanItemConfiguration : IEntityTypeConfiguration<PlanItem>
{
    public void Configure(EntityTypeBuilder<PlanItem> e)
    {
        e.ToTable("plan_items", t => t.HasCheckConstraint("ck_plan_items_dates", "end_date >= start_date"));
        e.HasKey(i => new { i.PlanId, i.Position });
        e.Property(i => i.Kind).HasConversion<string>().HasMaxLength(16);
        e.HasOne<Person>().WithMany().HasForeignKey(i => i.LeaderId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Tour>().WithMany().HasForeignKey(i => i.TourId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Stint>().WithMany().HasForeignKey(i => i.StintId).OnDelete(DeleteBehavior.SetNull);
    }
}
