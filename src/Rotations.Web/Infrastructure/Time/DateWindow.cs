using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Infrastructure.Time;

/// <summary>
/// The days the programme plans in: 2000 to 2199. A date outside is a typing mistake or a probe, and near the ends
/// of DateOnly's range the arithmetic the features do with dates (reflection due dates, reminder offsets, weeks
/// of a stint, the board's month grid, the planner's horizon) would overflow into a 500 long after the date was
/// accepted. Every date a person or client writes is checked against it where the feature validates its dates.
/// </summary>
public static class DateWindow
{
    public static readonly DateOnly First = new(2000, 1, 1);
    public static readonly DateOnly Last = new(2199, 12, 31);

    public static bool Contains(DateOnly date) => date >= First && date <= Last;

    public static string Message => $"Choose a day from {First:yyyy-MM-dd} to {Last:yyyy-MM-dd}.";

    /// <summary>Adds the message under <paramref name="field"/> when the date is outside the window (and the field has no error yet).</summary>
    public static void Check(DateOnly? date, string field, Dictionary<string, string[]> errors)
    {
        if (date is { } d && !Contains(d)) errors.TryAdd(field, [Message]);
    }

    public static void Require(DateOnly? date, string field)
    {
        if (date is { } d && !Contains(d)) throw new ValidationFailedException(field, Message);
    }
}
