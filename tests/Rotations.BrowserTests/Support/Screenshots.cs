using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Rotations.BrowserTests.Support;

/// <summary>
/// PNGs of each step of a journey, kept as artifacts: in $ROTATIONS_SCREENSHOTS when set, else in
/// screenshots/ beside the test binaries. Each file is named after the journey and the step.
/// </summary>
public sealed class Screenshots(string journey, ITestOutputHelper output)
{
    public const string Variable = "ROTATIONS_SCREENSHOTS";

    public static string Folder { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots"));

    private bool announced;

    public async Task TakeAsync(IPage page, string step)
    {
        if (!announced)
        {
            Directory.CreateDirectory(Folder);
            // Shots of an earlier run must not pass for this one's when this run stops early.
            foreach (var old in Directory.EnumerateFiles(Folder, $"{journey}-*.png")) File.Delete(old);
            output.WriteLine($"Screenshots of {journey}: {Folder}");
            announced = true;
        }
        var path = Path.Combine(Folder, $"{journey}-{step}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"  {Path.GetFileName(path)}  ({page.Url})");
    }
}
