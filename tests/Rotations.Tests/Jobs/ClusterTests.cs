using Npgsql;
using Quartz;
using Rotations.Tests.Support;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Jobs;

/// <summary>Two app hosts, each with its scheduler, on one database: one cluster, each firing on one node.</summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly SchedulerOnApp first = new();
    private RotationsApp second = null!;

    public async Task InitializeAsync()
    {
        await first.InitializeAsync();
        second = first.SecondNode();
    }

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeDatabaseAsync();
    }

    [Fact]
    public async Task TwoNodes_StartingTogetherOnAFreshDatabase_FormOneCluster_AndEachFiringRunsOnce()
    {
        // Both start at once against Quartz tables with no rows: locks, jobs and triggers are created by the race.
        var schedulers = await Task.WhenAll(Task.Run(first.StartedSchedulerAsync), Task.Run(second.StartedSchedulerAsync));
        var ids = await Task.WhenAll(schedulers.Select(s => s.GetSchedulerInstanceId().AsTask()));
        Assert.NotEqual(ids[0], ids[1]);
        var nodes = await SchedulerTestKit.EventuallyAsync(async () =>
        {
            var seen = await schedulers[0].QueryClusterNodes();
            return seen.Count(n => n.State == ClusterNodeState.Alive) == 2 ? seen : null;
        }, "both nodes to check in");
        Assert.Equal(ids.Order(), nodes.Select(n => n.InstanceId).Order());
        foreach (var job in RotationsJobs.All)
            Assert.NotNull(await schedulers[1].GetTrigger(job.Trigger));

        await using (var db = NpgsqlDataSource.Create(first.ConnectionString))
            await db.CreateCommand($"create table {CountingJob.Table} (scheduled_for timestamptz not null, node text not null)").ExecuteNonQueryAsync();
        const int Fires = 12;
        var key = new JobKey("counting", "tests");
        // Pause the real jobs so the two nodes' threads are free for this one (their stub services would only fail).
        foreach (var job in RotationsJobs.All) await schedulers[0].PauseTrigger(job.Trigger);
        await schedulers[0].ScheduleJob(
            JobBuilder.Create<CountingJob>().WithIdentity(key).Build(),
            TriggerBuilder.Create().WithIdentity("counting-every-half-second", "tests").ForJob(key)
                .StartAt(DateTimeOffset.UtcNow.AddMilliseconds(500))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMilliseconds(500)).WithRepeatCount(Fires - 1))
                .Build());

        var fires = await SchedulerTestKit.EventuallyAsync(async () =>
        {
            var rows = await ReadFiresAsync();
            return rows.Count >= Fires ? rows : null;
        }, $"{Fires} firings of the counting job", TimeSpan.FromSeconds(30));
        await Task.Delay(600); // one more interval: a duplicate firing would land in it
        fires = await ReadFiresAsync();

        Assert.Equal(Fires, fires.Count);
        Assert.Equal(Fires, fires.Select(f => f.ScheduledFor).Distinct().Count());
        Assert.All(fires, f => Assert.Contains(f.Node, ids));
    }

    private async Task<List<(DateTimeOffset ScheduledFor, string Node)>> ReadFiresAsync()
    {
        await using var db = NpgsqlDataSource.Create(first.ConnectionString);
        await using var reader = await db.CreateCommand($"select scheduled_for, node from {CountingJob.Table}").ExecuteReaderAsync();
        var rows = new List<(DateTimeOffset, string)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1)));
        return rows;
    }
}
