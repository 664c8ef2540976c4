using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Audit;

namespace Rotations.Web.Features.People;

/// <summary>What the programme knows about a person in the Leader role.</summary>
public sealed class LeaderProfile : IAudited
{
    public Guid PersonId { get; init; }
    public Level CurrentLevel { get; set; }
    public Level TargetLevel { get; set; }
    public Guid? CohortId { get; set; }
    public Cohort? Cohort { get; init; }
    public string HomeDepartment { get; set; } = "";
    public DateOnly? ProgrammeStart { get; set; }

    public IEnumerable<string> AuditIdentity() => [];
}

/// <summary>A named intake of leaders who start the programme together.</summary>
public sealed class Cohort : IAudited
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public uint Version { get; private set; }

    public IEnumerable<string> AuditIdentity() => [Name];
}

internal sealed class LeaderProfileConfiguration : IEntityTypeConfiguration<LeaderProfile>
{
    public void Configure(EntityTypeBuilder<LeaderProfile> e)
    {
        e.ToTable("leader_profiles");
        e.HasKey(p => p.PersonId);
        e.HasOne<Person>().WithOne(p => p.LeaderProfile).HasForeignKey<LeaderProfile>(p => p.PersonId).OnDelete(DeleteBehavior.Cascade);
        e.Property(p => p.CurrentLevel).HasConversion<string>().HasMaxLength(16);
        e.Property(p => p.TargetLevel).HasConversion<string>().HasMaxLength(16);
        e.Property(p => p.HomeDepartment).HasMaxLength(100);
        e.HasOne(p => p.Cohort).WithMany().HasForeignKey(p => p.CohortId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class CohortConfiguration : IEntityTypeConfiguration<Cohort>
{
    public void Configure(EntityTypeBuilder<Cohort> e)
    {
        e.ToTable("cohorts", t => t.HasCheckConstraint("ck_cohorts_dates", "end_date >= start_date"));
        e.Property(c => c.Name).HasMaxLength(100);
        e.HasIndex(c => c.Name).IsUnique();
        e.Property(c => c.CreatedAt).HasDefaultValueSql("now()");
        e.Property(c => c.Version).IsRowVersion().HasColumnName("xmin");
    }
}
