using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Rotations.Tests.Support;
using Rotations.Web.Features.Demo;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.BrowserTests.Support;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ServedApp>
{
    public const string Name = "Browser";
}

/// <summary>
/// The real Rotations.Web binary serving a seeded database of its own on a free local port, and one
/// headless Chromium to visit it. Started once for every browser test; each test opens its own
/// browser context, so cookies never leak from one test to the next.
/// </summary>
public sealed class ServedApp : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> serverOutput = new();
    private Process? server;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public string DatabaseName { get; private set; } = "";
    public string BaseUrl { get; private set; } = "";
    /// <summary>Where the server writes its emails (.eml files): no SMTP server is configured.</summary>
    public string MailDirectory { get; } = Directory.CreateTempSubdirectory("rotations-browser-mail-").FullName;
    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>What the server has written so far, for failure messages.</summary>
    public string ServerOutput => string.Join('\n', serverOutput);

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        // Chromium starts while the database is copied, seeded and served.
        var browserStarting = StartBrowserAsync();
        try
        {
            await StartAppAsync(clock);
        }
        catch
        {
            // Let the launch finish, so that DisposeAsync closes a browser that is there.
            try { await browserStarting; } catch (PlaywrightException) { }
            throw;
        }
        await browserStarting;
        Timings.Add($"browser {clock.ElapsedMilliseconds} ms");
    }

    private async Task StartAppAsync(Stopwatch clock)
    {
        DatabaseName = await TestDatabase.CreateMigratedAsync("browser");
        var connectionString = TestDatabase.ConnectionStringFor(DatabaseName);
        Timings.Add($"database {clock.ElapsedMilliseconds} ms");

        // Serving needs no demo people, so the server starts while the seed command runs.
        BaseUrl = $"http://127.0.0.1:{FreePort()}";
        server = StartServer(connectionString, BaseUrl);
        var seed = await AppProcess.RunAsync("seed", new Dictionary<string, string?>
        {
            [DatabaseSettings.Key] = connectionString,
            [DemoSeeder.PasswordKey] = DemoAccounts.Password,
        });
        if (seed.ExitCode != 0)
            throw new InvalidOperationException($"The seed command failed with exit code {seed.ExitCode}:\n{seed.Output}");
        Timings.Add($"seeded {clock.ElapsedMilliseconds} ms");
        await WaitUntilHealthyAsync();
        Timings.Add($"healthy {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>How long each part of starting took, for a test to print.</summary>
    public List<string> Timings { get; } = [];

    /// <summary>A new page in a browser context of its own (fresh cookies), with relative URLs resolved against the app.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
            Locale = "en-GB",
        });
        // A journey that stalls should fail in seconds, not after Playwright's default 30 s.
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        if (server is not null)
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
            server.Dispose();
            // The server's log sits beside the screenshots, to read when a journey fails.
            Directory.CreateDirectory(Screenshots.Folder);
            await File.WriteAllTextAsync(Path.Combine(Screenshots.Folder, "rotations-web.log"), ServerOutput + "\n");
        }
        if (DatabaseName != "") await TestDatabase.DropAsync(DatabaseName);
        Directory.Delete(MailDirectory, recursive: true);
    }

    private async Task StartBrowserAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(Chromium.LaunchOptions());
    }

    private Process StartServer(string connectionString, string url)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(AppProcess.WebDll);
        start.ArgumentList.Add("serve");
        // Only what this fixture sets: not the developer's ROTATIONS_* or ASPNETCORE_* settings.
        foreach (var key in start.Environment.Keys
                     .Where(k => k.StartsWith("ROTATIONS_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal))
                     .ToList())
            start.Environment.Remove(key);
        start.Environment[DatabaseSettings.Key] = connectionString;
        start.Environment["ASPNETCORE_URLS"] = url;
        // Emails go to a folder of this run's own, and their links lead back to this server.
        start.Environment["ROTATIONS_MAIL_DIR"] = MailDirectory;
        start.Environment["ROTATIONS_PUBLIC_URL"] = url;
        // Development serves the static web assets (the CSS) from the build, as `dotnet run` does.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) serverOutput.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) serverOutput.Enqueue(e.Data); };
        process.Start();
        // Should the test host end without disposing the fixture, the server must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { /* already disposed */ }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (clock.Elapsed < StartTimeout)
        {
            if (server!.HasExited)
                throw new InvalidOperationException($"Rotations.Web serve exited with code {server.ExitCode}:\n{ServerOutput}");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Rotations.Web was not healthy at {BaseUrl}/health after {StartTimeout.TotalSeconds} s ({last}):\n{ServerOutput}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
