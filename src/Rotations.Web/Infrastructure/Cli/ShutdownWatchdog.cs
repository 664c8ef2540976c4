using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Rotations.Web.Infrastructure.Cli;

/// <summary>
/// A node asked to stop while its database is unreachable would otherwise never end: Quartz's shutdown
/// retries its database work (standing down in the cluster, recording the runs in flight) until the
/// database answers. Once the host's shutdown timeout and a grace period have passed, the node says why and
/// ends its own process; the other nodes take over its work through Quartz's cluster recovery and the
/// outbox leases. Armed only for <c>serve</c>, the real process, never in a test host.
/// </summary>
public sealed class ShutdownWatchdog : IDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource stopped = new();

    private ShutdownWatchdog(WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout + Grace;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ShutdownWatchdog>();
        app.Lifetime.ApplicationStopping.Register(() => _ = Task.Run(async () =>
        {
            try { await Task.Delay(limit, stopped.Token); }
            catch (OperationCanceledException) { return; }
            logger.LogCritical(
                "The node did not stop within {Seconds} s (is the database reachable? the scheduler waits for it to stand down); ending the process.",
                (int)limit.TotalSeconds);
            await Console.Error.WriteLineAsync(
                $"rotations: the node did not stop within {(int)limit.TotalSeconds} s (the scheduler could not reach the database to stand down); ending the process.");
            // Environment.Exit would wait for the same stuck shutdown (the console lifetime blocks process exit on it).
            Process.GetCurrentProcess().Kill();
        }));
    }

    public static ShutdownWatchdog Arm(WebApplication app) => new(app);

    /// <summary>The host stopped by itself: nothing to do.</summary>
    public void Dispose()
    {
        stopped.Cancel();
        stopped.Dispose();
    }
}
