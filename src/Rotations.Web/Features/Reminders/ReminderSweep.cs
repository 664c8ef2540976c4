using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Reminders;

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(int Created, int Dropped, int Emails);

/// <summary>
/// Decides from the database which reminders are due now, and creates each one once (inbox row, and an
/// outbox row when the recipient wants the kind by email). Called every minute by the sweep job.
/// Reminders are rows, not triggers: nothing is scheduled ahead, so a stint that moves or is cancelled
/// needs no clean-up — the next sweep simply sees the new dates, or no stint.
/// </summary>
public sealed class ReminderSweep(RotationsDbContext db, TimeProvider clock, NotificationWriter writer, ILogger<ReminderSweep> logger)
{
    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        var settings = await db.ReminderSettings.AsNoTracking().SingleAsync(ct);
        var now = clock.GetUtcNow();
        var today = clock.Today();
        // Due dates worth a look: back over the lookback, forward as far as any time zone can be
        // ahead of UTC (a day of margin); WhyDrop and the due time decide the rest.
        var first = today.AddDays(-ReminderRules.LookbackDays);
        var last = today.AddDays(2);
        var startsBy = last.AddDays(Math.Max(settings.UpcomingFirstDays, settings.UpcomingSecondDays));
        var endsFrom = first.AddDays(-Math.Max(settings.OverdueDays, settings.EscalationDays));

        var stints = await (
            from s in db.Stints.AsNoTracking()
            where s.CancelledAt == null && s.StartDate <= startsBy && s.EndDate >= endsFrom
            join l in db.Users on s.LeaderId equals l.Id
            join h in db.Users on s.HostId equals h.Id into hosts
            from h in hosts.DefaultIfEmpty()
            join m in db.Users on l.ManagerId equals m.Id into managers
            from m in managers.DefaultIfEmpty()
            select new StintForReminders(
                s.Id, s.StartDate, s.EndDate,
                new Recipient(l.Id, l.TimeZone, l.IsActive),
                h == null ? null : new Recipient(h.Id, h.TimeZone, h.IsActive),
                m == null ? null : new Recipient(m.Id, m.TimeZone, m.IsActive),
                db.Reflections.Any(r => r.StintId == s.Id && r.SubmittedAt != null)))
            .ToListAsync(ct);

        var zones = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        TimeZoneInfo ZoneOf(Recipient r) =>
            zones.TryGetValue(r.TimeZone ?? "", out var z) ? z : zones[r.TimeZone ?? ""] = LocalTime.Zone(r.TimeZone);
        // Time-zone arithmetic is the costly part of the rules; a sweep meets only a few dozen dates per zone.
        var dueTimes = new Dictionary<(DateOnly, TimeZoneInfo), DateTimeOffset>();
        DateTimeOffset DueAt(DateOnly date, TimeZoneInfo zone) =>
            dueTimes.TryGetValue((date, zone), out var at) ? at : dueTimes[(date, zone)] = LocalTime.At(date, settings.SendHour, zone);
        var todays = new Dictionary<TimeZoneInfo, DateOnly>();
        DateOnly TodayIn(TimeZoneInfo zone) =>
            todays.TryGetValue(zone, out var d) ? d : todays[zone] = LocalTime.Today(now, zone);

        var due = new List<(ReminderCandidate Candidate, StintForReminders Stint, DateTimeOffset DueAt)>();
        foreach (var stint in stints)
            foreach (var c in ReminderRules.For(stint, settings))
            {
                if (!c.Recipient.IsActive || c.DueOn < first || c.DueOn > last) continue;
                var dueAt = DueAt(c.DueOn, ZoneOf(c.Recipient));
                if (dueAt <= now) due.Add((c, stint, dueAt));
            }
        if (due.Count == 0) return new SweepResult(0, 0, 0);

        var existing = await writer.ExistingKeysAsync(
            due.Select(d => d.Candidate.StintId).Distinct().ToArray(), due.Min(d => d.Candidate.Anchor), ct);
        var rows = new List<NewNotification>();
        foreach (var (c, stint, dueAt) in due)
        {
            if (existing.Contains((c.Kind, c.Recipient.Id, c.StintId, c.Anchor))) continue;
            var why = ReminderRules.WhyDrop(c, stint, TodayIn(ZoneOf(c.Recipient)), settings);
            rows.Add(new NewNotification(c.Recipient.Id, c.Kind, c.StintId, c.Anchor, dueAt, why, Body: null));
        }
        var result = await writer.InsertAsync(rows, now, ct);
        if (result.Created + result.Dropped > 0)
            logger.LogInformation("Reminder sweep: {Created} created, {Dropped} dropped, {Emails} emails queued",
                result.Created, result.Dropped, result.Emails);
        return result;
    }
}
