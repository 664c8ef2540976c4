using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using Rotations.Tests.Account;
using Rotations.Tests.People;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Security;

/// <summary>
/// The logs of a real run, as production writes them (the built binary, Production settings, JSON console):
/// the first Admin created from its environment password, sign-ins right and wrong on the page and the API, a bearer
/// token used, a calendar feed turned on and fetched by its secret address, a password reset by its emailed link.
/// Not one password, token or connection-string secret is in what the process wrote.
/// </summary>
public sealed class ProductionLogSecretsTests
{
    [Fact]
    public async Task A_production_run_writes_no_password_token_or_connection_secret_to_its_logs()
    {
        await using var owner = new SchedulingApp();
        await owner.InitializeAsync();
        const string adminEmail = "first.admin@example.com";
        const string adminPassword = "admin-password-canary-3371";
        const string wrongPassword = "wrong-password-canary-9904";
        const string resetPassword = "reset-password-canary-6120";
        var port = FreePort();
        var output = new ConcurrentQueue<string>();
        using var node = AppProcess.Start("serve", new Dictionary<string, string?>
        {
            [DatabaseSettings.Key] = owner.ConnectionString,
            [SchedulerExtensions.EnabledKey] = "off",
            ["ROTATIONS_ADMIN_EMAIL"] = adminEmail,
            ["ROTATIONS_ADMIN_PASSWORD"] = adminPassword,
            ["ROTATIONS_MAIL_DIR"] = Directory.CreateTempSubdirectory("rotations-logs-mail-").FullName,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Logging__Console__FormatterName"] = "json",
        }, output);
        var secrets = new List<string> { adminPassword, wrongPassword, resetPassword, new NpgsqlConnectionStringBuilder(owner.ConnectionString).Password! };
        try
        {
            var baseAddress = new Uri($"http://127.0.0.1:{port}");
            using var anonymous = new HttpClient { BaseAddress = baseAddress };
            await WaitHealthyAsync(anonymous, output);

            // The page: a wrong password, then the right one.
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };
            await RotationsApp.PostFormAsync(browser, "/Account/Login", new() { ["Input.Email"] = adminEmail, ["Input.Password"] = wrongPassword });
            var signedIn = await RotationsApp.PostFormAsync(browser, "/Account/Login", new() { ["Input.Email"] = adminEmail, ["Input.Password"] = adminPassword });
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            secrets.Add(signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("rotations.auth=", StringComparison.Ordinal)).Split(';')[0]["rotations.auth=".Length..]);

            // The API: a token, used; a wrong password.
            var tokenResponse = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = adminEmail, password = adminPassword });
            using var tokenJson = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
            var token = tokenJson.RootElement.GetProperty("accessToken").GetString()!;
            secrets.Add(token);
            secrets.Add(token[..24]);
            secrets.Add(tokenJson.RootElement.GetProperty("refreshToken").GetString()!);
            using var api = new HttpClient { BaseAddress = baseAddress };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/people")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = adminEmail, password = wrongPassword })).StatusCode);

            // A calendar feed's secret address, fetched as a calendar app would.
            var feed = await api.PostAsync("/api/v1/me/calendar/renew", null);
            Assert.True(feed.IsSuccessStatusCode, $"renewing the feed answered {(int)feed.StatusCode}");
            using var feedJson = JsonDocument.Parse(await feed.Content.ReadAsStringAsync());
            var feedUrl = new Uri(feedJson.RootElement.GetProperty("url").GetString()!);
            var feedToken = feedUrl.AbsolutePath.Split('/').Last().Replace(".ics", "");
            secrets.Add(feedToken);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(feedUrl.AbsolutePath)).StatusCode);

            // A password reset: asked for on the page, the emailed link used on the running node.
            var admin = (await owner.FindPersonAsync(adminEmail))!;
            await RotationsApp.PostFormAsync(browser, "/Account/ForgotPassword", new() { ["Input.Email"] = adminEmail });
            var link = await owner.LatestLinkAsync(admin.Id, EmailKind.PasswordReset);
            secrets.Add(System.Web.HttpUtility.ParseQueryString(link.Split('?')[1])["token"]!);
            using var resetter = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };
            var reset = await AccountEmailKit.SubmitLinkAsync(resetter, link, resetPassword);
            Assert.True(reset.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"the reset answered {(int)reset.StatusCode}");
            Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = adminEmail, password = resetPassword })).StatusCode);
        }
        finally
        {
            if (!node.HasExited)
            {
                using (var term = Process.Start("kill", ["-TERM", node.Id.ToString()])) await term.WaitForExitAsync();
                if (!node.WaitForExit(15_000)) node.Kill(entireProcessTree: true);
            }
            await owner.DisposeDatabaseAsync();
        }

        var logs = string.Join('\n', output);
        Assert.True(output.Count > 10, "the capture saw almost nothing: the test would prove nothing\n" + logs);
        Assert.Contains("Created the first Admin", logs);
        Assert.Contains("Sign-in refused", logs);
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..Math.Min(6, secret.Length)]}…) is in the logs");
    }

    private static async Task WaitHealthyAsync(HttpClient http, ConcurrentQueue<string> output)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        Assert.Fail("the node never became healthy:\n" + string.Join('\n', output));
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
