using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Email;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Web.Infrastructure.Scheduler;
using static Rotations.Tests.Support.ReminderTestData;

namespace Rotations.Tests.Jobs;

/// <summary>
/// The whole path on a running node: Quartz fires the sweep job, which creates the reminder; Quartz fires
/// the delivery job, which writes the email. Nothing is called directly but "run now".
/// </summary>
public sealed class ScheduledRemindersTests : IAsyncLifetime
{
    private readonly string mailDir = Directory.CreateTempSubdirectory("rotations-mail-").FullName;
    private readonly SchedulerOnApp app = new();

    public Task InitializeAsync()
    {
        app.With(EmailSettings.MailDirKey, mailDir);
        return app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await app.DisposeDatabaseAsync();
        Directory.Delete(mailDir, recursive: true);
    }

    [Fact]
    public async Task The_sweep_job_creates_the_reminder_and_the_delivery_job_emails_it()
    {
        var scheduler = await app.StartedSchedulerAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        app.Clock.Set(Utc(today.Year, today.Month, today.Day, 12)); // past 09:00 in London, whatever the hour of the run
        var leader = await app.PersonInAsync("Lena Leader", "Europe/London", Roles.Leader);
        var tour = await app.NewTourAsync();
        var stint = await app.StintAsync(leader.Id, tour.Id, null, today.AddDays(1), today.AddDays(12));

        await scheduler.TriggerJob(RotationsJobs.ReminderSweep.Key);
        var notification = await SchedulerTestKit.EventuallyAsync(() => app.WithDbAsync(db =>
            db.Notifications.AsNoTracking().FirstOrDefaultAsync(n => n.StintId == stint.Id && n.DroppedAt == null)), "the sweep to create the reminder");
        Assert.Equal((NotificationKind.StintStartsSoon, leader.Id, today.AddDays(1)), (notification.Kind, notification.RecipientId, notification.Occurrence));

        await scheduler.TriggerJob(RotationsJobs.OutboxDelivery.Key);
        var file = await SchedulerTestKit.EventuallyAsync(() =>
            Task.FromResult(Directory.GetFiles(mailDir, "*.eml").FirstOrDefault()), "the delivery job to write the email");
        var email = await app.WithDbAsync(db => db.EmailOutbox.AsNoTracking().SingleAsync(m => m.NotificationId == notification.Id));
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains($"Message-ID: {email.MessageId}", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(leader.Email!, text);
        await SchedulerTestKit.EventuallyAsync(async () =>
            await app.WithDbAsync(db => db.EmailOutbox.AsNoTracking().Where(m => m.Id == email.Id && m.Status == EmailStatus.Sent).Select(m => (object?)m.Id).FirstOrDefaultAsync()),
            "the email to be recorded as sent");
    }
}

/// <summary>When no email can be sent at all, the delivery job's run says so at once: failed, with the counts.</summary>
public sealed class DeliveryOutageTests
{
    [Fact]
    public async Task A_delivery_run_that_sends_nothing_because_smtp_is_down_is_recorded_as_failed()
    {
        var app = await Notifications.EmailTestKit.SmtpAppAsync(Notifications.EmailTestKit.ClosedPort(),
            a => a.With(SchedulerExtensions.EnabledKey, "on"));
        try
        {
            var scheduler = await app.StartedSchedulerAsync();
            var (_, leader, _) = await Notifications.EmailTestKit.StintAsync(app, new(2026, 3, 2), new(2026, 3, 27));
            await Notifications.EmailTestKit.NotificationEmailAsync(app, leader, NotificationKind.WeeklyDigest, null, new(2026, 3, 2), body: "Starting next week: 0");

            await scheduler.TriggerJob(RotationsJobs.OutboxDelivery.Key);
            var run = await SchedulerTestKit.EventuallyAsync(async () =>
                (await app.Services.GetRequiredService<Quartz.Extensibility.IExecutionHistoryStore>()
                    .QueryExecutions(new Quartz.ExecutionHistoryQuery { SchedulerName = SchedulerExtensions.SchedulerName, Job = RotationsJobs.OutboxDelivery.Key, Take = 20 }))
                    .Items.FirstOrDefault(e => e.Summary?.Contains("to retry") == true), "a delivery run that tried the email");
            Assert.Equal(Quartz.JobRunResult.Failed, run.EffectiveResult);
            Assert.StartsWith("no email could be sent: 0 sent, 1 to retry", run.Summary);
        }
        finally
        {
            await app.DisposeDatabaseAsync();
        }
    }
}
