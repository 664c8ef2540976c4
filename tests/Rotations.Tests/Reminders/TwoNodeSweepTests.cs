using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Reminders;
using static Rotations.Tests.Support.ReminderTestData;

namespace Rotations.Tests.Reminders;

/// <summary>
/// Two instances of the app on one database, sweeping at the same instants (as two clustered web nodes
/// would if the scheduler ever let both fire): each reminder is created once, with one email.
/// </summary>
public sealed class TwoNodeSweepTests : IAsyncLifetime
{
    private readonly SchedulingApp first = new();
    private SchedulingApp second = null!;

    public async Task InitializeAsync()
    {
        await first.InitializeAsync();
        second = RotationsApp.SecondNodeOf<SchedulingApp>(first);
    }

    public async Task DisposeAsync()
    {
        await second.DisposeDatabaseAsync();
        await first.DisposeDatabaseAsync();
    }

    [Fact]
    public async Task Two_nodes_sweeping_at_the_same_instants_create_each_notification_once()
    {
        var tour = await first.NewTourAsync(capacity: 50);
        var host = await first.PersonInAsync("Hugo Host", "America/New_York", Roles.Host);
        var manager = await first.PersonInAsync("Maya Manager", "Asia/Tokyo", Roles.Manager);
        var monday = new DateOnly(2030, 6, 3);
        var stints = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            var leader = await first.PersonInAsync($"Leader {i}", i % 2 == 0 ? "Europe/London" : "Australia/Sydney", Roles.Leader);
            await first.WithDbAsync(db => db.Users.Where(p => p.Id == leader.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.ManagerId, manager.Id)));
            // Starts spread over five weeks, lengths one to six weeks: every kind of reminder falls due somewhere below.
            var start = monday.AddDays(7 * (i % 5));
            stints.Add((await first.StintAsync(leader.Id, tour.Id, host.Id, start, start.AddDays(7 * (1 + i % 6) - 3))).Id);
        }

        var totals = (Created: 0, Emails: 0);
        for (var at = Utc(2030, 5, 20, 0); at <= Utc(2030, 8, 26, 0); at = at.AddHours(7))
        {
            first.Clock.Set(at);
            second.Clock.Set(at);
            var results = await Task.WhenAll(
                Task.Run(() => first.WithServiceAsync<ReminderSweep, SweepResult>(s => s.RunAsync(CancellationToken.None))),
                Task.Run(() => second.WithServiceAsync<ReminderSweep, SweepResult>(s => s.RunAsync(CancellationToken.None))));
            totals = (totals.Created + results.Sum(r => r.Created), totals.Emails + results.Sum(r => r.Emails));
        }

        var rows = await first.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => stints.Contains(n.StintId!.Value)).ToListAsync());
        var live = rows.Where(n => n.DroppedAt == null).ToList();
        Assert.Equal(rows.Count, rows.Select(n => (n.Kind, n.RecipientId, n.StintId, n.Occurrence)).Distinct().Count());
        // What the two nodes said they created adds up to what exists: neither counted a row the other wrote.
        Assert.Equal(live.Count, totals.Created);
        var emails = await first.WithDbAsync(db => db.EmailOutbox.AsNoTracking().Where(m => m.NotificationId != null).Select(m => m.NotificationId!.Value).ToListAsync());
        Assert.Equal(live.Select(n => n.Id).Order(), emails.Where(id => rows.Any(n => n.Id == id)).Order());
        Assert.Equal(live.Count, totals.Emails);
        // Every stint got its start reminder (once), and every stint of four weeks or more its midpoint check-in.
        Assert.Equal(40, live.Count(n => n.Kind == Rotations.Web.Features.Notifications.NotificationKind.StintStarts));
        Assert.Equal(Enumerable.Range(0, 40).Count(i => 7 * (1 + i % 6) - 2 >= 28),
            live.Count(n => n.Kind == Rotations.Web.Features.Notifications.NotificationKind.MidpointCheckIn));
        Assert.DoesNotContain(first.Logs.Lines.Concat(second.Logs.Lines), l => l.StartsWith("Error ") || l.StartsWith("Critical "));
    }
}
