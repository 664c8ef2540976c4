using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Reminders;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Bench;

/// <summary>
/// The reminder sweep over a programme of N stints: the cold sweep that creates everything due, the sweep
/// every minute that finds nothing new, sweeps at later instants, inbox reads, and outbox delivery to the
/// pickup folder. Every figure comes with a check that the work was right; a wrong result fails the run.
/// </summary>
public sealed class ReminderBenchmark(string server, int stints, int inboxSample, int emails, bool keep)
{
    /// <summary>A January Tuesday: no daylight-saving change near it, so the figures do not move with the calendar.</summary>
    public static readonly DateOnly Day = new(2026, 1, 13);

    /// <summary>18:00 UTC: 9:00 has passed in every zone west of Tokyo's next morning, so most of the day's reminders are due.</summary>
    public static readonly DateTimeOffset Instant = new(Day.ToDateTime(new TimeOnly(18, 0)), TimeSpan.Zero);

    public async Task<Figures> RunAsync()
    {
        var figures = new Figures($"{stints:N0} stints");
        var clock = Stopwatch.StartNew();
        await using var database = await BenchDatabase.CreateMigratedAsync(server, "reminders", keep);
        var dataset = new ReminderDataset(stints, Day);
        await dataset.LoadAsync(database.ConnectionString);
        figures.Count("people (leaders, hosts, managers)", dataset.People.Count);
        figures.Ms("load with COPY", clock.Elapsed);

        var mail = Directory.CreateTempSubdirectory("rotations-bench-mail-");
        try
        {
            await using var app = new BenchApp(database.ConnectionString, mail.FullName);
            var settings = await app.WithAsync<RotationsDbContext, ReminderSettings>(db => db.ReminderSettings.AsNoTracking().SingleAsync());

            // One sweep where nothing is due yet, so that the cold figure is the data's cost, not the JIT's.
            app.Clock.Now = Instant.AddYears(-1);
            Check((await app.SweepAsync()) == new SweepResult(0, 0, 0), "a sweep a year before any stint created something");

            var seen = new Dictionary<NotificationKey, bool>();
            var expected = Expect(dataset, Instant, settings, seen);
            CheckEveryStintHasReminders(dataset, expected);

            app.Clock.Now = Instant;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            clock.Restart();
            var cold = await app.SweepAsync();
            var coldTime = clock.Elapsed;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            CheckSweep(cold, expected, dataset, "cold sweep");
            await CheckDatabaseAsync(app, dataset, seen);

            figures.Count("cold sweep: notifications created", cold.Created);
            figures.Count("cold sweep: dropped (too late, superseded)", cold.Dropped);
            figures.Count("cold sweep: emails queued", cold.Emails);
            figures.Ms("cold sweep: time", coldTime);
            figures.Add("cold sweep: reminders per second", (cold.Created + cold.Dropped) / coldTime.TotalSeconds, "/s", "N0");
            figures.Add("cold sweep: managed allocations", allocated / 1024.0 / 1024.0, "MiB", "0");

            // The sweep runs every minute: most runs find that everything due already exists.
            var repeats = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                clock.Restart();
                var again = await app.SweepAsync();
                repeats.Add(clock.Elapsed.TotalMilliseconds);
                CheckSweep(again, [], dataset, "repeated sweep at the same instant");
            }
            figures.Add("repeat sweep, nothing new (median of 5)", Figures.Percentile(repeats, 0.5), "ms", "0");

            foreach (var (label, at) in new[] { ("+1 hour", Instant.AddHours(1)), ("+1 day", Instant.AddDays(1)), ("+7 days", Instant.AddDays(7)) })
            {
                var delta = Expect(dataset, at, settings, seen);
                app.Clock.Now = at;
                clock.Restart();
                var later = await app.SweepAsync();
                var elapsed = clock.Elapsed;
                CheckSweep(later, delta, dataset, $"sweep at {label}");
                figures.Add($"sweep at {label}", $"{elapsed.TotalMilliseconds:0} ms, {later.Created + later.Dropped:N0} new");
            }
            await CheckDatabaseAsync(app, dataset, seen);

            await InboxAsync(app, seen, figures);
            await DeliverAsync(app, mail, figures);
        }
        finally
        {
            mail.Delete(recursive: true);
        }
        return figures;
    }

    /// <summary>What a sweep at <paramref name="at"/> should add to what earlier sweeps made (<paramref name="seen"/>, updated).</summary>
    private static Dictionary<NotificationKey, bool> Expect(ReminderDataset dataset, DateTimeOffset at, ReminderSettings settings, Dictionary<NotificationKey, bool> seen)
    {
        var delta = dataset.Expected(at, settings).Where(e => !seen.ContainsKey(e.Key)).ToDictionary();
        foreach (var (key, dropped) in delta) seen[key] = dropped;
        return delta;
    }

    private static void CheckEveryStintHasReminders(ReminderDataset dataset, Dictionary<NotificationKey, bool> expected)
    {
        var due = expected.Keys.Select(k => k.StintId).ToHashSet();
        var inactive = dataset.People.Where(p => !p.IsActive).Select(p => p.Id).ToHashSet();
        var missing = dataset.Stints.Count(s => !s.Cancelled && !inactive.Contains(s.LeaderId) && !due.Contains(s.Id));
        Check(missing == 0, $"the dataset has {missing} live stints with nothing due at the sweep instant");
        var kinds = expected.Keys.Select(k => k.Kind).ToHashSet();
        var table = Enum.GetValues<NotificationKind>().Where(k => k != NotificationKind.WeeklyDigest);
        Check(table.All(kinds.Contains), $"the dataset does not exercise every kind: missing {string.Join(", ", table.Except(kinds))}");
    }

    private static void CheckSweep(SweepResult result, Dictionary<NotificationKey, bool> expected, ReminderDataset dataset, string what)
    {
        var live = expected.Where(e => !e.Value).Select(e => e.Key).ToList();
        var want = new SweepResult(live.Count, expected.Count(e => e.Value), live.Count(dataset.WantsEmail));
        Check(result == want, $"{what}: expected {want}, the sweep reported {result}");
    }

    /// <summary>The rows themselves, not only the sweep's counts: exactly the expected keys, each email for a live notification of someone who wants it.</summary>
    private static async Task CheckDatabaseAsync(BenchApp app, ReminderDataset dataset, Dictionary<NotificationKey, bool> seen)
    {
        var rows = await app.WithAsync<RotationsDbContext, List<(NotificationKey Key, bool Dropped, bool Email)>>(async db =>
            (await db.Notifications.AsNoTracking()
                .Select(n => new { n.Kind, n.RecipientId, n.StintId, n.Occurrence, Dropped = n.DroppedAt != null,
                    Email = db.EmailOutbox.Any(m => m.NotificationId == n.Id) })
                .ToListAsync())
            .Select(n => (new NotificationKey(n.Kind, n.RecipientId, n.StintId!.Value, n.Occurrence), n.Dropped, n.Email)).ToList());
        var keys = rows.Select(r => r.Key).ToHashSet();
        Check(keys.Count == rows.Count, $"{rows.Count - keys.Count} duplicate notification keys");
        var missing = seen.Keys.Count(k => !keys.Contains(k));
        var extra = keys.Count(k => !seen.ContainsKey(k));
        Check(missing == 0 && extra == 0, $"notifications: {missing} expected ones missing, {extra} unexpected ones");
        var wrongDrop = rows.Count(r => r.Dropped != seen[r.Key]);
        Check(wrongDrop == 0, $"{wrongDrop} notifications dropped when they should have been sent, or the other way round");
        var wrongEmail = rows.Count(r => r.Email != (!r.Dropped && dataset.WantsEmail(r.Key)));
        Check(wrongEmail == 0, $"{wrongEmail} notifications with an email they should not have, or without one they should");
        var perKind = seen.GroupBy(s => s.Key.Kind).ToDictionary(g => g.Key, g => (Live: g.Count(x => !x.Value), Dropped: g.Count(x => x.Value)));
        var actualPerKind = rows.GroupBy(r => r.Key.Kind).ToDictionary(g => g.Key, g => (Live: g.Count(x => !x.Dropped), Dropped: g.Count(x => x.Dropped)));
        foreach (var (kind, count) in perKind)
            Check(actualPerKind.GetValueOrDefault(kind) == count, $"{kind}: expected {count}, found {actualPerKind.GetValueOrDefault(kind)}");
    }

    private async Task InboxAsync(BenchApp app, Dictionary<NotificationKey, bool> seen, Figures figures)
    {
        var unread = seen.Where(s => !s.Value).GroupBy(s => s.Key.RecipientId).ToDictionary(g => g.Key, g => g.Count());
        var sample = unread.Keys.Order().Take(inboxSample).ToList();
        List<double> counts = [], lists = [];
        for (var i = 0; i < sample.Count + 20; i++)
        {
            var person = sample[i % sample.Count];
            var watch = Stopwatch.StartNew();
            var count = await app.WithAsync<Inbox, int>(inbox => inbox.UnreadCountAsync(person, CancellationToken.None));
            var countTime = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var list = await app.WithAsync<Inbox, IReadOnlyList<NotificationDto>>(inbox => inbox.ListAsync(person, false, 20, CancellationToken.None));
            var listTime = watch.Elapsed.TotalMilliseconds;
            Check(count == unread[person], $"inbox of {person}: {count} unread, expected {unread[person]}");
            Check(list.Count == Math.Min(20, unread[person]), $"inbox of {person}: {list.Count} items listed, expected {Math.Min(20, unread[person])}");
            if (i < 20) continue; // the first calls warm the connection pool and compile the queries
            counts.Add(countTime);
            lists.Add(listTime);
        }
        figures.Count("inbox: people sampled", sample.Count);
        figures.Add("inbox unread count, p50 / p95",
            $"{Figures.Percentile(counts, 0.5):0.00} / {Figures.Percentile(counts, 0.95):0.00} ms");
        figures.Add("inbox list of 20, p50 / p95",
            $"{Figures.Percentile(lists, 0.5):0.00} / {Figures.Percentile(lists, 0.95):0.00} ms");
    }

    private async Task DeliverAsync(BenchApp app, DirectoryInfo mail, Figures figures)
    {
        var pending = await app.WithAsync<OutboxDelivery, OutboxCounts>(d => d.CountsAsync(CancellationToken.None));
        var want = Math.Min(emails, pending.Pending);
        var sent = 0;
        var watch = Stopwatch.StartNew();
        while (sent < want)
        {
            var pass = await app.WithAsync<OutboxDelivery, DeliveryResult>(d => d.DeliverDueAsync(CancellationToken.None));
            Check(pass.Handled > 0 && pass.Sent == pass.Handled, $"delivery pass: {pass}; every email should have been sent");
            sent += pass.Sent;
        }
        var elapsed = watch.Elapsed;
        var files = mail.GetFiles("*.eml").Length;
        Check(files == sent, $"{sent} emails reported sent, {files} files in the pickup folder");
        figures.Add($"outbox to pickup folder ({sent:N0} emails)", $"{elapsed.TotalMilliseconds:0} ms, {sent / elapsed.TotalSeconds:N0} emails/s");
    }

    private static void Check(bool condition, string failure)
    {
        if (!condition) throw new BenchException("check failed: " + failure);
    }
}
