using Quartz;

namespace Rotations.Web.Features.Reminders;

/// <summary>
/// Every minute: asks the sweep what is due now. Thin on purpose: the rules live in <see cref="ReminderSweep"/>,
/// and a failure is thrown to Quartz, which records it in the execution history and retries it.
/// Two retries, 10 and 20 seconds apart, fit inside the minute before the next regular firing
/// (Quartz drops a retry that would land on the next occurrence); the sweep is idempotent, so a retry
/// after a half-done run creates nothing twice.
/// </summary>
[DisallowConcurrentExecution]
[RetryPolicy(2, "00:00:10", 2)]
public sealed class ReminderSweepJob(ReminderSweep sweep) : IJob
{
    public static readonly JobKey Key = new("reminder-sweep", Infrastructure.Scheduler.RotationsJobs.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var result = await sweep.RunAsync(cancellationToken);
        context.Result = Report(result);
    }

    internal static JobRunReport Report(SweepResult r)
    {
        var summary = $"{r.Created} created, {r.Dropped} dropped, {r.Emails} emails queued";
        var report = r is { Created: 0, Dropped: 0, Emails: 0 } ? JobRunReport.Skipped("nothing was due") : JobRunReport.Succeeded(summary);
        return report.With("created", r.Created).With("dropped", r.Dropped).With("emails", r.Emails);
    }
}
