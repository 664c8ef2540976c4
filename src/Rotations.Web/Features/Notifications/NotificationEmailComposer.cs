using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Notifications;

/// <summary>
/// The email copy of an inbox notification, worded by <see cref="NotificationText"/> from the stint as it is
/// when the email goes out. Null (the outbox marks it Cancelled) when it is no longer wanted: the stint was
/// cancelled, the reflection a reminder chases was submitted, the notification was dropped, or the person
/// has since turned this kind of email off.
/// </summary>
public sealed class NotificationEmailComposer(RotationsDbContext db, EmailLinks links) : IEmailComposer
{
    public EmailKind Handles => EmailKind.Notification;

    private static readonly HashSet<NotificationKind> ReflectionChain =
        [NotificationKind.ReflectionDue, NotificationKind.ReflectionOverdue, NotificationKind.ReflectionEscalation];

    public async Task<ComposedEmail?> ComposeAsync(EmailMessage message, CancellationToken ct)
    {
        if (message.NotificationId is not { } notificationId) return null;
        var notification = await db.Notifications.AsNoTracking().FirstOrDefaultAsync(n => n.Id == notificationId, ct);
        if (notification is null || notification.IsDropped) return null;
        if (await db.EmailOptOuts.AnyAsync(o => o.PersonId == message.RecipientId && o.Kind == notification.Kind, ct)) return null;
        var recipient = await db.Users.AsNoTracking().Where(p => p.Id == message.RecipientId)
            .Select(p => new { p.DisplayName, p.TimeZone, p.IsActive }).FirstOrDefaultAsync(ct);
        // A person deactivated since the reminder was made no longer gets email from the programme.
        if (recipient is null || !recipient.IsActive) return null;

        StintFacts? facts = null;
        if (notification.StintId is { } stintId)
        {
            var state = await db.Stints.AsNoTracking().Where(s => s.Id == stintId)
                .Select(s => new
                {
                    Cancelled = s.CancelledAt != null,
                    Submitted = db.Reflections.Any(r => r.StintId == s.Id && r.SubmittedAt != null),
                    s.StartDate,
                    s.EndDate,
                })
                .FirstOrDefaultAsync(ct);
            if (state is null || state.Cancelled) return null;
            // The stint moved since: this reminder was about dates it no longer has; the sweep makes new ones.
            if (notification.Occurrence != Reminders.ReminderRules.AnchorOf(notification.Kind, state.StartDate, state.EndDate)) return null;
            if (ReflectionChain.Contains(notification.Kind) && state.Submitted) return null;
            facts = (await NotificationText.LoadFactsAsync(db, [stintId], ct)).GetValueOrDefault(stintId);
        }

        var on = notification.Kind == NotificationKind.WeeklyDigest
            ? notification.Occurrence
            : Reminders.LocalTime.Today(notification.CreatedAt, Reminders.LocalTime.Zone(recipient.TimeZone));
        var (title, summary) = NotificationText.Describe(notification.Kind, facts, on, notification.Body);
        var (label, url) = Link(notification);
        return Render(recipient.DisplayName, title, summary, label, url);
    }

    private (string Label, string Url) Link(Notification n) => (n.Kind, n.StintId) switch
    {
        (NotificationKind.ReflectionDue or NotificationKind.ReflectionOverdue, { } id) => ("Write your reflection", links.ReflectionForm(id)),
        (NotificationKind.ReflectionEscalation, { } id) => ("See where the reflection stands", links.ReflectionForm(id)),
        (NotificationKind.FeedbackRequested, { } id) => ("Give your feedback", links.FeedbackForm(id)),
        (_, { } id) => ("Open the stint", links.Stint(id)),
        _ => ("Open your inbox", links.Inbox),
    };

    internal static ComposedEmail Render(string? recipientName, string title, string summary, string linkLabel, string url)
    {
        var greeting = string.IsNullOrWhiteSpace(recipientName) ? "Hello," : $"Hello {recipientName},";
        const string footer = "You get this email from Rotations. Everything it tells you is also in your inbox there.";
        var paragraphs = summary.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var text = new StringBuilder()
            .Append(greeting).Append("\n\n")
            .AppendJoin("\n\n", paragraphs).Append("\n\n")
            .Append(linkLabel).Append(": ").Append(url).Append("\n\n")
            .Append("-- \n").Append(footer).Append('\n')
            .ToString();

        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append("</title></head>\n<body>\n")
            .Append("<p>").Append(Encode(greeting)).Append("</p>\n");
        foreach (var p in paragraphs)
            html.Append("<p>").Append(string.Join("<br>\n", p.Split('\n').Select(Encode))).Append("</p>\n");
        html.Append("<p><a href=\"").Append(Encode(url)).Append("\">").Append(Encode(linkLabel)).Append("</a></p>\n")
            .Append("<hr>\n<p><small>").Append(Encode(footer)).Append("</small></p>\n</body></html>\n");
        return new ComposedEmail(title, text, html.ToString());
    }

    private static string Encode(string s) => WebUtility.HtmlEncode(s);
}
