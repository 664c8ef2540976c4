namespace Rotations.Web.Features.Notifications;

/// <summary>What a reminder needs to know about its stint to be worded: read fresh, so it follows moves.</summary>
public sealed record StintFacts(
    string TourCode, string TourName, string LeaderName, string? HostName, DateOnly Start, DateOnly End, bool Cancelled,
    string Objectives, string OutsideIn, string InsideOut);

/// <summary>The wording of each kind of notification, in one place for the inbox and the email.</summary>
public static class NotificationText
{
    public static (string Title, string Summary) Describe(NotificationKind kind, StintFacts? s, DateOnly occurrence, string? body)
    {
        if (s is null)
            return kind == NotificationKind.WeeklyDigest
                ? ($"Weekly digest, {occurrence:d MMMM yyyy}", FirstLine(body))
                : (kind.ToString(), "");
        var tour = $"{s.TourName} ({s.TourCode})";
        var dates = $"{s.Start:ddd d MMM} – {s.End:ddd d MMM yyyy}";
        var days = s.Start.DayNumber - occurrence.DayNumber;
        var summary = kind switch
        {
            NotificationKind.UpcomingStint => $"{s.LeaderName}'s stint on {tour} starts {(days == 1 ? "tomorrow" : $"in {days} days")}, {dates}."
                + (s.HostName is null ? "" : $" Host: {s.HostName}.") + " Time to set the objectives.",
            NotificationKind.StintStarts => $"{tour} starts today. Look for the customer's side ({Short(s.OutsideIn)}) and how it works inside ({Short(s.InsideOut)})."
                + (string.IsNullOrWhiteSpace(s.Objectives) ? " You have not written objectives yet." : $" Your objectives: {Short(s.Objectives)}"),
            NotificationKind.MidpointCheckIn => $"Halfway through {tour} ({dates}): how are your objectives going?",
            NotificationKind.ReflectionDue => $"Your stint on {tour} ends today. Your reflection is due: write it while it is fresh.",
            NotificationKind.FeedbackRequested => $"{s.LeaderName}'s stint on {tour} ends today. Please give your feedback.",
            NotificationKind.ReflectionOverdue => $"Your reflection on {tour} (ended {s.End:d MMM yyyy}) has not been submitted yet.",
            NotificationKind.ReflectionEscalation => $"{s.LeaderName} has not submitted the reflection on {tour}, which ended {s.End:d MMM yyyy}.",
            _ => "",
        };
        var title = kind switch
        {
            NotificationKind.UpcomingStint => $"Upcoming stint: {s.TourName}",
            NotificationKind.StintStarts => $"Starting today: {s.TourName}",
            NotificationKind.MidpointCheckIn => $"Midpoint check-in: {s.TourName}",
            NotificationKind.ReflectionDue => $"Reflection due: {s.TourName}",
            NotificationKind.FeedbackRequested => $"Feedback requested: {s.LeaderName} on {s.TourName}",
            NotificationKind.ReflectionOverdue => $"Reflection overdue: {s.TourName}",
            NotificationKind.ReflectionEscalation => $"Reflection missing: {s.LeaderName} on {s.TourName}",
            _ => kind.ToString(),
        };
        if (s.Cancelled) summary = $"This stint has since been cancelled. {summary}";
        return (title, summary);
    }

    /// <summary>Where the notification leads, as a path under the public base URL.</summary>
    public static string LinkPath(NotificationKind kind, Guid? stintId) => stintId switch
    {
        null => "/Inbox",
        { } id when kind is NotificationKind.ReflectionDue or NotificationKind.ReflectionOverdue or NotificationKind.ReflectionEscalation
            => ReflectionPath(id),
        { } id => $"/Stints/{id}",
    };

    /// <summary>The reflection form arrives with the reflections issue; until then the stint page is where it will be.</summary>
    public static string ReflectionPath(Guid stintId) => $"/Stints/{stintId}";

    private static string FirstLine(string? body) => body?.Split('\n', 2)[0].Trim() ?? "";

    private static string Short(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 160 ? line : line[..157].TrimEnd() + "…";
    }
}
