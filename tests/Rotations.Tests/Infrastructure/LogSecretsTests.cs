using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Rotations.Tests.Support;

namespace Rotations.Tests.Infrastructure;

public sealed class LogSecretsTests
{
    [Fact]
    public async Task ARunOfSignInsTokensAndPasswordChanges_WritesNoSecretToTheLogs()
    {
        await using var app = new RotationsApp();
        await app.InitializeAsync();
        try
        {
            const string email = "secret.keeper@example.com";
            const string wrongPassword = "wrong-password-canary-8841";
            const string newPassword = "new-password-canary-5512";
            await app.CreatePersonAsync(email, Web.Features.Account.Roles.HR);

            await RotationsApp.PostFormAsync(app.CreateBrowser(), "/Account/Login",
                new() { ["Input.Email"] = email, ["Input.Password"] = wrongPassword });
            var browser = await app.SignInAsync(email);
            await RotationsApp.PostFormAsync(browser, "/Account/ChangePassword", new()
            {
                ["Input.CurrentPassword"] = RotationsApp.Password,
                ["Input.NewPassword"] = newPassword,
                ["Input.ConfirmPassword"] = newPassword,
            });
            var tokenResponse = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = newPassword });
            using var json = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
            var token = json.RootElement.GetProperty("accessToken").GetString()!;
            await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = wrongPassword });

            var logs = string.Join("\n", app.Logs.Lines);
            var dbPassword = new NpgsqlConnectionStringBuilder(app.ConnectionString).Password!;

            Assert.True(app.Logs.Lines.Count > 20, "the capture saw almost nothing: the test would prove nothing");
            Assert.Contains("Sign-in refused", logs);
            foreach (var secret in new[] { RotationsApp.Password, wrongPassword, newPassword, token, token[..24], dbPassword })
                Assert.DoesNotContain(secret, logs);
        }
        finally { await app.DisposeDatabaseAsync(); }
    }
}
