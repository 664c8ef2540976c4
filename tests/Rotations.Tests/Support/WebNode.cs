using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Support;

/// <summary>
/// The real built binary serving on a port of its own (AppProcess), as one web node of a deployment: for tests
/// that need two nodes as separate processes, or a node whose database goes away under it.
/// </summary>
public sealed class WebNode : IAsyncDisposable
{
    private readonly Process process;
    public ConcurrentQueue<string> Output { get; }
    public Uri BaseAddress { get; }

    private WebNode(Process process, ConcurrentQueue<string> output, Uri baseAddress) =>
        (this.process, Output, BaseAddress) = (process, output, baseAddress);

    public static async Task<WebNode> StartAsync(string connectionString, IDictionary<string, string?>? settings = null)
    {
        var port = PrivateCluster.FreePort();
        var environment = new Dictionary<string, string?>
        {
            [DatabaseSettings.Key] = connectionString,
            [SchedulerExtensions.EnabledKey] = "on",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_shutdownTimeoutSeconds"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) environment[key] = value;
        var output = new ConcurrentQueue<string>();
        var node = new WebNode(AppProcess.Start("serve", environment, output), output, new Uri($"http://127.0.0.1:{port}"));
        using var http = node.Client();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!await HealthyAsync(http))
        {
            if (node.process.HasExited || DateTime.UtcNow > until)
            {
                await node.DisposeAsync();
                throw new InvalidOperationException($"The node on port {port} never became healthy:\n{node.Log}");
            }
            await Task.Delay(200);
        }
        return node;
    }

    public string Log => string.Join('\n', Output);

    /// <summary>A client of this node; pass a shared cookie container to carry one browser's cookies between nodes.</summary>
    public HttpClient Client(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>A bearer token from POST /api/v1/auth/token on this node.</summary>
    public async Task<string> TokenAsync(string email, string password = RotationsApp.Password)
    {
        using var http = Client();
        var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        Assert.True(response.IsSuccessStatusCode, $"no token for {email} from {BaseAddress}: {(int)response.StatusCode}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    public HttpClient BearerClient(string token)
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Signs in through this node's login page; the cookie lands in <paramref name="cookies"/>.</summary>
    public async Task<HttpClient> SignInAsync(string email, CookieContainer cookies, string password = RotationsApp.Password)
    {
        var client = Client(cookies);
        var response = await RotationsApp.PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in as {email} on {BaseAddress} answered {(int)response.StatusCode}");
        return client;
    }

    private static async Task<bool> HealthyAsync(HttpClient http)
    {
        try { return (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK; }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString()])) await term.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await process.WaitForExitAsync(patience.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
        }
        process.Dispose();
    }
}
