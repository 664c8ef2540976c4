using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rotations.Web.Features.Calendar;

/// <summary>
/// A secret iCalendar feed address for one leader's stints or one tour's. The token is the only
/// credential, so it is long and random, and it can be revoked and renewed.
/// </summary>
public sealed class CalendarFeed
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Token { get; init; }
    public Guid? PersonId { get; init; }
    public Guid? TourId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> e)
    {
        e.ToTable("calendar_feeds", t => t.HasCheckConstraint("ck_calendar_feeds_owner", "(person_id is null) <> (tour_id is null)"));
        e.Property(f => f.Token).HasMaxLength(64);
        e.HasIndex(f => f.Token).IsUnique();
        e.Property(f => f.CreatedAt).HasDefaultValueSql("now()");
        // One live address per owner (migration 0003); revoked ones stay as a record.
        e.HasIndex(f => f.PersonId).IsUnique().HasFilter("revoked_at is null");
        e.HasIndex(f => f.TourId).IsUnique().HasFilter("revoked_at is null");
        e.HasOne<Account.Person>().WithMany().HasForeignKey(f => f.PersonId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Catalogue.Tour>().WithMany().HasForeignKey(f => f.TourId).OnDelete(DeleteBehavior.Cascade);
    }
}
