using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Audit;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Catalogue;

/// <summary>Weeks a stint of one kind may last at a tour, and how long it usually lasts.</summary>
public readonly record struct WeekBounds(int Min, int Typical, int Max)
{
    /// <summary>Calendar weeks a stint of this many days touches, counting a part week as a week (Mon–Fri is 1 week).</summary>
    public static int WeeksSpanned(int days) => (days + 6) / 7;

    public bool Fits(int days) => WeeksSpanned(days) >= Min && WeeksSpanned(days) <= Max;
}

/// <summary>
/// A tour of duty: a department a leader rotates through. Retired, never deleted, once stints point at it.
/// </summary>
public sealed class Tour : IAudited
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string Summary { get; set; } = "";
    /// <summary>What the leader learns about customers here (outside-in).</summary>
    public string OutsideIn { get; set; } = "";
    /// <summary>What the leader learns about how the company works here (inside-out).</summary>
    public string InsideOut { get; set; } = "";
    /// <summary>Questions the reflection form shows for this tour, one per line.</summary>
    public string ReflectionPrompts { get; set; } = "";
    public int OrientationMinWeeks { get; set; }
    public int OrientationTypicalWeeks { get; set; }
    public int OrientationMaxWeeks { get; set; }
    public int AssignmentMinWeeks { get; set; }
    public int AssignmentTypicalWeeks { get; set; }
    public int AssignmentMaxWeeks { get; set; }
    /// <summary>How many rotating leaders the department can host at once.</summary>
    public int Capacity { get; set; }
    public bool IsRetired { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>PostgreSQL's xmin: changes on every update, so a stale edit is detected.</summary>
    public uint Version { get; private set; }

    public List<TourHost> Hosts { get; init; } = [];

    public WeekBounds Bounds(StintKind kind) => kind == StintKind.Orientation
        ? new(OrientationMinWeeks, OrientationTypicalWeeks, OrientationMaxWeeks)
        : new(AssignmentMinWeeks, AssignmentTypicalWeeks, AssignmentMaxWeeks);

    public IEnumerable<string> AuditIdentity() => [Code];
}

/// <summary>A person who receives leaders on a tour.</summary>
public sealed class TourHost : IAudited
{
    public Guid TourId { get; init; }
    public Guid PersonId { get; init; }
    public Person? Person { get; init; }

    public IEnumerable<string> AuditIdentity() => [];
}

internal sealed class TourConfiguration : IEntityTypeConfiguration<Tour>
{
    public void Configure(EntityTypeBuilder<Tour> e)
    {
        e.ToTable("tours", t =>
        {
            t.HasCheckConstraint("ck_tours_capacity", "capacity >= 1");
            t.HasCheckConstraint("ck_tours_orientation_weeks",
                "orientation_min_weeks >= 1 and orientation_min_weeks <= orientation_typical_weeks and orientation_typical_weeks <= orientation_max_weeks");
            t.HasCheckConstraint("ck_tours_assignment_weeks",
                "assignment_min_weeks >= 1 and assignment_min_weeks <= assignment_typical_weeks and assignment_typical_weeks <= assignment_max_weeks");
        });
        e.Property(t => t.Code).HasMaxLength(16);
        e.HasIndex(t => t.Code).IsUnique();
        e.Property(t => t.Name).HasMaxLength(100);
        e.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
        e.Property(t => t.Version).IsRowVersion().HasColumnName("xmin");
        e.HasMany(t => t.Hosts).WithOne().HasForeignKey(h => h.TourId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TourHostConfiguration : IEntityTypeConfiguration<TourHost>
{
    public void Configure(EntityTypeBuilder<TourHost> e)
    {
        e.ToTable("tour_hosts");
        e.HasKey(h => new { h.TourId, h.PersonId });
        e.HasOne(h => h.Person).WithMany().HasForeignKey(h => h.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}
