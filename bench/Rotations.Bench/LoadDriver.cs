using System.Diagnostics;
using System.Net;

namespace Rotations.Bench;

/// <summary>What one load run measured: requests completed, failures, throughput and latency percentiles in ms.</summary>
public sealed record LoadResult(int Requests, int Failures, double PerSecond, double P50, double P95, double P99, double Max, string? FirstFailure);

/// <summary>
/// An HTTP load driver of our own (Debian has wrk, which is closed-loop only; wrk2 and its fixed rate are not packaged):
/// <see cref="ClosedAsync"/> keeps N requests in flight for a duration (the maximum throughput at that concurrency);
/// <see cref="OpenAsync"/> starts requests on a fixed schedule whatever the server does, and measures each from the
/// moment it was due, not the moment it was sent, so that a stall counts against every request it delayed
/// (no "coordinated omission"). Every response is read to the end; anything but the expected status is a failure.
/// </summary>
public sealed class LoadDriver(HttpClient client)
{
    public async Task<LoadResult> ClosedAsync(Func<int, HttpRequestMessage> request, int concurrency, TimeSpan duration, TimeSpan warmup)
    {
        await RunClosed(request, concurrency, warmup);
        return await RunClosed(request, concurrency, duration);
    }

    private async Task<LoadResult> RunClosed(Func<int, HttpRequestMessage> request, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        var failures = 0;
        string? firstFailure = null;
        var counter = -1;
        var clock = Stopwatch.StartNew();
        var end = duration;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = latencies[w] = [];
            while (clock.Elapsed < end)
            {
                var started = clock.Elapsed;
                var (ok, why) = await SendAsync(request(Interlocked.Increment(ref counter)));
                mine.Add((clock.Elapsed - started).TotalMilliseconds);
                if (!ok) { Interlocked.Increment(ref failures); firstFailure ??= why; }
            }
        }));
        return Summarise(latencies.SelectMany(l => l).ToList(), failures, clock.Elapsed, firstFailure);
    }

    public async Task<LoadResult> OpenAsync(Func<int, HttpRequestMessage> request, double perSecond, TimeSpan duration)
    {
        var total = (int)Math.Max(1, Math.Round(perSecond * duration.TotalSeconds));
        var latencies = new double[total];
        var failures = 0;
        string? firstFailure = null;
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                var (ok, why) = await SendAsync(request(index));
                latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
                if (!ok) { Interlocked.Increment(ref failures); firstFailure ??= why; }
            }));
        }
        await Task.WhenAll(tasks);
        return Summarise(latencies.ToList(), failures, clock.Elapsed, firstFailure);
    }

    private async Task<(bool Ok, string? Why)> SendAsync(HttpRequestMessage message)
    {
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.CopyToAsync(Stream.Null);
            return response.StatusCode == HttpStatusCode.OK ? (true, null) : (false, $"{(int)response.StatusCode} from {message.RequestUri}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return (false, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static LoadResult Summarise(List<double> latencies, int failures, TimeSpan elapsed, string? firstFailure)
    {
        if (latencies.Count == 0) return new LoadResult(0, failures, 0, 0, 0, 0, 0, firstFailure);
        return new LoadResult(latencies.Count, failures, latencies.Count / elapsed.TotalSeconds,
            Figures.Percentile(latencies, 0.50), Figures.Percentile(latencies, 0.95), Figures.Percentile(latencies, 0.99), latencies.Max(), firstFailure);
    }
}
