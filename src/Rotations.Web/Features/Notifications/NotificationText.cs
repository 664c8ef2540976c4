using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Notifications;

/// <summary>What the wording of a reminder about a stint needs: read from the stint as it is now, not as it was when the reminder was made.</summary>
public sealed record StintFacts(
    Guid StintId, string TourCode, string TourName, string LeaderName, string? HostName,
    DateOnly Start, DateOnly End, string Objectives, string OutsideIn, string InsideOut, bool Cancelled = false)
{
    public int Weeks => (End.DayNumber - Start.DayNumber + 7) / 7;
}

/// <summary>
/// The words of every notification, in one place: the inbox shows them and the email sends them.
/// Plain text (the summary may hold several paragraphs separated by a blank line); callers encode it for HTML.
/// </summary>
public static class NotificationText
{
    /// <param name="occurrence">
    /// The day the reminder went out where its recipient lives (what "tomorrow" and "in 14 days" count from);
    /// for the digest, its digest day.
    /// </param>
    public static (string Title, string Summary) Describe(NotificationKind kind, StintFacts? stint, DateOnly occurrence, string? body)
    {
        if (kind == NotificationKind.WeeklyDigest)
            return ($"Weekly digest for the week of {Date(occurrence)}",
                string.IsNullOrWhiteSpace(body) ? "Stints starting next week, overdue reflections and capacity clashes." : body.Trim());
        if (stint is null)
            return ("A reminder about a stint", "The stint this reminder was about no longer exists.");

        var s = stint;
        var tour = $"{s.TourName} ({s.TourCode})";
        var dates = $"{Date(s.Start)} to {Date(s.End)}";
        var host = s.HostName is null ? "" : $", hosted by {s.HostName}";
        return kind switch
        {
            NotificationKind.UpcomingStint => (
                $"Upcoming stint: {s.LeaderName} in {s.TourName} from {Date(s.Start)}",
                $"{s.LeaderName}'s {Length(s)} stint in {tour} starts {StartsIn(s.Start, occurrence)}: {dates}{host}. " +
                "Set the objectives for it before it begins." + Objectives(s)),
            NotificationKind.StintStartsSoon => (
                $"Starting soon: {s.LeaderName} in {s.TourName} from {Date(s.Start)}",
                $"{s.LeaderName}'s {Length(s)} stint in {tour} starts {StartsIn(s.Start, occurrence)}: {dates}{host}." +
                (string.IsNullOrWhiteSpace(s.Objectives) ? " No objectives are written yet: set them before it begins." : "") + Objectives(s)),
            NotificationKind.StintStarts => (
                occurrence <= s.Start ? $"Your stint in {s.TourName} starts today" : $"Your stint in {s.TourName} started on {Date(s.Start)}",
                $"{(occurrence <= s.Start ? "Today" : $"On {Date(s.Start)}")} {s.LeaderName} {(occurrence <= s.Start ? "starts" : "started")} a {Length(s)} stint in {tour}, until {Date(s.End)}{host}." +
                Lens("From the customer's side (outside-in)", s.OutsideIn) +
                Lens("How the company works here (inside-out)", s.InsideOut) + Objectives(s)),
            NotificationKind.MidpointCheckIn => (
                $"Midpoint check-in: {s.TourName}",
                $"{s.LeaderName} is halfway through the {Length(s)} stint in {tour} ({dates}). Take stock against the objectives: " +
                $"what have you seen from the customer's side, and what have you learned about how {s.TourName} works?" + Objectives(s)),
            NotificationKind.ReflectionDue => (
                $"Reflection due: your stint in {s.TourName}",
                $"{s.LeaderName}'s stint in {tour} ends on {Date(s.End)}. Write the reflection while it is fresh: what you saw from the " +
                "customer's side, how the department works inside, its vocabulary, the people you met, friction and ideas, " +
                "and the competencies you exercised."),
            NotificationKind.FeedbackRequested => (
                $"Feedback requested: {s.LeaderName} in {s.TourName}",
                $"{s.LeaderName}'s stint in {tour} ends on {Date(s.End)}. As the host, please give your feedback on what they did and learned."),
            NotificationKind.ReflectionOverdue => (
                $"Reflection overdue: your stint in {s.TourName}",
                $"{s.LeaderName}'s stint in {tour} ended on {Date(s.End)} and the reflection has not been submitted yet. " +
                "Please write and submit it."),
            NotificationKind.ReflectionEscalation => (
                $"Reflection missing: {s.LeaderName}, {s.TourName}",
                $"{s.LeaderName}'s stint in {tour} ended on {Date(s.End)}{DaysAgo(s.End, occurrence)}, and the reflection has still not " +
                "been submitted. As their manager, please follow it up with them."),
            _ => ($"A reminder about {s.LeaderName}'s stint in {s.TourName}", $"{s.LeaderName}'s stint in {tour}: {dates}{host}."),
        };
    }

