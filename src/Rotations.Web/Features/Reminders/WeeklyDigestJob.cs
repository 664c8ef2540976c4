using Quartz;

namespace Rotations.Web.Features.Reminders;

/// <summary>
/// Every 15 minutes: the digest itself decides, per HR person, whether their local send hour on the
/// digest day has come, so one trigger serves every time zone (those half and three-quarter hours off UTC too). A failure is thrown to Quartz and
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
