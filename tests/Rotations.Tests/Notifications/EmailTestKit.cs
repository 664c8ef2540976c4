using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Reflections;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Email;

namespace Rotations.Tests.Notifications;

/// <summary>Apps wired to a test SMTP server, and the stints, notifications and outbox rows email tests deliver.</summary>
public static class EmailTestKit
{
    public const string PublicUrl = "https://rotations.example.test";
    public const string MailFrom = "Rotations Programme <programme@rotations.example.test>";
    public const string MessageIdDomain = "rotations.example.test";

    /// <summary>An app (with its own database) that sends through SMTP on 127.0.0.1 at <paramref name="smtpPort"/>.</summary>
    public static async Task<RotationsApp> SmtpAppAsync(int smtpPort, Action<RotationsApp>? configure = null)
    {
        var app = new RotationsApp()
            .With(EmailSettings.SmtpHostKey, "127.0.0.1")
            .With(EmailSettings.SmtpPortKey, smtpPort.ToString())
            .With(EmailSettings.SmtpTlsKey, "false")
            .With(EmailSettings.MailFromKey, MailFrom)
            .With(EmailSettings.PublicUrlKey, PublicUrl);
        configure?.Invoke(app);
        await app.InitializeAsync();
        return app;
    }

    /// <summary>A port nothing listens on (yet): an SMTP server that is down.</summary>
    public static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public static Task<DeliveryResult> DeliverAsync(this RotationsApp app) =>
        app.WithServiceAsync<OutboxDelivery, DeliveryResult>(d => d.DeliverDueAsync(CancellationToken.None));

    public static Task<EmailMessage> EmailRowAsync(this RotationsApp app, Guid id) =>
        app.WithDbAsync(db => db.EmailOutbox.AsNoTracking().SingleAsync(m => m.Id == id));

    /// <summary>A stint inserted as it stands (the booking rules are the scheduling tests' business), with a host.</summary>
    public static async Task<(Stint Stint, Person Leader, Person Host)> StintAsync(
        this RotationsApp app, DateOnly start, DateOnly end, string objectives = "Learn how price lands.", string tourCode = "SALES",
        Guid? managerId = null)
    {
        var leader = await app.QuietLeaderAsync("lena", managerId);
        var host = await app.QuietLeaderAsync("priya");
        var tour = await app.TourAsync(tourCode);
        var stint = Stint.Plan(leader.Id, tour.Id, host.Id, start, end, StintKind.Orientation, objectives);
        await app.WithDbAsync(async db =>
        {
            db.Stints.Add(stint);
            await db.SaveChangesAsync();
        });
        return (stint, leader, host);
    }

    public static Task CancelStintAsync(this RotationsApp app, Guid stintId) =>
        app.WithDbAsync(async db =>
        {
            var stint = await db.Stints.SingleAsync(s => s.Id == stintId);
            stint.Cancel("Department reorganised", app.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        });

    public static Task SubmitReflectionAsync(this RotationsApp app, Guid stintId) =>
        app.WithDbAsync(async db =>
        {
            db.Reflections.Add(new Reflection { StintId = stintId, CreatedAt = app.Clock.GetUtcNow(), SubmittedAt = app.Clock.GetUtcNow(), Revision = 1, DueOn = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime), OnTime = true });
            await db.SaveChangesAsync();
        });

    /// <summary>A notification and its pending email, due now, as the sweep would write them.</summary>
    public static async Task<EmailMessage> NotificationEmailAsync(
        this RotationsApp app, Person recipient, NotificationKind kind, Guid? stintId, DateOnly occurrence, string? body = null)
    {
        var emails = await app.NotificationEmailsAsync(recipient, kind, stintId, [occurrence], body);
        return emails.Single();
    }

    /// <summary>Many notifications of one kind for one stint (one per occurrence), each with its pending email.</summary>
    public static Task<List<EmailMessage>> NotificationEmailsAsync(
        this RotationsApp app, Person recipient, NotificationKind kind, Guid? stintId, IReadOnlyList<DateOnly> occurrences, string? body = null) =>
        app.WithDbAsync(async db =>
        {
            var now = app.Clock.GetUtcNow();
            var emails = new List<EmailMessage>();
            foreach (var occurrence in occurrences)
            {
                var notification = new Notification
                {
                    RecipientId = recipient.Id, Kind = kind, StintId = stintId, Occurrence = occurrence, DueAt = now, CreatedAt = now, Body = body,
                };
                var id = Guid.CreateVersion7();
                var email = new EmailMessage
                {
                    Id = id, Kind = EmailKind.Notification, NotificationId = notification.Id, RecipientId = recipient.Id,
                    ToAddress = recipient.Email!, MessageId = EmailMessage.NewMessageId(id, MessageIdDomain), NextAttemptAt = now, CreatedAt = now,
                };
                db.Notifications.Add(notification);
                db.EmailOutbox.Add(email);
                emails.Add(email);
            }
            await db.SaveChangesAsync();
            return emails;
        });

    /// <summary>Runs the test, then drops the app's database whatever happened.</summary>
    public static async Task UsingAsync(this Task<RotationsApp> starting, Func<RotationsApp, Task> test)
    {
        var app = await starting;
        try { await test(app); }
        finally { await app.DisposeDatabaseAsync(); }
    }
}
