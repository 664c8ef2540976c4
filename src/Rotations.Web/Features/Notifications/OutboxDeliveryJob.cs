using Quartz;

namespace Rotations.Web.Features.Notifications;

/// <summary>
/// Every 15 seconds: drains the due part of the email outbox. A failed email is the outbox's to back off
/// (per row, with its attempts and next-attempt time), so the job itself is not retried by Quartz: a pass
/// that throws (the database is down) is recorded as failed and the next firing, 15 seconds later, is the
/// retry. Nothing is swallowed: the exception reaches Quartz and the jobs page.
/// </summary>
[DisallowConcurrentExecution]
[RetryPolicy(0)]
public sealed class OutboxDeliveryJob(OutboxDelivery delivery) : IJob
{
    public static readonly JobKey Key = new("outbox-delivery", Infrastructure.Scheduler.RotationsJobs.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var r = await delivery.DeliverDueAsync(cancellationToken);
        var summary = $"{r.Sent} sent, {r.Retrying} to retry, {r.Failed} failed, {r.Cancelled} cancelled";
        var report = r switch
        {
            { Sent: 0, Retrying: 0, Failed: 0, Cancelled: 0 } => JobRunReport.Skipped("no email was due"),
            // Every attempt failed (the SMTP server is down or refusing): show it as a failed run at once,
            // not hours later when the emails run out of attempts.
            { Sent: 0 } when r.Retrying + r.Failed > 0 => JobRunReport.Failed($"no email could be sent: {summary}"),
            _ => JobRunReport.Succeeded(summary),
        };
        context.Result = report.With("sent", r.Sent).With("retrying", r.Retrying).With("failed", r.Failed).With("cancelled", r.Cancelled);
    }
}
