using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Rotations.Tests.Calendar;

namespace Rotations.Tests.Support;

/// <summary>One message as the real SMTP server received it, parsed by Python's email package.</summary>
public sealed record ReceivedEmail(
    string MailFrom, IReadOnlyList<string> RcptTos, string MessageId, string From, string To, string Subject,
    string ContentType, string? Text, string? Html, string Raw);

/// <summary>
/// A real SMTP server for a test: Debian's python3-aiosmtpd running Support/smtp_sink.py, storing each
/// message it accepts in a folder of its own. Dispose stops it and removes the folder.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process process;
    public string Folder { get; }
    public int Port { get; }

    private SmtpSink(Process process, string folder, int port) => (this.process, Folder, Port) = (process, folder, port);

    /// <param name="port">0 for a free port; a port of an earlier sink to come back on the same address.</param>
    /// <param name="failFirst">The first N messages are refused with "451 try later".</param>
    /// <param name="delayMs">Each message is stored, then answered this much later.</param>
    /// <param name="folder">Where messages are stored; an earlier sink's folder keeps counting what both received.</param>
    public static async Task<SmtpSink> StartAsync(int port = 0, int failFirst = 0, int delayMs = 0, string? folder = null)
    {
        folder ??= Directory.CreateTempSubdirectory("rotations-smtp-").FullName;
        var start = new ProcessStartInfo(RealICalendarParser.Python)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { Script, "serve", folder, "--port", port.ToString(), "--fail-first", failFirst.ToString(), "--delay-ms", delayMs.ToString() })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();

        var ready = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(20))) != ready || ready.Result is not { } line || !line.StartsWith("READY "))
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            string why;
            lock (stderr) why = stderr.ToString();
            throw new InvalidOperationException(
                $"The test SMTP server did not start (python3-aiosmtpd is needed; test.sh installs it):\n{why}");
        }
        return new SmtpSink(process, folder, int.Parse(line["READY ".Length..]));
    }

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Support", "smtp_sink.py");

    public int Count => Directory.GetFiles(Folder, "*.json").Length;

    public IReadOnlyList<ReceivedEmail> Received() =>
        Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<ReceivedEmail>(File.ReadAllText(f), JsonSerializerOptions.Web)!)
            .ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"The SMTP server received {Count} of {count} messages.");
            await Task.Delay(20);
        }
    }

    /// <summary>Stops the server but keeps its folder (to start another on the same port and folder).</summary>
    public async Task StopAsync()
    {
        if (process.HasExited) return;
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(); }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Parses an .eml file (the pickup folder) the same way the server parses what it receives.</summary>
    public static async Task<ReceivedEmail> ParseFileAsync(string path)
    {
        var start = new ProcessStartInfo(RealICalendarParser.Python)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { Script, "parse", path }) start.ArgumentList.Add(arg);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"Python's email package could not read {path}:\n{await stderr}");
        return JsonSerializer.Deserialize<ReceivedEmail>(await stdout, JsonSerializerOptions.Web)!;
    }
}
