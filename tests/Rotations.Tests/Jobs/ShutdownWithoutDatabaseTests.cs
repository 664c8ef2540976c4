using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Rotations.Tests.Support;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Jobs;

/// <summary>
/// A node asked to stop after its database went away: Quartz's own shutdown would wait for the database
/// for ever; the node gives up after the host's shutdown timeout plus a grace period, says why, and ends.
/// </summary>
public sealed class ShutdownWithoutDatabaseTests
{
    [Fact]
    public async Task A_node_whose_database_is_gone_still_stops_and_says_why()
    {
        var database = await TestDatabase.CreateMigratedAsync("shutdown");
        var port = FreePort();
        var output = new ConcurrentQueue<string>();
        using var node = AppProcess.Start("serve", new Dictionary<string, string?>
        {
            [DatabaseSettings.Key] = TestDatabase.ConnectionStringFor(database),
            [SchedulerExtensions.EnabledKey] = "on",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_shutdownTimeoutSeconds"] = "2",
        }, output);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var until = DateTime.UtcNow.AddSeconds(60);
            while (!await HealthyAsync(http) && DateTime.UtcNow < until) await Task.Delay(250);
            Assert.True(await HealthyAsync(http), "the node never became healthy:\n" + string.Join('\n', output));

            // The database disappears under the running node (connections terminated, reconnects refused).
            await TestDatabase.DropAsync(database);
            using (var term = Process.Start("kill", ["-TERM", node.Id.ToString()])) await term.WaitForExitAsync();

            var stopped = Stopwatch.StartNew();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await node.WaitForExitAsync(patience.Token);
            var took = stopped.Elapsed;
            var printed = string.Join('\n', output);
            Assert.True(took < TimeSpan.FromSeconds(30), $"the node took {took.TotalSeconds:0.0} s to stop:\n{printed}");

            // Quartz usually hangs in its shutdown here (a job or its cluster check-in retrying the database), and then
            // the watchdog ends the process and says why. When nothing of Quartz's touched the database at that moment,
            // the node stops by itself within the shutdown timeout: also right, but then without the watchdog's line.
            var watchdogSpoke = output.Any(l => l.Contains("the node did not stop within 12 s", StringComparison.Ordinal));
            if (watchdogSpoke)
                Assert.NotEqual(0, node.ExitCode);
            else
                Assert.True(node.ExitCode == 0 && took < TimeSpan.FromSeconds(12),
                    $"the node ended with {node.ExitCode} after {took.TotalSeconds:0.0} s without saying why:\n{printed}");
        }
        finally
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
            await TestDatabase.DropAsync(database);
        }
    }

    private static async Task<bool> HealthyAsync(HttpClient http)
    {
        try { return (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK; }
        catch (HttpRequestException) { return false; }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
