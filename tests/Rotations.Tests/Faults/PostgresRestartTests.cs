using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Tests.Faults;

/// <summary>
/// PostgreSQL stopped (fast, then immediate: a crash) and started again under a running node (the real binary) and a load of reads and writes:
/// requests fail briefly with 503 problem details (pages: a 503 page), never 500; they succeed again within
/// seconds of the server being back, with no restart of the node; every write that answered 2xx is stored;
/// and the scheduler runs its jobs again.
/// </summary>
public sealed class PostgresRestartTests
{
    private const string AdminEmail = "admin@restart.test";

    private sealed record Outcome(string Kind, DateTimeOffset Started, int Status, string? ContentType, string? RetryAfter, string Body, Guid? Created);

    [Fact]
    public async Task PostgreSQL_restarted_under_load_gives_503_not_500_the_node_recovers_by_itself_no_acknowledged_write_is_lost_and_jobs_run_again()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await cluster.CreateDatabaseAsync("rotations");
        var connectionString = cluster.ConnectionString("rotations", pooling: true);
        var migrated = await AppProcess.RunAsync("migrate", new Dictionary<string, string?> { [DatabaseSettings.Key] = connectionString });
        Assert.True(migrated.ExitCode == 0, migrated.Output);
        await using var node = await WebNode.StartAsync(connectionString, new Dictionary<string, string?>
        {
            [AdminBootstrap.EmailKey] = AdminEmail,
            [AdminBootstrap.PasswordKey] = RotationsApp.Password,
        });
        using var api = node.BearerClient(await node.TokenAsync(AdminEmail));
        using var browser = await node.SignInAsync(AdminEmail, new CookieContainer());

