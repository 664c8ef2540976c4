using Microsoft.EntityFrameworkCore;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reminders;

public sealed record ReminderSettingsDto(
    int UpcomingFirstDays, int UpcomingSecondDays, int MidpointMinWeeks, int OverdueDays, int EscalationDays,
    int SendHour, DayOfWeek DigestDay, DateTimeOffset UpdatedAt, uint Version);

/// <summary>The editable fields; every one is required, so a PUT states the whole rhythm.</summary>
public sealed record ReminderSettingsRequest(
    int? UpcomingFirstDays, int? UpcomingSecondDays, int? MidpointMinWeeks, int? OverdueDays, int? EscalationDays,
    int? SendHour, DayOfWeek? DigestDay);

/// <summary>Reading and changing the reminder rhythm (HR, Admin). Changes apply from the next sweep.</summary>
public sealed class ReminderSettingsService(RotationsDbContext db, TimeProvider clock)
{
    public async Task<ReminderSettingsDto> GetAsync(CancellationToken ct) =>
        ToDto(await db.ReminderSettings.AsNoTracking().SingleAsync(ct));

    public async Task<ReminderSettingsDto> UpdateAsync(uint expectedVersion, ReminderSettingsRequest request, Guid by, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        int Check(int? value, string field, int min, int max, string what)
        {
            if (value is not { } v) errors[field] = [$"Enter {what}."];
            else if (v < min || v > max) errors[field] = [$"{char.ToUpperInvariant(what[0])}{what[1..]} must be between {min} and {max}."];
            return value ?? 0;
        }
        var first = Check(request.UpcomingFirstDays, "upcomingFirstDays", 1, 90, "the days before the start for the first reminder");
        var second = Check(request.UpcomingSecondDays, "upcomingSecondDays", 0, 90, "the days before the start for the second reminder");
        var midpoint = Check(request.MidpointMinWeeks, "midpointMinWeeks", 1, 52, "the shortest stint, in weeks, that gets a midpoint check-in");
        var overdue = Check(request.OverdueDays, "overdueDays", 1, 90, "the days after the end for the overdue reminder");
        var escalation = Check(request.EscalationDays, "escalationDays", 1, 180, "the days after the end for the escalation");
        var hour = Check(request.SendHour, "sendHour", 0, 23, "the local send hour");
        if (request.DigestDay is not { } day || !Enum.IsDefined(day)) errors["digestDay"] = ["Choose the day of the weekly digest."];
        if (!errors.ContainsKey("upcomingSecondDays") && !errors.ContainsKey("upcomingFirstDays") && second >= first)
            errors["upcomingSecondDays"] = [$"The second reminder must come after the first: fewer than {first} days before the start (0 turns it off)."];
        if (!errors.ContainsKey("escalationDays") && !errors.ContainsKey("overdueDays") && escalation <= overdue)
            errors["escalationDays"] = [$"The escalation must come after the overdue reminder: more than {overdue} days after the end."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        var settings = await db.ReminderSettings.SingleAsync(ct);
        if (settings.Version != expectedVersion) throw new StaleVersionException("The reminder settings");
        settings.UpcomingFirstDays = first;
        settings.UpcomingSecondDays = second;
        settings.MidpointMinWeeks = midpoint;
        settings.OverdueDays = overdue;
        settings.EscalationDays = escalation;
        settings.SendHour = hour;
        settings.DigestDay = request.DigestDay!.Value;
        settings.UpdatedAt = clock.GetUtcNow();
        settings.UpdatedById = by;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { throw new StaleVersionException("The reminder settings"); }
        return await GetAsync(ct);
    }

    private static ReminderSettingsDto ToDto(ReminderSettings s) => new(
        s.UpcomingFirstDays, s.UpcomingSecondDays, s.MidpointMinWeeks, s.OverdueDays, s.EscalationDays, s.SendHour, s.DigestDay, s.UpdatedAt, s.Version);
}
