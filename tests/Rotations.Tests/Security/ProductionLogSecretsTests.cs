using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Rotations.Tests.Account;
using Rotations.Tests.People;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
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
        var secrets = new List<string> { adminPassword, wrongPassword, resetPassword, new NpgsqlConnectionStringBuilder(owner.ConnectionString).Password! };
        var node = await WebNode.StartAsync(owner.ConnectionString, new Dictionary<string, string?>
        {
            [SchedulerExtensions.EnabledKey] = "off",
            ["ROTATIONS_ADMIN_EMAIL"] = adminEmail,
            ["ROTATIONS_ADMIN_PASSWORD"] = adminPassword,
            ["ROTATIONS_MAIL_DIR"] = Directory.CreateTempSubdirectory("rotations-logs-mail-").FullName,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__Console__FormatterName"] = "json",
        });
        try
        {
            using var anonymous = node.Client();
            // The page: a wrong password, then the right one.
            using var browser = node.Client(new CookieContainer());
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
            using var api = node.BearerClient(token);
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
            using var resetter = node.Client(new CookieContainer());
            var reset = await AccountEmailKit.SubmitLinkAsync(resetter, link, resetPassword);
            Assert.True(reset.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"the reset answered {(int)reset.StatusCode}");
            Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = adminEmail, password = resetPassword })).StatusCode);
        }
        finally
        {
            await node.DisposeAsync();
            await owner.DisposeDatabaseAsync();
        }

        var logs = node.Log;
        Assert.True(node.Output.Count > 10, "the capture saw almost nothing: the test would prove nothing\n" + logs);
        Assert.Contains("Created the first Admin", logs);
        Assert.Contains("Sign-in refused", logs);
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..Math.Min(6, secret.Length)]}…) is in the logs");
    }
}
