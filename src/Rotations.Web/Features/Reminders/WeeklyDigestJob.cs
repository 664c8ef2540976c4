using Quartz;

namespace Rotations.Web.Features.Reminders;

/// <summary>
/// Hourly, at minute 0 (UTC): the digest itself decides, per HR person, whether their local send hour on the
/// digest day has come, so one hourly trigger serves every time zone. A failure is thrown to Quartz and
/// retried 1, 2 and 4 minutes later, well inside the hour; the digest's unique key makes a retry harmless.
/// </summary>
[DisallowConcurrentExecution]
[RetryPolicy(3, "00:01:00", 2)]
public sealed class WeeklyDigestJob(WeeklyDigest digest) : IJob
{
    public static readonly JobKey Key = new("weekly-digest", Infrastructure.Scheduler.RotationsJobs.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var result = await digest.RunAsync(cancellationToken);
        context.Result = ReminderSweepJob.Report(result);
    }
}
