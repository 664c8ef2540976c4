using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Reminders;
using static Rotations.Tests.Support.ReminderTestData;

namespace Rotations.Tests.Reminders;

/// <summary>
/// The reminder table of PRODUCT.md, row by row, driven by a settable clock: what the sweep creates, for
/// whom, and at which instant (09:00 where each recipient lives, across daylight-saving changes).
/// Expected instants are written out by hand in UTC, not computed by the code under test.
/// </summary>
public sealed class ReminderSweepTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private async Task<(Person Leader, Person Host, Person Manager, Guid TourId)> CastAsync(
        string leaderZone = "Europe/London", string hostZone = "America/New_York", string managerZone = "Asia/Tokyo")
    {
        var manager = await app.PersonInAsync("Maya Manager", managerZone, Roles.Manager);
        var leader = await app.PersonInAsync("Lena Leader", leaderZone, Roles.Leader);
        await app.WithDbAsync(db => db.Users.Where(p => p.Id == leader.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.ManagerId, manager.Id)));
        var host = await app.PersonInAsync("Hugo Host", hostZone, Roles.Host);
        var tour = await app.NewTourAsync(capacity: 3);
        return (leader, host, manager, tour.Id);
    }

    [Fact]
    public async Task Every_row_of_the_table_arrives_at_nine_local_time_in_three_zones_across_both_dst_changes()
    {
        var (leader, host, manager, tourId) = await CastAsync();
        // Six weeks from Monday 29 March 2027: the US moved its clocks on 14 March, the UK on Sunday 28 March,
        // the day of the one-day reminder. Tokyo has no daylight-saving time.
        DateOnly start = new(2027, 3, 29), end = new(2027, 5, 9);
        var stint = await app.StintAsync(leader.Id, tourId, host.Id, start, end);
        var expected = new (NotificationKind Kind, Guid To, DateOnly On, DateTimeOffset At)[]
        {
            // Before and during the stint a reminder hangs on its first day; after it, on its last (the key's date).
            (NotificationKind.UpcomingStint, leader.Id, start, Utc(2027, 3, 15, 9)),      // 15 March, London, GMT
            (NotificationKind.UpcomingStint, host.Id, start, Utc(2027, 3, 15, 13)),       // New York, EDT
            (NotificationKind.StintStartsSoon, leader.Id, start, Utc(2027, 3, 28, 8)),    // 28 March, London, BST since 01:00 UTC
            (NotificationKind.StintStartsSoon, host.Id, start, Utc(2027, 3, 28, 13)),
            (NotificationKind.StintStarts, leader.Id, start, Utc(2027, 3, 29, 8)),
            (NotificationKind.MidpointCheckIn, leader.Id, start, Utc(2027, 4, 18, 8)),    // day 21 of 42
            (NotificationKind.ReflectionDue, leader.Id, end, Utc(2027, 5, 9, 8)),
            (NotificationKind.FeedbackRequested, host.Id, end, Utc(2027, 5, 9, 13)),
            (NotificationKind.ReflectionOverdue, leader.Id, end, Utc(2027, 5, 16, 8)),
            (NotificationKind.ReflectionEscalation, manager.Id, end, Utc(2027, 5, 23, 0)), // 09:00 in Tokyo
        };

        foreach (var at in expected.Select(e => e.At).Distinct().Order())
        {
            await app.SweepAtAsync(at.AddMinutes(-1));
            Assert.Equal(Keys(expected.Where(e => e.At < at)), Keys(await app.NotificationsForAsync(stint.Id)));
            await app.SweepAtAsync(at);
            var rows = await app.NotificationsForAsync(stint.Id);
            Assert.Equal(Keys(expected.Where(e => e.At <= at)), Keys(rows));
        }

        var all = await app.NotificationsForAsync(stint.Id);
        Assert.All(all, n => Assert.Null(n.DroppedAt));
        foreach (var e in expected)
            Assert.Equal(e.At, all.Single(n => n.Kind == e.Kind && n.RecipientId == e.To && n.Occurrence == e.On).DueAt);
    }

    [Fact]
    public async Task Sweeping_again_at_the_same_instant_or_later_creates_nothing_new()
    {
        var (leader, host, _, tourId) = await CastAsync();
        var stint = await app.StintAsync(leader.Id, tourId, host.Id, new(2027, 7, 5), new(2027, 7, 23));
        await app.SweepAtAsync(Utc(2027, 7, 5, 9));
        var first = await app.NotificationsForAsync(stint.Id);
        await app.SweepAtAsync(Utc(2027, 7, 5, 9));
        await app.SweepAtAsync(Utc(2027, 7, 5, 20));
        Assert.Equal(first.Select(n => n.Id).Order(), (await app.NotificationsForAsync(stint.Id)).Select(n => n.Id).Order());
    }

    [Fact]
    public async Task A_rescheduled_stint_gets_its_reminders_at_the_new_dates_and_none_at_the_old()
    {
        var (leader, _, _, tourId) = await CastAsync();
        var stint = await app.StintAsync(leader.Id, tourId, null, new(2027, 6, 7), new(2027, 6, 25));
        await app.SweepAtAsync(Utc(2027, 5, 24, 8)); // 14 days before, London in BST
        Assert.Equal([(NotificationKind.UpcomingStint, new DateOnly(2027, 6, 7))], Kinds(await app.NotificationsForAsync(stint.Id)));

        await app.WithDbAsync(async db =>
        {
            var s = await db.Stints.SingleAsync(x => x.Id == stint.Id);
            s.Reschedule(new(2027, 6, 21), new(2027, 7, 9), null, s.Kind);
            await db.SaveChangesAsync();
        });
        await app.SweepAtAsync(Utc(2027, 6, 6, 8));  // the old one-day-before
        Assert.Single(await app.NotificationsForAsync(stint.Id));
        await app.SweepAtAsync(Utc(2027, 6, 7, 8));  // the old start, and 14 days before the new one
        Assert.Equal([(NotificationKind.UpcomingStint, new DateOnly(2027, 6, 7)), (NotificationKind.UpcomingStint, new DateOnly(2027, 6, 21))],
            Kinds(await app.NotificationsForAsync(stint.Id)));
        await app.SweepAtAsync(Utc(2027, 6, 20, 8));
        await app.SweepAtAsync(Utc(2027, 6, 21, 8));
        Assert.Equal(
            [(NotificationKind.UpcomingStint, new DateOnly(2027, 6, 7)), (NotificationKind.UpcomingStint, new DateOnly(2027, 6, 21)),
             (NotificationKind.StintStartsSoon, new DateOnly(2027, 6, 21)), (NotificationKind.StintStarts, new DateOnly(2027, 6, 21))],
            Kinds(await app.NotificationsForAsync(stint.Id)));
        var rows = await app.NotificationsForAsync(stint.Id);
        Assert.Equal(Utc(2027, 6, 7, 8), rows.Single(n => n.Kind == NotificationKind.UpcomingStint && n.Occurrence == new DateOnly(2027, 6, 21)).DueAt);
    }

    [Fact]
    public async Task A_cancelled_stint_gets_nothing_more()
    {
        var (leader, host, _, tourId) = await CastAsync();
        var stint = await app.StintAsync(leader.Id, tourId, host.Id, new(2027, 8, 2), new(2027, 9, 10));
        await app.SweepAtAsync(Utc(2027, 7, 19, 14));
        Assert.Equal(2, (await app.NotificationsForAsync(stint.Id)).Count);
        await app.WithDbAsync(async db =>
        {
            var s = await db.Stints.SingleAsync(x => x.Id == stint.Id);
            s.Cancel("Leader moved to another role", app.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        });
        foreach (var at in new[] { Utc(2027, 8, 1, 14), Utc(2027, 8, 2, 14), Utc(2027, 8, 21, 14), Utc(2027, 9, 10, 14), Utc(2027, 9, 17, 14), Utc(2027, 9, 24, 14) })
            await app.SweepAtAsync(at);
        Assert.Equal(2, (await app.NotificationsForAsync(stint.Id)).Count);
    }

    [Fact]
    public async Task A_submitted_reflection_ends_the_overdue_and_escalation_chain()
    {
        var (leader, _, _, tourId) = await CastAsync();
        var late = await app.StintAsync(leader.Id, tourId, null, new(2027, 8, 16), new(2027, 9, 5));
        var early = await app.StintAsync(leader.Id, tourId, null, new(2027, 9, 13), new(2027, 9, 26));
        await app.SweepAtAsync(Utc(2027, 9, 5, 8));
        Assert.Contains((NotificationKind.ReflectionDue, new DateOnly(2027, 9, 5)), Kinds(await app.NotificationsForAsync(late.Id)));
        await app.SubmitReflectionAsync(late.Id, Utc(2027, 9, 7, 10));
        await app.SubmitReflectionAsync(early.Id, Utc(2027, 9, 25, 10)); // before its last day

        foreach (var at in new[] { Utc(2027, 9, 12, 8), Utc(2027, 9, 19, 8), Utc(2027, 9, 26, 8), Utc(2027, 10, 3, 8), Utc(2027, 10, 10, 8) })
            await app.SweepAtAsync(at);

        var lateKinds = (await app.NotificationsForAsync(late.Id)).Select(n => n.Kind).ToList();
        Assert.DoesNotContain(NotificationKind.ReflectionOverdue, lateKinds);
        Assert.DoesNotContain(NotificationKind.ReflectionEscalation, lateKinds);
        var earlyKinds = (await app.NotificationsForAsync(early.Id)).Select(n => n.Kind).ToList();
        Assert.DoesNotContain(NotificationKind.ReflectionDue, earlyKinds);
        Assert.DoesNotContain(NotificationKind.ReflectionOverdue, earlyKinds);
    }

    [Fact]
    public async Task Reminders_that_fell_due_while_the_app_was_down_go_out_late_unless_they_no_longer_make_sense()
    {
        var (leader, _, _, tourId) = await CastAsync();
        var stint = await app.StintAsync(leader.Id, tourId, null, new(2027, 10, 4), new(2027, 11, 12));
        // Nothing ran from before the 14-day reminder until mid-morning of the first day.
        await app.SweepAtAsync(Utc(2027, 10, 4, 10));
        var rows = await app.NotificationsForAsync(stint.Id);
        var fourteen = rows.Single(n => n.Kind == NotificationKind.UpcomingStint);
        Assert.NotNull(fourteen.DroppedAt);
        Assert.Contains("More than 7 days late", fourteen.DropReason);
        var oneDay = rows.Single(n => n.Kind == NotificationKind.StintStartsSoon);
        Assert.NotNull(oneDay.DroppedAt);
        Assert.Equal("The stint had begun before this reminder could go out.", oneDay.DropReason);
        var starts = rows.Single(n => n.Kind == NotificationKind.StintStarts);
        Assert.Null(starts.DroppedAt);
        Assert.Equal(Utc(2027, 10, 4, 8), starts.DueAt);
        // Dropped rows never get an email; the live one does.
        var emails = await app.WithDbAsync(db => db.EmailOutbox.AsNoTracking().Where(m => rows.Select(r => r.Id).Contains(m.NotificationId!.Value)).ToListAsync());
        Assert.Equal([starts.Id], emails.Select(m => m.NotificationId!.Value));
    }

    [Fact]
    public async Task The_offsets_and_the_send_hour_are_settings()
    {
        var (leader, _, _, tourId) = await CastAsync(leaderZone: "Europe/Berlin");
        var stint = await app.StintAsync(leader.Id, tourId, null, new(2027, 11, 15), new(2027, 11, 26));
        await app.WithDbAsync(db => db.ReminderSettings.ExecuteUpdateAsync(u => u
            .SetProperty(s => s.UpcomingFirstDays, 10).SetProperty(s => s.SendHour, 7)));
        try
        {
            await app.SweepAtAsync(Utc(2027, 11, 5, 5, 59)); // 06:59 in Berlin (CET), ten days before
            Assert.Empty(await app.NotificationsForAsync(stint.Id));
            await app.SweepAtAsync(Utc(2027, 11, 5, 6));
            var row = Assert.Single(await app.NotificationsForAsync(stint.Id));
            Assert.Equal((NotificationKind.UpcomingStint, new DateOnly(2027, 11, 15), Utc(2027, 11, 5, 6)), (row.Kind, row.Occurrence, row.DueAt));
        }
        finally
        {
            await app.WithDbAsync(db => db.ReminderSettings.ExecuteUpdateAsync(u => u
                .SetProperty(s => s.UpcomingFirstDays, 14).SetProperty(s => s.SendHour, 9)));
        }
    }

    [Fact]
    public async Task Changing_an_offset_or_extending_a_stint_never_sends_a_reminder_twice()
    {
        var (leader, _, manager, tourId) = await CastAsync();
        var stint = await app.StintAsync(leader.Id, tourId, null, new(2028, 5, 15), new(2028, 6, 9)); // 26 days: no midpoint yet
        try
        {
            await app.SweepAtAsync(Utc(2028, 5, 1, 8));   // 14 days before (BST)
            await app.WithDbAsync(db => db.ReminderSettings.ExecuteUpdateAsync(u => u.SetProperty(s => s.UpcomingFirstDays, 10)));
            await app.SweepAtAsync(Utc(2028, 5, 5, 8));   // 10 days before: the first reminder has gone already
            Assert.Single(await app.NotificationsForAsync(stint.Id), n => n.Kind == NotificationKind.UpcomingStint);

            // Extended to six weeks while under way: a midpoint check-in is now due, once.
            await app.WithDbAsync(async db =>
            {
                var s = await db.Stints.SingleAsync(x => x.Id == stint.Id);
                s.Reschedule(s.StartDate, new(2028, 6, 23), null, s.Kind);
                await db.SaveChangesAsync();
            });
            await app.SweepAtAsync(Utc(2028, 6, 4, 8));   // the midpoint of 15 May – 23 June
            await app.SweepAtAsync(Utc(2028, 6, 5, 8));
            Assert.Single(await app.NotificationsForAsync(stint.Id), n => n.Kind == NotificationKind.MidpointCheckIn);

            await app.SweepAtAsync(Utc(2028, 6, 30, 8));  // 7 days after the end: overdue
            await app.WithDbAsync(db => db.ReminderSettings.ExecuteUpdateAsync(u => u.SetProperty(s => s.OverdueDays, 10)));
            await app.SweepAtAsync(Utc(2028, 7, 3, 8));   // 10 days after: not again
            Assert.Single(await app.NotificationsForAsync(stint.Id), n => n.Kind == NotificationKind.ReflectionOverdue);
            await app.SweepAtAsync(Utc(2028, 7, 7, 0));   // 14 days after, 09:00 in Tokyo: the manager is told, once
            Assert.Equal(manager.Id, Assert.Single(await app.NotificationsForAsync(stint.Id), n => n.Kind == NotificationKind.ReflectionEscalation).RecipientId);
        }
        finally
        {
            await app.WithDbAsync(db => db.ReminderSettings.ExecuteUpdateAsync(u => u
                .SetProperty(s => s.UpcomingFirstDays, 14).SetProperty(s => s.OverdueDays, 7)));
        }
    }

    [Fact]
    public async Task Email_copies_follow_each_persons_choices_and_carry_a_message_id()
    {
        var (leader, _, _, tourId) = await CastAsync();
        await app.WithDbAsync(async db =>
        {
            db.EmailOptOuts.Add(new EmailOptOut { PersonId = leader.Id, Kind = NotificationKind.StintStartsSoon });
            await db.SaveChangesAsync();
        });
        var stint = await app.StintAsync(leader.Id, tourId, null, new(2028, 1, 10), new(2028, 1, 21));
        await app.SweepAtAsync(Utc(2028, 1, 9, 9));
        await app.SweepAtAsync(Utc(2028, 1, 10, 9));
        var rows = (await app.NotificationsForAsync(stint.Id)).Where(n => n.DroppedAt == null).ToList();
        Assert.Equal(2, rows.Count); // the inbox gets both
        var emails = await app.WithDbAsync(db => db.EmailOutbox.AsNoTracking().Where(m => m.RecipientId == leader.Id).ToListAsync());
        var email = Assert.Single(emails);
        Assert.Equal(rows.Single(n => n.Kind == NotificationKind.StintStarts).Id, email.NotificationId);
        Assert.Equal(leader.Email, email.ToAddress);
        Assert.Equal(EmailStatus.Pending, email.Status);
        Assert.Matches($"^<{email.Id:N}@[a-z0-9.-]+>$", email.MessageId);
    }

    [Fact]
    public async Task A_deactivated_leader_gets_nothing_but_the_host_still_does()
    {
        var (leader, host, _, tourId) = await CastAsync();
        await app.WithDbAsync(db => db.Users.Where(p => p.Id == leader.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.IsActive, false)));
        var stint = await app.StintAsync(leader.Id, tourId, host.Id, new(2028, 2, 14), new(2028, 2, 25));
        await app.SweepAtAsync(Utc(2028, 2, 13, 15));
        var live = (await app.NotificationsForAsync(stint.Id)).Where(n => n.DroppedAt == null);
        Assert.Equal(host.Id, Assert.Single(live).RecipientId);
    }

    [Fact]
    public async Task Many_sweeps_at_the_same_instant_create_each_reminder_once()
    {
        var (leader, host, _, tourId) = await CastAsync();
        var stints = new List<Guid>();
        for (var i = 0; i < 20; i++)
            stints.Add((await app.StintAsync(leader.Id, tourId, host.Id, new DateOnly(2028, 3, 6).AddDays(i * 21), new DateOnly(2028, 3, 6).AddDays(i * 21 + 13))).Id);
        app.Clock.Set(Utc(2028, 3, 5, 14));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            app.WithServiceAsync<ReminderSweep, SweepResult>(s => s.RunAsync(CancellationToken.None)))));
        Assert.True(results.Sum(r => r.Created) >= 2, "the live reminders were created by one of the sweeps");
        // Stint 0 starts tomorrow: the one-day reminders (leader, host) are live, the 14-day ones too late and
        // recorded as dropped. The other stints are weeks away. Each exactly once, whatever sweep won.
        var all = await app.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => stints.Contains(n.StintId!.Value)).ToListAsync());
        Assert.Equal(
            [(host.Id, NotificationKind.StintStartsSoon, false), (host.Id, NotificationKind.UpcomingStint, true),
             (leader.Id, NotificationKind.StintStartsSoon, false), (leader.Id, NotificationKind.UpcomingStint, true)],
            all.Select(n => (n.RecipientId, n.Kind, n.DroppedAt != null))
                .OrderBy(x => x.RecipientId == host.Id ? 0 : 1).ThenBy(x => x.Kind.ToString()).ToList());
        Assert.All(all, n => Assert.Equal(stints[0], n.StintId));
        var emails = await app.WithDbAsync(db => db.EmailOutbox.AsNoTracking().Where(m => all.Select(n => n.Id).Contains(m.NotificationId!.Value)).ToListAsync());
        Assert.Equal(all.Where(n => n.DroppedAt == null).Select(n => n.Id).Order(), emails.Select(m => m.NotificationId!.Value).Order());
    }

    private static List<(NotificationKind, Guid, DateOnly)> Keys(IEnumerable<(NotificationKind Kind, Guid To, DateOnly On, DateTimeOffset At)> e) =>
        e.Select(x => (x.Kind, x.To, x.On)).Order().ToList();

    private static List<(NotificationKind, Guid, DateOnly)> Keys(IEnumerable<Notification> n) =>
        n.Select(x => (x.Kind, x.RecipientId, x.Occurrence)).Order().ToList();

    private static List<(NotificationKind, DateOnly)> Kinds(IEnumerable<Notification> n) =>
        n.Select(x => (x.Kind, x.Occurrence)).Order().ToList();
}
