using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Reminders;
using static Rotations.Tests.Support.ReminderTestData;

namespace Rotations.Tests.Reminders;

/// <summary>The weekly HR digest: at 09:00 on the digest day where each HR person lives, once a week, with the three lists.</summary>
public sealed class WeeklyDigestTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private Task DigestAtAsync(DateTimeOffset at)
    {
        app.Clock.Set(at);
        return app.WithServiceAsync<WeeklyDigest, SweepResult>(d => d.RunAsync(CancellationToken.None));
    }

    private Task<List<Notification>> DigestsForAsync(Guid personId) =>
        app.WithDbAsync(db => db.Notifications.AsNoTracking()
            .Where(n => n.RecipientId == personId && n.Kind == NotificationKind.WeeklyDigest && n.DroppedAt == null).ToListAsync());

    [Fact]
    public async Task Each_hr_person_gets_one_digest_a_week_at_nine_their_time_listing_starts_overdue_reflections_and_clashes()
    {
        var berlin = await app.PersonInAsync("Hanna HR", "Europe/Berlin", Roles.HR);
        var angeles = await app.PersonInAsync("Luis HR", "America/Los_Angeles", Roles.HR);
        var leader = await app.PersonInAsync("Dana Leader", "Europe/London", Roles.Leader);
        var other = await app.PersonInAsync("Eli Leader", "Europe/London", Roles.Leader);
        var tour = await app.NewTourAsync(capacity: 1);
        await app.StintAsync(leader.Id, tour.Id, null, new(2030, 9, 9), new(2030, 9, 20));      // starts next week
        await app.StintAsync(other.Id, tour.Id, null, new(2030, 9, 16), new(2030, 9, 27));       // two on a one-place tour from the 16th
        await app.StintAsync(leader.Id, tour.Id, null, new(2030, 8, 5), new(2030, 8, 16));       // ended, no reflection

        await DigestAtAsync(Utc(2030, 9, 2, 6, 59)); // Monday 08:59 in Berlin
        Assert.Empty(await DigestsForAsync(berlin.Id));
        // Last Monday's, never sent (nothing ran then), is too stale to send now: recorded as dropped.
        var stale = await app.WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.RecipientId == berlin.Id && n.DroppedAt != null));
        Assert.Equal((NotificationKind.WeeklyDigest, new DateOnly(2030, 8, 26)), (stale.Kind, stale.Occurrence));
        await DigestAtAsync(Utc(2030, 9, 2, 7));     // 09:00 in Berlin (CEST)
        var digest = Assert.Single(await DigestsForAsync(berlin.Id));
        Assert.Equal(new DateOnly(2030, 9, 2), digest.Occurrence);
        Assert.Empty(await DigestsForAsync(angeles.Id));
        Assert.Contains("Starting next week (9 Sep – 15 Sep 2030)", digest.Body);
        Assert.Contains("- Dana Leader: Test tour", digest.Body);
        Assert.Contains("- Dana Leader: " + tour.Code + ", ended 16 Aug 2030", digest.Body);
        Assert.Contains($"- {tour.Code}: 2 booked for 1 place, 16 Sep – 20 Sep", digest.Body);

        await DigestAtAsync(Utc(2030, 9, 2, 16));    // 09:00 in Los Angeles (PDT)
        Assert.Single(await DigestsForAsync(angeles.Id));
        await DigestAtAsync(Utc(2030, 9, 3, 16));
        await DigestAtAsync(Utc(2030, 9, 8, 20));
        Assert.Single(await DigestsForAsync(berlin.Id));
        Assert.Single(await DigestsForAsync(angeles.Id));

        await DigestAtAsync(Utc(2030, 9, 9, 7));     // the next Monday: the next one
        Assert.Equal([new DateOnly(2030, 9, 2), new DateOnly(2030, 9, 9)], (await DigestsForAsync(berlin.Id)).Select(n => n.Occurrence).Order());
    }

    [Fact]
    public async Task A_digest_missed_while_the_app_was_down_goes_out_later_that_week_once()
    {
        var tokyo = await app.PersonInAsync("Kei HR", "Asia/Tokyo", Roles.HR);
        await DigestAtAsync(Utc(2031, 3, 5, 3)); // Wednesday noon in Tokyo; Monday's was missed
        var digest = Assert.Single(await DigestsForAsync(tokyo.Id));
        Assert.Equal(new DateOnly(2031, 3, 3), digest.Occurrence);
        Assert.Equal(Utc(2031, 3, 3, 0), digest.DueAt);
        await DigestAtAsync(Utc(2031, 3, 6, 3));
        Assert.Single(await DigestsForAsync(tokyo.Id));
    }

    [Fact]
    public async Task People_without_the_hr_role_get_no_digest()
    {
        var leader = await app.PersonInAsync("Lee Leader", "Europe/London", Roles.Leader, Roles.Manager);
        await DigestAtAsync(Utc(2031, 6, 2, 12));
        Assert.Empty(await DigestsForAsync(leader.Id));
    }
}
