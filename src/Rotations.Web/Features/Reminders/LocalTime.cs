namespace Rotations.Web.Features.Reminders;

/// <summary>Turning "this date at the send hour, where the recipient lives" into an instant, across DST.</summary>
public static class LocalTime
{
    public static TimeZoneInfo Zone(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>
    /// The instant at which <paramref name="date"/> reaches <paramref name="hour"/>:00 in <paramref name="zone"/>.
    /// An hour that does not exist that day (the spring-forward gap) moves to the first moment that does;
    /// an hour that happens twice (autumn) is taken the first time.
    /// </summary>
    public static DateTimeOffset At(DateOnly date, int hour, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(new TimeOnly(hour, 0));
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        if (zone.IsAmbiguousTime(local))
        {
            // The earlier of the two readings is the one with the larger offset (daylight time).
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset).ToUniversalTime();
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    /// <summary>The calendar date it is in <paramref name="zone"/> at <paramref name="instant"/>.</summary>
    public static DateOnly Today(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}
