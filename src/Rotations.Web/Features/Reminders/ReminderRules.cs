using Rotations.Web.Features.Notifications;

namespace Rotations.Web.Features.Reminders;

/// <summary>What the sweep knows about one live (not cancelled) stint and the people it concerns.</summary>
public sealed record StintForReminders(
    Guid StintId,
    DateOnly Start,
    DateOnly End,
    Recipient Leader,
    Recipient? Host,
    Recipient? Manager,
    bool ReflectionSubmitted);

/// <summary>A person a reminder can go to, with their time zone. Deactivated people get nothing.</summary>
public sealed record Recipient(Guid Id, string? TimeZone, bool IsActive = true);

/// <summary>
/// One reminder the table calls for, and for whom: the stint date it hangs on (<paramref name="Anchor"/>,
/// part of its unique key) and the day it falls due where the recipient lives (<paramref name="DueOn"/>).
/// </summary>
public sealed record ReminderCandidate(NotificationKind Kind, Recipient Recipient, Guid StintId, DateOnly Anchor, DateOnly DueOn);

/// <summary>
/// The reminder table of PRODUCT.md as code: which reminders a stint calls for, and whether one that has
/// fallen due still makes sense. Pure functions, so each row of the table is testable on its own.
/// </summary>
public static class ReminderRules
{
    /// <summary>How late a reminder may still go out after the app was down. Later ones are dropped.</summary>
    public const int CatchUpDays = 7;

    /// <summary>
    /// How far back the sweep looks for reminders that were never created (the app was down, or it was
    /// just installed): each is created late or recorded as dropped, with the reason. Older ones are
    /// history the sweep no longer reads.
    /// </summary>
    public const int LookbackDays = 31;

    public static IEnumerable<ReminderCandidate> For(StintForReminders s, ReminderSettings settings)
    {
        // Before and during the stint the reminders hang on its first day; after it, on its last. Changing an
        // offset moves when one falls due, never which one it is, so none is sent twice.
        if (settings.UpcomingFirstDays > 0)
            foreach (var who in new[] { s.Leader, s.Host }.OfType<Recipient>())
                yield return new(NotificationKind.UpcomingStint, who, s.StintId, s.Start, s.Start.AddDays(-settings.UpcomingFirstDays));
        if (settings.UpcomingSecondDays > 0)
            foreach (var who in new[] { s.Leader, s.Host }.OfType<Recipient>())
                yield return new(NotificationKind.StintStartsSoon, who, s.StintId, s.Start, s.Start.AddDays(-settings.UpcomingSecondDays));
        yield return new(NotificationKind.StintStarts, s.Leader, s.StintId, s.Start, s.Start);
        var length = s.End.DayNumber - s.Start.DayNumber + 1;
        if (length >= settings.MidpointMinWeeks * 7)
            yield return new(NotificationKind.MidpointCheckIn, s.Leader, s.StintId, s.Start, Midpoint(s.Start, s.End));
        if (s.Host is not null) yield return new(NotificationKind.FeedbackRequested, s.Host, s.StintId, s.End, s.End);
        if (s.ReflectionSubmitted) yield break;
        // A submitted reflection ends the chain: none of these is called for once it is in.
        yield return new(NotificationKind.ReflectionDue, s.Leader, s.StintId, s.End, s.End);
        yield return new(NotificationKind.ReflectionOverdue, s.Leader, s.StintId, s.End, s.End.AddDays(settings.OverdueDays));
        if (s.Manager is not null)
            yield return new(NotificationKind.ReflectionEscalation, s.Manager, s.StintId, s.End, s.End.AddDays(settings.EscalationDays));
    }

    /// <summary>The stint date a reminder of this kind hangs on: the first day, or (after the stint) the last.</summary>
    public static DateOnly AnchorOf(NotificationKind kind, DateOnly start, DateOnly end) => kind switch
    {
        NotificationKind.FeedbackRequested or NotificationKind.ReflectionDue
            or NotificationKind.ReflectionOverdue or NotificationKind.ReflectionEscalation => end,
        _ => start,
    };

    /// <summary>The middle day of an inclusive range (the earlier one of two middles).</summary>
    public static DateOnly Midpoint(DateOnly start, DateOnly end) => start.AddDays((end.DayNumber - start.DayNumber) / 2);

    /// <summary>
    /// Why a reminder that has fallen due should not go out after all (null: send it).
    /// <paramref name="recipientToday"/> is the date where the recipient is, at the moment of the sweep.
    /// </summary>
    public static string? WhyDrop(ReminderCandidate c, StintForReminders s, DateOnly recipientToday, ReminderSettings settings)
    {
        if (recipientToday.DayNumber - c.DueOn.DayNumber > CatchUpDays)
            return $"More than {CatchUpDays} days late (due {c.DueOn:yyyy-MM-dd}): the scheduler was not running, or the stint or the offsets changed after it fell due.";
        return c.Kind switch
        {
            NotificationKind.UpcomingStint or NotificationKind.StintStartsSoon when recipientToday >= s.Start =>
                "The stint had begun before this reminder could go out.",
            NotificationKind.StintStarts or NotificationKind.MidpointCheckIn when recipientToday > s.End =>
                "The stint had ended before this reminder could go out.",
            NotificationKind.ReflectionDue when recipientToday >= s.End.AddDays(settings.OverdueDays) =>
                "The overdue reminder took its place.",
            _ => null,
        };
    }
}
