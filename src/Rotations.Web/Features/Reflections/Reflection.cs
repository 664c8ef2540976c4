using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Reflections;

/// <summary>
/// A leader's reflection on one stint. This first cut carries only what the reminders need (has it
/// been submitted, and when); the reflection form and its content arrive with the reflections issue.
/// </summary>
public sealed class Reflection
{
    public Guid StintId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SubmittedAt { get; set; }
}

internal sealed class ReflectionConfiguration : IEntityTypeConfiguration<Reflection>
{
    public void Configure(EntityTypeBuilder<Reflection> e)
    {
        e.ToTable("reflections");
        e.HasKey(r => r.StintId);
        e.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
        e.HasOne<Stint>().WithMany().HasForeignKey(r => r.StintId).OnDelete(DeleteBehavior.Cascade);
    }
}
