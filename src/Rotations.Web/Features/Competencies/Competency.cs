using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Audit;
using Rotations.Web.Features.Catalogue;

namespace Rotations.Web.Features.Competencies;

/// <summary>
/// One competency of the programme's framework (ten are seeded; HR edits them). A competency that leaves
/// the framework is retired, never deleted: reflections and reviews keep pointing at it.
/// </summary>
public sealed class Competency : IAudited
{
    public const int MaxNameLength = 120;
    public const int MaxDescriptionLength = 1000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>Its place in the framework, from 1.</summary>
    public int Position { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public bool IsRetired { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public uint Version { get; private set; }
    public List<TourCompetency> Tours { get; init; } = [];

    public IEnumerable<string> AuditIdentity() => [Name];
}

/// <summary>A tour develops a competency.</summary>
public sealed class TourCompetency : IAudited
{
    public Guid CompetencyId { get; init; }
    public Guid TourId { get; init; }
    public Tour? Tour { get; init; }

    public IEnumerable<string> AuditIdentity() => [];
}

internal sealed class CompetencyConfiguration : IEntityTypeConfiguration<Competency>
{
    public void Configure(EntityTypeBuilder<Competency> e)
    {
        e.ToTable("competencies");
        e.Property(c => c.Name).HasMaxLength(Competency.MaxNameLength);
        e.Property(c => c.Description).HasMaxLength(Competency.MaxDescriptionLength);
        e.Property(c => c.CreatedAt).HasDefaultValueSql("now()");
        e.Property(c => c.Version).IsRowVersion().HasColumnName("xmin");
        e.HasMany(c => c.Tours).WithOne().HasForeignKey(t => t.CompetencyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TourCompetencyConfiguration : IEntityTypeConfiguration<TourCompetency>
{
    public void Configure(EntityTypeBuilder<TourCompetency> e)
    {
        e.ToTable("tour_competencies");
        e.HasKey(t => new { t.CompetencyId, t.TourId });
        e.HasOne(t => t.Tour).WithMany().HasForeignKey(t => t.TourId).OnDelete(DeleteBehavior.Cascade);
    }
}
