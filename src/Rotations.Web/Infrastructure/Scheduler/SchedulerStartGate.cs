using Npgsql;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Infrastructure.Scheduler;

/// <summary>How long a starting node waits for PostgreSQL before its scheduler gives up (30 seconds).</summary>
public sealed record SchedulerStartPatience(TimeSpan Value);

/// <summary>
/// Runs before Quartz's hosted service and holds the start until PostgreSQL answers. Measured with 4.7.3:
/// a scheduler that starts while the database is unreachable retries for about four seconds, then fails
/// its schema check and shuts down for good (its components cannot be re-initialised), and when it starts
/// in the background after the application (Quartz's default) nothing is logged above a warning and the
/// node goes on serving pages with no scheduler. So the scheduler starts inside the host's start instead
/// (AwaitApplicationStarted off), after this gate: a blip shorter than the patience is waited out, and a
/// longer outage fails the start with a message naming ROTATIONS_DB, so the process exits and its
/// supervisor (compose's restart policy) starts it again, rather than leaving a node without a scheduler.
/// </summary>
internal sealed class SchedulerStartGate(NpgsqlDataSource dataSource, SchedulerStartPatience patience, ILogger<SchedulerStartGate> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + patience.Value;
        var wait = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await DatabaseSettings.EnsureReachableAsync(dataSource, ct);
                return;
            }
            catch (StartupException ex) when (DateTimeOffset.UtcNow + wait < deadline)
            {
                log.LogWarning("The scheduler waits for PostgreSQL before it starts: {Reason}", ex.Message);
                await Task.Delay(wait, ct);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
