namespace Rotations.Web.Infrastructure.Time;

public static class ClockExtensions
{
    /// <summary>Today's date in UTC: what statuses derived from stint dates are judged against.</summary>
    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
