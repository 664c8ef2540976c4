using Microsoft.Playwright;

namespace Rotations.BrowserTests.Support;

/// <summary>
/// Debian's Chromium, driven by Playwright through ExecutablePath: Playwright's own browser download
/// does not work on the build machines. ROTATIONS_CHROMIUM names the binary; ./test.sh sets it.
/// </summary>
public static class Chromium
{
    public const string Variable = "ROTATIONS_CHROMIUM";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    public static BrowserTypeLaunchOptions LaunchOptions() => new()
    {
        ExecutablePath = ExecutablePath(),
        Headless = true,
        Args = Arguments,
    };

    public static string ExecutablePath()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!File.Exists(configured))
                throw new InvalidOperationException($"{Variable} names {configured}, which does not exist.");
            return configured;
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);
        if (onPath is not null) return onPath;
        if (File.Exists("/usr/bin/chromium")) return "/usr/bin/chromium";
        throw new InvalidOperationException(
            $"Chromium was not found: set {Variable} to its binary, or install Debian's build " +
            "(apt-get install -y chromium; ./test.sh does this when it is missing).");
    }
}
