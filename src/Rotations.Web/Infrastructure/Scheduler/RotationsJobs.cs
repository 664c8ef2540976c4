using Quartz;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Reminders;

namespace Rotations.Web.Infrastructure.Scheduler;

/// <summary>One recurring job: its key, the trigger that fires it, and the schedule in words for the jobs page.</summary>
public sealed record RecurringJob(JobKey Key, TriggerKey Trigger, string Description, string Schedule);

/// <summary>
/// The application's recurring jobs and their triggers, in one table. Reminders are rows, not triggers:
/// there is no trigger per stint, only these three, and a stint that moves needs no trigger surgery.
/// </summary>
public static class RotationsJobs
{
    public const string Group = "rotations";

    public static readonly RecurringJob ReminderSweep = new(ReminderSweepJob.Key, new TriggerKey("reminder-sweep-every-minute", Group),
        "Creates the reminders that are due now (inbox rows and queued emails).", "every minute");
    public static readonly RecurringJob OutboxDelivery = new(OutboxDeliveryJob.Key, new TriggerKey("outbox-delivery-every-15s", Group),
        "Sends the queued emails that are due, backing off on failures.", "every 15 seconds");
    public static readonly RecurringJob WeeklyDigest = new(WeeklyDigestJob.Key, new TriggerKey("weekly-digest-every-15-minutes", Group),
        "Sends the weekly HR digest to each HR person at their local send hour on the digest day.", "every 15 minutes");

    public static readonly IReadOnlyList<RecurringJob> All = [ReminderSweep, OutboxDelivery, WeeklyDigest];

    internal static void Register(IQuartzBuilder q)
    {
        // Cron in UTC so a node's own time zone never moves a firing. A firing missed while every node was
        // down runs once when one comes back (FireAndProceed), not once per missed occurrence: each job asks
        // the database what is due now, so one catch-up run covers the gap.
        Add<ReminderSweepJob>(q, ReminderSweep, t => t.WithCronSchedule("0 * * ? * *", Utc));
        Add<OutboxDeliveryJob>(q, OutboxDelivery, t => t.WithCronSchedule("0/15 * * ? * *", Utc));
        Add<WeeklyDigestJob>(q, WeeklyDigest, t => t.WithCronSchedule("0 0/15 * ? * *", Utc));
    }

    private static void Utc(CronScheduleBuilder cron) =>
        cron.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed);

    private static void Add<TJob>(IQuartzBuilder q, RecurringJob job, Action<ITriggerConfigurator<TJob>> schedule) where TJob : IJob
    {
        q.AddJob<TJob>(j => j.WithIdentity(job.Key).WithDescription(job.Description).DisallowConcurrentExecution());
        q.AddTrigger<TJob>(t =>
        {
            t.WithIdentity(job.Trigger).ForJob(job.Key).WithDescription(job.Schedule);
            schedule(t);
        });
    }
}
