using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Audit;
using Rotations.Web.Features.Catalogue;
using Rotations.Web.Features.Competencies;
using Rotations.Web.Features.People;

namespace Rotations.Web.Features.Readiness;

/// <summary>
/// What a target level asks of a leader before a manager can judge them ready: tours that are required, a
/// minimum number of distinct tours and of weeks served, every completed stint reflected, and a minimum rating
/// per competency (from the latest readiness review for the level). HR edits them; four are seeded.
/// </summary>
public sealed class ReadinessCriteria : IAudited
{
    /// <summary>The levels readiness is judged for, lowest first.</summary>
    public static readonly IReadOnlyList<Level> Levels = [Level.HeadOf, Level.Director, Level.VP, Level.CCO];

    public const int MaxTours = 100;
    public const int MaxWeeks = 1000;

    public Level Level { get; init; }
    public int MinDistinctTours { get; set; }
    public int MinTotalWeeks { get; set; }
    public bool RequireAllReflected { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<RequiredTour> RequiredTours { get; init; } = [];
    public List<MinRating> MinRatings { get; init; } = [];
    public uint Version { get; private set; }

    public IEnumerable<string> AuditIdentity() => [Level.ToString()];
}

/// <summary>A tour a level requires.</summary>
public sealed class RequiredTour : IAudited
{
    public Level Level { get; init; }
    public Guid TourId { get; init; }
    public Tour? Tour { get; init; }

    public IEnumerable<string> AuditIdentity() => [Level.ToString()];
}

/// <summary>The lowest rating (1–4) of a competency that a level accepts.</summary>
public sealed class MinRating : IAudited
{
    public Level Level { get; init; }
    public Guid CompetencyId { get; init; }
    public Competency? Competency { get; init; }
    public int Rating { get; set; }

    public IEnumerable<string> AuditIdentity() => [Level.ToString()];
}

internal sealed class ReadinessCriteriaConfiguration : IEntityTypeConfiguration<ReadinessCriteria>
{
    public void Configure(EntityTypeBuilder<ReadinessCriteria> e)
    {
        e.ToTable("readiness_criteria", t =>
        {
            t.HasCheckConstraint("ck_readiness_criteria_level", "level in ('HeadOf', 'Director', 'VP', 'CCO')");
            t.HasCheckConstraint("ck_readiness_criteria_bounds", "min_distinct_tours between 0 and 100 and min_total_weeks between 0 and 1000");
        });
        e.HasKey(c => c.Level);
        e.Property(c => c.Level).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.UpdatedAt).HasDefaultValueSql("now()");
        e.Property(c => c.Version).IsRowVersion().HasColumnName("xmin");
        e.HasMany(c => c.RequiredTours).WithOne().HasForeignKey(t => t.Level).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(c => c.MinRatings).WithOne().HasForeignKey(r => r.Level).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RequiredTourConfiguration : IEntityTypeConfiguration<RequiredTour>
{
    public void Configure(EntityTypeBuilder<RequiredTour> e)
    {
        e.ToTable("readiness_required_tours");
        e.HasKey(t => new { t.Level, t.TourId });
        e.Property(t => t.Level).HasConversion<string>().HasMaxLength(16);
        e.HasOne(t => t.Tour).WithMany().HasForeignKey(t => t.TourId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MinRatingConfiguration : IEntityTypeConfiguration<MinRating>
{
    public void Configure(EntityTypeBuilder<MinRating> e)
    {
        e.ToTable("readiness_min_ratings", t => t.HasCheckConstraint("ck_readiness_min_ratings_rating", "min_rating between 1 and 4"));
        e.HasKey(r => new { r.Level, r.CompetencyId });
        e.Property(r => r.Level).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Rating).HasColumnName("min_rating");
        e.HasOne(r => r.Competency).WithMany().HasForeignKey(r => r.CompetencyId).OnDelete(DeleteBehavior.Restrict);
    }
}
