using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Audit;
using Rotations.Web.Features.Competencies;
using Rotations.Web.Features.People;

namespace Rotations.Web.Features.Readiness;

/// <summary>
/// A decision band of a readiness review (Ready now, Ready in 1–2 years, …). HR may rename one, add one or
/// retire one; a submitted review keeps the label it was given (<see cref="ReadinessReview.DecisionLabel"/>).
/// </summary>
public sealed class ReadinessBand : IAudited
{
    public const int MaxCodeLength = 32;
    public const int MaxLabelLength = 80;

    public required string Code { get; init; }
    public required string Label { get; set; }
    public int Position { get; set; }
    public bool IsRetired { get; set; }

    public IEnumerable<string> AuditIdentity() => [Code];
}

public enum ReviewStatus { Draft, Submitted, Returned }

/// <summary>
/// A manager's (or HR's) judgement of a leader's readiness for a level: a rating per competency, a decision and
/// a rationale. Written as a draft (one open draft per leader and level), then submitted; from then on it never
/// changes — the database refuses it — and a later review supersedes it. HR may return a submitted review for
/// calibration with a comment: it is kept as it was, marked returned, and a new draft starts from its content.
/// Not in the audit trail (which Admins read), like reflections: the reviews themselves are their history.
/// </summary>
public sealed class ReadinessReview
{
    public const int MaxRationaleLength = 10_000;
    public const int MaxReturnCommentLength = 2_000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid LeaderId { get; init; }
    public Person? Leader { get; init; }
    public Level Level { get; init; }
    public ReviewStatus Status { get; set; }
    /// <summary>Who wrote it: whoever last saved the draft.</summary>
    public Guid AuthorId { get; set; }
    public Person? Author { get; init; }
    /// <summary>The band's code (<see cref="ReadinessBand.Code"/>).</summary>
    public string? Decision { get; set; }
    /// <summary>The band's label when the review was submitted; null while a draft.</summary>
    public string? DecisionLabel { get; set; }
    public string Rationale { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public Guid? SubmittedById { get; set; }
    /// <summary>The submitted review this draft was opened from, when HR returned that one.</summary>
    public Guid? ReturnedFromId { get; init; }
    public DateTimeOffset? ReturnedAt { get; set; }
    public Guid? ReturnedById { get; set; }
    public string? ReturnComment { get; set; }
    public List<ReviewRating> Ratings { get; init; } = [];
    public uint Version { get; private set; }
}

/// <summary>One competency's rating in a review: 1 Not yet shown, 2 Developing, 3 Proficient, 4 Role model.</summary>
public sealed class ReviewRating
{
    public const int MaxCommentLength = 2_000;

    public Guid ReviewId { get; init; }
    public Guid CompetencyId { get; init; }
    public Competency? Competency { get; init; }
    public int Rating { get; set; }
    public string Comment { get; set; } = "";
}

internal sealed class ReadinessBandConfiguration : IEntityTypeConfiguration<ReadinessBand>
{
    public void Configure(EntityTypeBuilder<ReadinessBand> e)
    {
        e.ToTable("readiness_bands");
        e.HasKey(b => b.Code);
        e.Property(b => b.Code).HasMaxLength(ReadinessBand.MaxCodeLength);
        e.Property(b => b.Label).HasMaxLength(ReadinessBand.MaxLabelLength);
    }
}

internal sealed class ReadinessReviewConfiguration : IEntityTypeConfiguration<ReadinessReview>
{
    public void Configure(EntityTypeBuilder<ReadinessReview> e)
    {
        e.ToTable("readiness_reviews", t =>
        {
            t.HasCheckConstraint("ck_readiness_reviews_level", "level in ('HeadOf', 'Director', 'VP', 'CCO')");
            t.HasCheckConstraint("ck_readiness_reviews_status", "status in ('Draft', 'Submitted', 'Returned')");
            t.HasCheckConstraint("ck_readiness_reviews_submitted",
                "(status = 'Draft') = (submitted_at is null) and (submitted_at is null) = (decision_label is null) and (submitted_at is null or (decision is not null and submitted_by_id is not null))");
            t.HasCheckConstraint("ck_readiness_reviews_returned", "(status = 'Returned') = (returned_at is not null)");
        });
        e.Property(r => r.Level).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Decision).HasMaxLength(ReadinessBand.MaxCodeLength);
        e.Property(r => r.DecisionLabel).HasMaxLength(ReadinessBand.MaxLabelLength);
        e.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
        e.Property(r => r.UpdatedAt).HasDefaultValueSql("now()");
        e.Property(r => r.Version).IsRowVersion().HasColumnName("xmin");
        e.HasOne(r => r.Leader).WithMany().HasForeignKey(r => r.LeaderId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(r => r.Author).WithMany().HasForeignKey(r => r.AuthorId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(r => r.SubmittedById).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(r => r.ReturnedById).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ReadinessReview>().WithMany().HasForeignKey(r => r.ReturnedFromId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ReadinessBand>().WithMany().HasForeignKey(r => r.Decision).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(r => new { r.LeaderId, r.Level, r.SubmittedAt });
        e.HasIndex(r => new { r.LeaderId, r.Level }).IsUnique().HasFilter("status = 'Draft'");
        e.HasMany(r => r.Ratings).WithOne().HasForeignKey(x => x.ReviewId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReviewRatingConfiguration : IEntityTypeConfiguration<ReviewRating>
{
    public void Configure(EntityTypeBuilder<ReviewRating> e)
    {
        e.ToTable("review_ratings", t => t.HasCheckConstraint("ck_review_ratings_rating", "rating between 1 and 4"));
        e.HasKey(r => new { r.ReviewId, r.CompetencyId });
        e.Property(r => r.Comment).HasMaxLength(ReviewRating.MaxCommentLength);
        e.HasOne(r => r.Competency).WithMany().HasForeignKey(r => r.CompetencyId).OnDelete(DeleteBehavior.Restrict);
    }
}
