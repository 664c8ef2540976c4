namespace Rotations.Web.Infrastructure.Time;

public static class ClockExtensions
{
    /// <summary>Today's date in UTC: what statuses derived from stint dates are judged against.</summary>
    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>"6 weeks and 2 days": a stint's length as people say it.</summary>
    public static string DescribeDays(int days)
    {
        var (weeks, rest) = (days / 7, days % 7);
        var w = weeks == 1 ? "1 week" : $"{weeks} weeks";
        var d = rest == 1 ? "1 day" : $"{rest} days";
        return weeks == 0 ? d : rest == 0 ? w : $"{w} and {d}";
    }
}
