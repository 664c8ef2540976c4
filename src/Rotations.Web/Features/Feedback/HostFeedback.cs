using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Feedback;

/// <summary>
/// The host's feedback on a leader's stint: four ratings from 1 to 4 and comments. A draft until the host
/// submits it; the leader and their manager (and HR) read it only once it is submitted. The host may
/// correct it afterwards; <see cref="UpdatedAt"/> shows when. Hosts never see the leader's reflection.
/// </summary>
public sealed class HostFeedback
{
    public const int MaxCommentsLength = 10_000;

    public Guid StintId { get; init; }
    /// <summary>The host who wrote it (the stint's host at the time).</summary>
    public Guid AuthorId { get; set; }
    public int? Engagement { get; set; }
    public int? Curiosity { get; set; }
    public int? Collaboration { get; set; }
    public int? Impact { get; set; }
    public string Comments { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public uint Version { get; private set; }

    public bool IsSubmitted => SubmittedAt is not null;
}

internal sealed class HostFeedbackConfiguration : IEntityTypeConfiguration<HostFeedback>
{
    public void Configure(EntityTypeBuilder<HostFeedback> e)
    {
        e.ToTable("host_feedback", t =>
        {
            t.HasCheckConstraint("ck_host_feedback_ratings",
                "engagement between 1 and 4 and curiosity between 1 and 4 and collaboration between 1 and 4 and impact between 1 and 4");
            t.HasCheckConstraint("ck_host_feedback_submitted_rated",
                "submitted_at is null or (engagement is not null and curiosity is not null and collaboration is not null and impact is not null)");
        });
        e.HasKey(f => f.StintId);
        e.Property(f => f.CreatedAt).HasDefaultValueSql("now()");
        e.Property(f => f.UpdatedAt).HasDefaultValueSql("now()");
        e.Property(f => f.Version).IsRowVersion().HasColumnName("xmin");
        e.HasOne<Stint>().WithMany().HasForeignKey(f => f.StintId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Person>().WithMany().HasForeignKey(f => f.AuthorId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(f => f.AuthorId);
    }
}
