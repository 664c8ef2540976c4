using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using Quartz.Extensibility;
using Rotations.Tests.Support;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Jobs;

/// <summary>The app with its scheduler on (tests keep it off by default), on a database of its own.</summary>
public class SchedulerOnApp : RotationsApp
{
    public SchedulerOnApp() => With(SchedulerExtensions.EnabledKey, "on");

    /// <summary>A second node: the same application, scheduler on, sharing this app's database.</summary>
    public RotationsApp SecondNode() =>
        new RotationsApp().With(SchedulerExtensions.EnabledKey, "on").With(DatabaseSettings.Key, ConnectionString);
}

/// <summary>A job the test controls: succeeds and says so in its report.</summary>
[DisallowConcurrentExecution]
public sealed class ProbeJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        context.Result = JobRunReport.Succeeded("probe ran").With("answer", 42);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A job that throws, as a feature service does when its database work fails.</summary>
[RetryPolicy(0)]
public sealed class FailingJob : IJob
{
    public const string Message = "the outbox table is locked (test failure)";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException(Message);
}

/// <summary>
/// Records each firing in a table of the test database: which scheduled occurrence, on which node. No unique
/// key on purpose, so a firing run twice would show up as two rows rather than fail.
/// </summary>
[RetryPolicy(0)]
public sealed class CountingJob(NpgsqlDataSource db) : IJob
{
    public const string Table = "test_job_fires";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand($"insert into {Table} (scheduled_for, node) values ($1, $2)");
        command.Parameters.AddWithValue(context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        command.Parameters.AddWithValue(context.Scheduler.SchedulerInstanceId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public static class SchedulerTestKit
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static IScheduler Scheduler(this RotationsApp app) => app.Services.GetRequiredService<IScheduler>();

    /// <summary>Polls until the condition holds, failing with the description after the patience runs out.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? patience = null) where T : class
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(100);
        }
    }

    /// <summary>The newest recorded run of the job, once there is one.</summary>
    public static Task<ExecutionHistoryEntry> RunOfAsync(this RotationsApp app, JobKey job) =>
        EventuallyAsync(async () =>
        {
            var history = app.Services.GetRequiredService<IExecutionHistoryStore>();
            var page = await history.QueryExecutions(new ExecutionHistoryQuery { SchedulerName = SchedulerExtensions.SchedulerName, Job = job, Take = 1 });
            return page.Items.FirstOrDefault();
        }, $"a run of {job} in the execution history");

    public static async Task<IScheduler> StartedSchedulerAsync(this RotationsApp app)
    {
        _ = app.Server;
        var scheduler = app.Scheduler();
        await EventuallyAsync(async () => await scheduler.GetStatus() == SchedulerStatus.Running ? "running" : null, "the scheduler to run");
        return scheduler;
    }

    public static async Task AddDurableJobAsync<TJob>(this IScheduler scheduler, JobKey key) where TJob : IJob =>
        await scheduler.AddJob(JobBuilder.Create<TJob>().WithIdentity(key).StoreDurably().Build());
}
