using Npgsql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rotations.Tests.Support;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Jobs;

/// <summary>When the scheduler starts, and when it must not.</summary>
public sealed class SchedulerStartTests
{
    [Fact]
    public async Task StartGate_WhileTheDatabaseStaysUnreachable_GivesUpAfterItsPatience_NamingRotationsDb()
    {
        var logs = new CapturedLogs();
        await using var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=1");
        var gate = new SchedulerStartGate(unreachable, new SchedulerStartPatience(TimeSpan.FromSeconds(1)), new LoggerFactory([logs]).CreateLogger<SchedulerStartGate>());

        var failure = await Assert.ThrowsAsync<StartupException>(() => gate.StartAsync(default));

        Assert.Contains(DatabaseSettings.Key, failure.Message);
        Assert.Contains(logs.Lines, l => l.Contains("The scheduler waits for PostgreSQL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartGate_WithTheDatabaseUp_LetsTheSchedulerStartAtOnce()
    {
        var database = await TestDatabase.CreateEmptyAsync("gate_up");
        try
        {
            await using var db = NpgsqlDataSource.Create(TestDatabase.ConnectionStringFor(database));
            var gate = new SchedulerStartGate(db, new SchedulerStartPatience(TimeSpan.FromSeconds(1)), NullLogger<SchedulerStartGate>.Instance);

            await gate.StartAsync(default).WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task Serve_WithAnUnknownSchedulerSetting_ExitsNamingIt()
    {
        var database = await TestDatabase.CreateMigratedAsync("serve_bad_scheduler");
        try
        {
            var result = await AppProcess.RunAsync("serve", new Dictionary<string, string?>
            {
                [DatabaseSettings.Key] = TestDatabase.ConnectionStringFor(database),
                [SchedulerExtensions.EnabledKey] = "sometimes",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            });

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"{SchedulerExtensions.EnabledKey} is \"sometimes\"; set it to on or off.", result.Stderr);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task MigrateCommand_DoesNotStartTheScheduler()
    {
        var database = await TestDatabase.CreateEmptyAsync("migrate_no_scheduler");
        try
        {
            var connection = TestDatabase.ConnectionStringFor(database);
            var result = await AppProcess.RunAsync("migrate", new Dictionary<string, string?>
            {
                [DatabaseSettings.Key] = connection,
                [SchedulerExtensions.EnabledKey] = "on",
            });

            Assert.True(result.ExitCode == 0, result.Output);
            await using var db = NpgsqlDataSource.Create(connection);
            var nodes = await db.CreateCommand("select count(*) from quartz.qrtz_scheduler_state").ExecuteScalarAsync();
            var jobs = await db.CreateCommand("select count(*) from quartz.qrtz_job_details").ExecuteScalarAsync();
            Assert.Equal(0L, nodes);
            Assert.Equal(0L, jobs);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }
}
