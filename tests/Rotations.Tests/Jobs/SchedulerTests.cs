using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Rotations.Tests.Support;
using Rotations.Web.Features.Jobs;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Jobs;

/// <summary>The clustered scheduler of one node: its jobs, triggers, execution history, pause and resume.</summary>
public sealed class SchedulerTests(SchedulerOnApp app) : IClassFixture<SchedulerOnApp>
{
    [Fact]
    public async Task Scheduler_StartsClustered_WithTheThreeJobsAndTheirUtcTriggers()
    {
        var scheduler = await app.StartedSchedulerAsync();

        var metadata = await scheduler.GetMetadata();
        Assert.True(metadata.JobStoreClustered, "the job store is not clustered");
        Assert.True(metadata.JobStorePersistent, "the job store is not the database");
        var node = Assert.Single(await scheduler.QueryClusterNodes(), n => n.IsCurrentNode);
        Assert.Equal(ClusterNodeState.Alive, node.State);
        Assert.Equal(SchedulerExtensions.CheckinInterval, node.CheckInInterval);

        var expected = new Dictionary<string, string>
        {
            ["reminder-sweep"] = "0 * * ? * *",
            ["outbox-delivery"] = "0/15 * * ? * *",
            ["weekly-digest"] = "0 0/15 * ? * *",
        };
        Assert.Equal(expected.Keys.Order(), RotationsJobs.All.Select(j => j.Key.Name).Order());
        foreach (var job in RotationsJobs.All)
        {
            var detail = await scheduler.GetJobDetail(job.Key);
            Assert.NotNull(detail);
            Assert.True(detail.ConcurrentExecutionDisallowed, $"{job.Key} may run twice at once");
            var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(job.Trigger));
            Assert.Equal(expected[job.Key.Name], trigger.CronExpressionString);
            Assert.Equal(TimeZoneInfo.Utc.Id, trigger.TimeZone.Id);
            Assert.Equal(TriggerState.Normal, await scheduler.GetTriggerState(job.Trigger));
            var header = Assert.Single((await scheduler.QueryTriggers(new TriggerQuery { Job = job.Key })).Items);
            Assert.InRange(header.NextFireTimeUtc!.Value, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddHours(1));
        }
    }

    [Fact]
    public async Task TriggerNow_RunsTheJob_AndItsRunIsInTheExecutionHistoryWithItsReport()
    {
        var scheduler = await app.StartedSchedulerAsync();
        var key = new JobKey($"probe-{Guid.NewGuid():N}", "tests");
        await scheduler.AddDurableJobAsync<ProbeJob>(key);

        await scheduler.TriggerJob(key);

        var run = await app.RunOfAsync(key);
        Assert.Equal(JobRunResult.Succeeded, run.EffectiveResult);
        Assert.Equal("probe ran", run.Summary);
        Assert.Contains("\"answer\":42", run.MetricsJson);
        Assert.True(run.Manual, "a run-now firing is not marked manual");
        Assert.Equal(await scheduler.GetSchedulerInstanceId(), run.SchedulerInstanceId);
    }

    [Fact]
    public async Task FailingJob_ItsExceptionReachesTheHistory_AsAFailedRunWithTheMessage()
    {
        var scheduler = await app.StartedSchedulerAsync();
        var key = new JobKey($"failing-{Guid.NewGuid():N}", "tests");
        await scheduler.AddDurableJobAsync<FailingJob>(key);

        await scheduler.TriggerJob(key);

        var run = await app.RunOfAsync(key);
        Assert.Equal(JobRunResult.Failed, run.EffectiveResult);
        Assert.False(run.Succeeded);
        Assert.Equal(FailingJob.Message, run.ExceptionMessage);
        Assert.False(run.RetryScheduled, "[RetryPolicy(0)] should mean no retry");
    }

    [Fact]
    public async Task PauseAndResume_ChangeTheTriggerState_AndRecordWhoPaused()
    {
        var scheduler = await app.StartedSchedulerAsync();
        var job = RotationsJobs.WeeklyDigest;
        await using var scope = app.Services.CreateAsyncScope();
        var dashboard = scope.ServiceProvider.GetRequiredService<JobsDashboard>();

        await dashboard.PauseAsync(job.Key.Name, "Hannah Reyes (hr@example.com)", default);

        Assert.Equal(TriggerState.Paused, await scheduler.GetTriggerState(job.Trigger));
        var pause = await scheduler.GetTriggerPause(job.Trigger);
        Assert.Equal("Hannah Reyes (hr@example.com)", pause?.RequestedBy);
        var shown = (await dashboard.OverviewAsync(default)).Jobs.Single(j => j.Name == job.Key.Name);
        Assert.True(shown.Paused);
        Assert.Equal("Hannah Reyes (hr@example.com)", shown.PausedBy);

        await dashboard.ResumeAsync(job.Key.Name, "Hannah Reyes (hr@example.com)", default);

        Assert.Equal(TriggerState.Normal, await scheduler.GetTriggerState(job.Trigger));
        Assert.False((await dashboard.OverviewAsync(default)).Jobs.Single(j => j.Name == job.Key.Name).Paused);
        Assert.Contains(app.Logs.Lines, l => l.Contains("Hannah Reyes (hr@example.com) paused the job weekly-digest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_RefusesAJobItDoesNotKnow()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var dashboard = scope.ServiceProvider.GetRequiredService<JobsDashboard>();

        await Assert.ThrowsAsync<UnknownJobException>(() => dashboard.PauseAsync("drop-everything", "someone", default));
    }
}
