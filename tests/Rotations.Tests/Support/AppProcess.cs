using System.Diagnostics;

namespace Rotations.Tests.Support;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}

/// <summary>
/// Runs the real Rotations.Web binary (the build next to the tests) with a command and environment,
/// the way ./run.sh and the compose migrate service run it.
/// </summary>
public static class AppProcess
{
    public static string WebDll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Rotations.Web.dll");
            if (!File.Exists(path)) throw new FileNotFoundException("Rotations.Web.dll is not beside the tests", path);
            return path;
        }
    }

    public static async Task<ProcessResult> RunAsync(string command, IDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(command, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Rotations.Web {command} did not finish: {await stdout}{await stderr}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the binary and returns at once, for a test that stops it itself (kills it mid-work).</summary>
    public static Process Start(string command, IDictionary<string, string?> environment, System.Collections.Concurrent.ConcurrentQueue<string>? output = null)
    {
        var process = Process.Start(StartInfo(command, environment))!;
        // Drained so that a chatty child never blocks on a full pipe; kept when the test wants to read it.
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output?.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output?.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo StartInfo(string command, IDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(WebDll);
        start.ArgumentList.Add(command);
        // The child must see only what the test gives it, not the developer's own settings.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ROTATIONS_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }
}