    /// <summary>The facts of many stints at once (cancelled ones included), for the inbox page and the email composer.</summary>
    public static async Task<Dictionary<Guid, StintFacts>> LoadFactsAsync(RotationsDbContext db, IReadOnlyCollection<Guid> stintIds, CancellationToken ct)
    {
        if (stintIds.Count == 0) return [];
        return await db.Stints.AsNoTracking()
            .Where(s => stintIds.Contains(s.Id))
            .Select(s => new StintFacts(
                s.Id, s.Tour!.Code, s.Tour.Name, s.Leader!.DisplayName, s.Host == null ? null : s.Host.DisplayName,
                s.StartDate, s.EndDate, s.Objectives, s.Tour.OutsideIn, s.Tour.InsideOut, s.CancelledAt != null))
            .ToDictionaryAsync(f => f.StintId, ct);
    }

    /// <summary>Where a notification leads in the app (the email builds the same places as absolute links).</summary>
    public static string LinkPath(NotificationKind kind, Guid? stintId) => stintId switch
    {
        null => "/Inbox",
        { } id when kind is NotificationKind.ReflectionDue or NotificationKind.ReflectionOverdue or NotificationKind.ReflectionEscalation
            => EmailLinks.ReflectionPath(id),
        { } id when kind is NotificationKind.FeedbackRequested => EmailLinks.FeedbackPath(id),
        { } id => EmailLinks.StintPath(id),
    };

    /// <summary>What the inbox's button says: where <see cref="LinkPath"/> leads.</summary>
    public static string LinkLabel(NotificationKind kind, Guid? stintId) => stintId switch
    {
        null => "Open",
        _ when kind is NotificationKind.ReflectionDue or NotificationKind.ReflectionOverdue => "Write the reflection",
        _ when kind is NotificationKind.ReflectionEscalation => "Open the reflection",
        _ when kind is NotificationKind.FeedbackRequested => "Give feedback",
        _ => "Open the stint",
    };

    public static string Date(DateOnly date) => date.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);

    private static string Length(StintFacts s) => s.Weeks == 1 ? "1-week" : $"{s.Weeks}-week";

    private static string StartsIn(DateOnly start, DateOnly occurrence) => (start.DayNumber - occurrence.DayNumber) switch
    {
        1 => "tomorrow",
        > 1 and var days => $"in {days} days",
        _ => $"on {Date(start)}",
    };

    private static string DaysAgo(DateOnly end, DateOnly occurrence) =>
        occurrence.DayNumber - end.DayNumber is > 0 and var days ? $", {days} days ago" : "";

    private static string Lens(string heading, string text) =>
        string.IsNullOrWhiteSpace(text) ? "" : $"\n\n{heading}: {text.Trim()}";

    private static string Objectives(StintFacts s) =>
        string.IsNullOrWhiteSpace(s.Objectives) ? "" : $"\n\nObjectives:\n{s.Objectives.Trim()}";
}
