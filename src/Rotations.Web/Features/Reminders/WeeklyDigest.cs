using System.Text;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Reminders;

/// <summary>
/// The HR digest: on the digest day, at each HR person's local send hour, one notification with the
/// stints starting next week, the overdue reflections and the capacity clashes. Called every 15 minutes by its
/// job; a digest missed while the app was down goes out later that week, one per person and week.
/// </summary>
public sealed class WeeklyDigest(RotationsDbContext db, TimeProvider clock, NotificationWriter writer)
{
    /// <summary>How many lines each section lists before "and N more".</summary>
    public const int ListLimit = 25;
    /// <summary>A digest missed while the app was down still goes out this long after it fell due; later, it is recorded as dropped.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromDays(3);
    /// <summary>How far ahead capacity clashes are looked for.</summary>
    public const int ClashWeeks = 8;

    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        var settings = await db.ReminderSettings.AsNoTracking().SingleAsync(ct);
        var now = clock.GetUtcNow();
        var hr = await (
            from p in db.Users.AsNoTracking()
            where p.IsActive && db.UserRoles.Any(ur => ur.UserId == p.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.HR))
            select new { p.Id, p.TimeZone }).ToListAsync(ct);

        var due = new List<(Guid Person, DateOnly Day, DateTimeOffset DueAt)>();
        foreach (var person in hr)
        {
            var zone = LocalTime.Zone(person.TimeZone);
            var day = MostRecent(LocalTime.Today(now, zone), settings.DigestDay);
            var dueAt = LocalTime.At(day, settings.SendHour, zone);
            if (dueAt > now) { day = day.AddDays(-7); dueAt = LocalTime.At(day, settings.SendHour, zone); }
            due.Add((person.Id, day, dueAt));
        }
        if (due.Count == 0) return new SweepResult(0, 0, 0);

        var people = due.Select(d => d.Person).ToArray();
        var days = due.Select(d => d.Day).Distinct().ToArray();
        var existing = await db.Notifications.AsNoTracking()
            .Where(n => n.Kind == NotificationKind.WeeklyDigest && people.Contains(n.RecipientId) && days.Contains(n.Occurrence))
            .Select(n => new { n.RecipientId, n.Occurrence }).ToListAsync(ct);
        var missing = due.Where(d => !existing.Any(e => e.RecipientId == d.Person && e.Occurrence == d.Day)).ToList();
        if (missing.Count == 0) return new SweepResult(0, 0, 0);

        var bodies = new Dictionary<DateOnly, string>();
        foreach (var day in missing.Where(m => now - m.DueAt <= CatchUp).Select(m => m.Day).Distinct())
            bodies[day] = await ComposeAsync(day, settings, ct);
        return await writer.InsertAsync(
            missing.Select(m => now - m.DueAt <= CatchUp
                ? new NewNotification(m.Person, NotificationKind.WeeklyDigest, null, m.Day, m.DueAt, null, bodies[m.Day])
                : new NewNotification(m.Person, NotificationKind.WeeklyDigest, null, m.Day, m.DueAt,
                    $"More than {CatchUp.Days} days late; the next digest is due soon.", null)).ToList(),
            now, ct);
    }

    private static DateOnly MostRecent(DateOnly today, DayOfWeek day) => today.AddDays(-(((int)today.DayOfWeek - (int)day + 7) % 7));

    /// <summary>The digest's text as of <paramref name="day"/>: plain lines, one item each.</summary>
    public async Task<string> ComposeAsync(DateOnly day, ReminderSettings settings, CancellationToken ct)
    {
        var nextMonday = day.AddDays(7 - (((int)day.DayOfWeek + 6) % 7));
        var nextSunday = nextMonday.AddDays(6);
        var starting = await db.Stints.AsNoTracking()
            .Where(s => s.CancelledAt == null && s.StartDate >= nextMonday && s.StartDate <= nextSunday)
            .OrderBy(s => s.StartDate).ThenBy(s => s.Leader!.DisplayName)
            .Select(s => new { s.StartDate, s.EndDate, Leader = s.Leader!.DisplayName, s.Tour!.Code, Tour = s.Tour.Name })
            .ToListAsync(ct);

        var overdueBy = day.AddDays(-settings.OverdueDays);
        // A year back: older gaps are history for the readiness reviews, not this week's chasing.
        var overdueFrom = day.AddYears(-1);
        var overdueQuery = db.Stints.AsNoTracking()
            .Where(s => s.CancelledAt == null && s.EndDate <= overdueBy && s.EndDate > overdueFrom
                        && !db.Reflections.Any(r => r.StintId == s.Id && r.SubmittedAt != null));
        var overdueCount = await overdueQuery.CountAsync(ct);
        var overdue = await overdueQuery.OrderBy(s => s.EndDate).Take(ListLimit)
            .Select(s => new { s.EndDate, Leader = s.Leader!.DisplayName, s.Tour!.Code })
            .ToListAsync(ct);

        var clashes = await db.Database.SqlQuery<CapacityClash>($"""
            select t.code as "Code", t.capacity as "Capacity", d.day::date as "Day", count(s.id)::int as "Booked"
            from tours t
            cross join generate_series({day}::date, {day.AddDays(ClashWeeks * 7)}::date, interval '1 day') as d(day)
            join stints s on s.tour_id = t.id and s.cancelled_at is null and d.day between s.start_date and s.end_date
            group by t.code, t.capacity, d.day
            having count(s.id) > t.capacity
            order by t.code, d.day
            """).ToListAsync(ct);

        var text = new StringBuilder();
        text.AppendLine($"Starting next week ({nextMonday:d MMM} – {nextSunday:d MMM yyyy}): {starting.Count}");
        foreach (var s in starting.Take(ListLimit))
            text.AppendLine($"- {s.Leader}: {s.Tour} ({s.Code}), {s.StartDate:ddd d MMM} – {s.EndDate:d MMM yyyy}");
        if (starting.Count > ListLimit) text.AppendLine($"- and {starting.Count - ListLimit} more");
        text.AppendLine();
        text.AppendLine($"Overdue reflections (stints that ended {settings.OverdueDays}+ days and less than a year ago, not submitted): {overdueCount}");
        foreach (var o in overdue) text.AppendLine($"- {o.Leader}: {o.Code}, ended {o.EndDate:d MMM yyyy}");
        if (overdueCount > overdue.Count) text.AppendLine($"- and {overdueCount - overdue.Count} more");
        text.AppendLine();
        var runs = ClashRuns(clashes);
        text.AppendLine($"Capacity clashes in the next {ClashWeeks} weeks: {runs.Count}");
        foreach (var r in runs.Take(ListLimit))
            text.AppendLine($"- {r.Code}: {r.Booked} booked for {r.Capacity} {(r.Capacity == 1 ? "place" : "places")}, {r.From:d MMM}{(r.To == r.From ? "" : $" – {r.To:d MMM}")}");
        if (runs.Count > ListLimit) text.AppendLine($"- and {runs.Count - ListLimit} more");
        return text.ToString().TrimEnd();
    }

    /// <summary>Consecutive over-capacity days of one tour, read as one period (with its peak booking).</summary>
    private static List<(string Code, int Capacity, int Booked, DateOnly From, DateOnly To)> ClashRuns(List<CapacityClash> days)
    {
        var runs = new List<(string Code, int Capacity, int Booked, DateOnly From, DateOnly To)>();
        foreach (var d in days)
        {
            var day = DateOnly.FromDateTime(d.Day);
            if (runs.Count > 0 && runs[^1].Code == d.Code && runs[^1].To.AddDays(1) == day)
                runs[^1] = runs[^1] with { To = day, Booked = Math.Max(runs[^1].Booked, d.Booked) };
            else runs.Add((d.Code, d.Capacity, d.Booked, day, day));
        }
        return runs;
    }

    private sealed record CapacityClash(string Code, int Capacity, DateTime Day, int Booked);
}
