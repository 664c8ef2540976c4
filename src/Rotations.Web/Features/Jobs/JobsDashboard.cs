using Microsoft.EntityFrameworkCore;
using Quartz;
using Quartz.Extensibility;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Web.Features.Jobs;

/// <summary>A scheduler node of the cluster and its last check-in.</summary>
public sealed record SchedulerNode(string InstanceId, DateTimeOffset? LastCheckInUtc, TimeSpan? CheckInInterval, string State, bool IsThisNode);

/// <summary>One finished run of a job, from Quartz's execution history (quartz.qrtz_execution_history).</summary>
public sealed record JobRun(
    DateTimeOffset FiredAtUtc, TimeSpan Duration, string Outcome, string? Summary, string? Error,
    string Node, bool Manual, int RetryAttempt, bool RetryScheduled);

/// <summary>A recurring job: its trigger's state and next firing, and its latest runs, newest first.</summary>
public sealed record JobStatus(
    string Name, string Description, string Schedule, string TriggerState, bool Paused, string? PausedBy,
    DateTimeOffset? PausedAtUtc, DateTimeOffset? NextFireUtc, DateTimeOffset? PreviousFireUtc, IReadOnlyList<JobRun> Runs);

public sealed record OutboxCounts(int Pending, int Sent, int Failed, int Cancelled);

public sealed record FailedEmail(Guid Id, EmailKind Kind, string ToAddress, int Attempts, string? LastError, DateTimeOffset CreatedAt);

/// <summary>What the jobs page shows. <see cref="RunsJobsHere"/> is false on a node with ROTATIONS_SCHEDULER=off.</summary>
public sealed record JobsOverview(
    bool RunsJobsHere, IReadOnlyList<SchedulerNode> Nodes, IReadOnlyList<JobStatus> Jobs,
    OutboxCounts Outbox, IReadOnlyList<FailedEmail> FailedEmails);

public sealed class UnknownJobException(string name) : Exception($"There is no job named \"{name}\".");

/// <summary>
/// The jobs page's reads and actions, over Quartz's own API (IScheduler and the database-backed execution
/// history) and the outbox table. Actions go through the shared job store, so any node can pause, resume or
/// trigger a job and whichever node's scheduler acquires the trigger runs it. Every action is logged and put in
/// the audit trail with the person who took it, and a pause is also stored by Quartz with that person's name.
/// Only IScheduler's methods are used, never its properties: on a node with the scheduler off the unkeyed
/// IScheduler is a handle that is built by the first awaited call, and its properties throw before that.
/// </summary>
public sealed class JobsDashboard(
    IScheduler scheduler, IExecutionHistoryStore history, RotationsDbContext db, OutboxDelivery outbox,
    IConfiguration configuration, Audit.AuditEvents audit, ILogger<JobsDashboard> log)
{
    public const int RunsPerJob = 10;
    public const int FailedEmailsShown = 50;

    public async Task<JobsOverview> OverviewAsync(CancellationToken ct)
    {
        var nodes = (await scheduler.QueryClusterNodes(ct))
            .OrderBy(n => n.InstanceId, StringComparer.Ordinal)
            .Select(n => new SchedulerNode(n.InstanceId, n.LastCheckInUtc, n.CheckInInterval, n.State.ToString(), n.IsCurrentNode))
            .ToList();

        var jobs = new List<JobStatus>();
        foreach (var job in RotationsJobs.All)
        {
            var trigger = (await scheduler.QueryTriggers(new TriggerQuery { Job = job.Key, Take = PagedQuery.All }, ct)).Items
                .FirstOrDefault(t => t.Key.Equals(job.Trigger));
            var runs = await history.QueryExecutions(
                new ExecutionHistoryQuery { SchedulerName = SchedulerExtensions.SchedulerName, Job = job.Key, Take = RunsPerJob }, ct);
            jobs.Add(new JobStatus(
                job.Key.Name, job.Description, job.Schedule,
                trigger?.State.ToString() ?? "Missing", trigger?.State == TriggerState.Paused,
                trigger?.Pause?.RequestedBy, trigger?.Pause?.PausedAtUtc,
                trigger?.NextFireTimeUtc, trigger?.PreviousFireTimeUtc,
                runs.Items.Select(Run).ToList()));
        }

        var counts = await db.EmailOutbox.AsNoTracking()
            .GroupBy(m => m.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(EmailStatus s) => counts.FirstOrDefault(c => c.Status == s)?.Count ?? 0;
        var failed = await db.EmailOutbox.AsNoTracking()
            .Where(m => m.Status == EmailStatus.Failed)
            .OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Id)
            .Take(FailedEmailsShown)
            .Select(m => new FailedEmail(m.Id, m.Kind, m.ToAddress, m.Attempts, m.LastError, m.CreatedAt))
            .ToListAsync(ct);

        return new JobsOverview(SchedulerExtensions.Enabled(configuration) == true, nodes, jobs,
            new OutboxCounts(Count(EmailStatus.Pending), Count(EmailStatus.Sent), Count(EmailStatus.Failed), Count(EmailStatus.Cancelled)),
            failed);
    }

    public async Task PauseAsync(string jobName, string actor, CancellationToken ct)
    {
        var job = Find(jobName);
        await scheduler.PauseTriggerWith(job.Trigger, new PauseDetails { Reason = "Paused on the jobs page", RequestedBy = Cut(actor, PauseDetails.MaxRequestedByLength) }, ct);
        log.LogInformation("Jobs page: {Actor} paused the job {Job}", actor, job.Key.Name);
        await AuditAsync(Audit.AuditEvents.Job, job.Key.Name, "Paused", ct);
    }

    public async Task ResumeAsync(string jobName, string actor, CancellationToken ct)
    {
        var job = Find(jobName);
        await scheduler.ResumeTrigger(job.Trigger, ct);
        log.LogInformation("Jobs page: {Actor} resumed the job {Job}", actor, job.Key.Name);
        await AuditAsync(Audit.AuditEvents.Job, job.Key.Name, "Resumed", ct);
    }

    /// <summary>Asks the cluster to run the job once, now; a paused job can be run this way too.</summary>
    public async Task TriggerNowAsync(string jobName, string actor, CancellationToken ct)
    {
        var job = Find(jobName);
        await scheduler.TriggerJob(job.Key, cancellationToken: ct);
        log.LogInformation("Jobs page: {Actor} triggered the job {Job} to run now", actor, job.Key.Name);
        await AuditAsync(Audit.AuditEvents.Job, job.Key.Name, "RunNow", ct);
    }

    public async Task RetryEmailAsync(Guid emailId, string actor, CancellationToken ct)
    {
        await outbox.RetryAsync(emailId, ct);
        log.LogInformation("Jobs page: {Actor} put the failed email {EmailId} back in the queue", actor, emailId);
        await AuditAsync(Audit.AuditEvents.Email, emailId.ToString(), "Retried", ct);
    }

    private Task AuditAsync(string type, string key, string action, CancellationToken ct)
    {
        db.AuditEntries.Add(audit.Entry(type, key, key, action));
        return db.SaveChangesAsync(ct);
    }

    public static RecurringJob Find(string jobName) =>
        RotationsJobs.All.FirstOrDefault(j => j.Key.Name == jobName) ?? throw new UnknownJobException(jobName);

    private static JobRun Run(ExecutionHistoryEntry e) => new(
        e.FiredAtUtc, e.Duration, e.EffectiveResult.ToString(), e.Summary, e.ExceptionMessage,
        e.SchedulerInstanceId, e.Manual, e.RetryAttempt, e.RetryScheduled);

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];
}