        var outcomes = new ConcurrentBag<Outcome>();
        var transportErrors = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var counter = 0;
        async Task Worker(int worker)
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref counter);
                var started = DateTimeOffset.UtcNow;
                var (kind, request) = (n % 3) switch
                {
                    0 => ("write", new HttpRequestMessage(HttpMethod.Post, "/api/v1/cohorts")
                    {
                        Content = JsonContent.Create(new { name = $"Cohort {n:D5}", startDate = "2027-01-04", endDate = "2027-12-31" }),
                    }),
                    1 => ("read", new HttpRequestMessage(HttpMethod.Get, "/api/v1/cohorts")),
                    _ => ("page", new HttpRequestMessage(HttpMethod.Get, "/")),
                };
                try
                {
                    using var response = await (kind == "page" ? browser : api).SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    Guid? id = kind == "write" && response.StatusCode == HttpStatusCode.Created
                        ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid() : null;
                    outcomes.Add(new Outcome(kind, started, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                        response.Headers.RetryAfter?.ToString(), body, id));
                }
                catch (HttpRequestException ex)
                {
                    transportErrors.Add($"{kind}: {ex.Message}");
                }
                await Task.Delay(20 + worker * 5);
            }
        }
        var workers = Enumerable.Range(0, 6).Select(i => Task.Run(() => Worker(i))).ToList();

        // Two outages: a clean fast shutdown (sessions are told 57P01), then a crash (immediate: recovery at start).
        var outages = new List<(string Mode, DateTimeOffset Down, DateTimeOffset Back)>();
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var mode in new[] { "fast", "immediate" })
        {
            var down = DateTimeOffset.UtcNow; // sessions may end before pg_ctl returns
            await cluster.StopServerAsync(mode);
            await Task.Delay(TimeSpan.FromSeconds(3));
            await cluster.StartServerAsync();
            outages.Add((mode, down, DateTimeOffset.UtcNow));
            await Task.Delay(TimeSpan.FromSeconds(7));
        }
        var end = DateTimeOffset.UtcNow;
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var all = outcomes.OrderBy(o => o.Started).ToList();
        Assert.Empty(transportErrors);
        // Only successes and 503s: no 500, nothing else.
        var odd = all.Where(o => o.Status is not (200 or 201 or 503)).ToList();
        Assert.True(odd.Count == 0, "unexpected answers:\n" + string.Join('\n', odd.Take(5).Select(o => $"{o.Kind} {o.Status} {o.Body[..Math.Min(400, o.Body.Length)]}")));
        var unavailable = all.Where(o => o.Status == 503).ToList();
        Assert.NotEmpty(unavailable); // the outage was seen (the load ran through it)
        Assert.All(unavailable, o =>
        {
            Assert.Equal("5", o.RetryAfter);
            if (o.Kind == "page")
            {
                Assert.Equal("text/html", o.ContentType);
                Assert.Contains("Temporarily unavailable", o.Body);
            }
            else
            {
                Assert.Equal("application/problem+json", o.ContentType);
                using var problem = JsonDocument.Parse(o.Body);
                Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
                Assert.Equal("The database is unavailable", problem.RootElement.GetProperty("title").GetString());
            }
        });
        Assert.Contains(unavailable, o => o.Kind == "page");
        Assert.Contains(unavailable, o => o.Kind == "write");

        // Recovery by itself: within a few seconds of the server being back every kind of request succeeds again.
        for (var k = 0; k < outages.Count; k++)
        {
            var (mode, down, back) = outages[k];
            // Up to the next outage, less a margin: a request sent just before it may still be running into it.
            var until = k + 1 < outages.Count ? outages[k + 1].Down.AddSeconds(-1.5) : end;
            Assert.Contains(unavailable, o => o.Started >= down && o.Started <= back);
            var firstOk = all.Where(o => o.Started >= back && o.Status < 300).Select(o => o.Started).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            Assert.True(firstOk - back < TimeSpan.FromSeconds(5), $"{mode}: the first success came {(firstOk - back).TotalSeconds:F1} s after the server was back");
            var settled = all.Where(o => o.Started >= back.AddSeconds(3) && o.Started < until).ToList();
            Assert.All(new[] { "write", "read", "page" }, kind => Assert.Contains(settled, o => o.Kind == kind));
            Assert.All(settled, o => Assert.True(o.Status < 300, $"{mode}: {o.Kind} answered {o.Status} {(o.Started - back).TotalSeconds:F1} s after the server was back"));
        }

        // Every write that answered 201 is in the database, from before, between and after the outages.
        var acknowledged = all.Where(o => o.Created is not null).Select(o => o.Created!.Value).ToList();
        Assert.Contains(all, o => o.Created is not null && o.Started < outages[0].Down);
        Assert.Contains(all, o => o.Created is not null && o.Started > outages[0].Back && o.Started < outages[1].Down);
        Assert.Contains(all, o => o.Created is not null && o.Started > outages[1].Back);
        await using (var db = NpgsqlDataSource.Create(cluster.ConnectionString("rotations")))
        {
            var stored = new HashSet<Guid>();
            await using var reader = await db.CreateCommand("select id from cohorts").ExecuteReaderAsync();
            while (await reader.ReadAsync()) stored.Add(reader.GetGuid(0));
            Assert.All(acknowledged, id => Assert.Contains(id, stored));
        }

        // The scheduler is back: a job (email delivery runs every 15 seconds) ran to completion after the restart (Skipped: nothing was due).
        var lastJobs = "";
        var run = await EventuallyAsync(async () =>
        {
            var overview = await api.GetFromJsonAsync<JsonElement>("/api/v1/jobs");
            lastJobs = overview.ToString();
            var jobs = overview.GetProperty("jobs");
            return jobs.EnumerateArray().SelectMany(j => j.GetProperty("runs").EnumerateArray())
                .Where(r => r.GetProperty("firedAtUtc").GetDateTimeOffset() > outages[^1].Back && r.GetProperty("outcome").GetString() is "Succeeded" or "Skipped")
                .Select(r => (JsonElement?)r).FirstOrDefault();
        }, TimeSpan.FromSeconds(40), () => $"{lastJobs}\n{node.Log}");
        Assert.NotNull(run);

        // One warning line per failed request, not a stack trace each.
        var lines = node.Output.ToList();
        Assert.Equal(unavailable.Count, lines.Count(l => l.Contains("PostgreSQL is unavailable", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("An unhandled exception has occurred", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Failed executing DbCommand", StringComparison.Ordinal));
    }

    private static async Task<T?> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan patience, Func<string> explain) where T : struct
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < patience)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(500);
        }
        throw new TimeoutException($"not seen within {patience.TotalSeconds} s:\n{explain()}");
    }
}
