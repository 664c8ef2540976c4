using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Account;

public sealed class TokenApiTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private static string NewEmail() => $"api.{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Token_WithRightPassword_ReturnsABearerTokenThatOpensTheApi()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email, Roles.HR);
        var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = RotationsApp.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = json.RootElement.GetProperty("accessToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal(3600, json.RootElement.GetProperty("expiresIn").GetInt32());

        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Token_WithWrongPasswordOrUnknownEmail_Returns401ProblemWithTheSameMessage()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email);
        var client = app.CreateClient();

        foreach (var body in new[] { new { email, password = "wrong wrong wrong" }, new { email = NewEmail(), password = RotationsApp.Password } })
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/token", body);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(AuthApi.SignInFailed, json.RootElement.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Token_WithMissingOrMalformedFields_Returns400NamingEachField()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email = "not-an-email" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = json.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Token_WithABodyThatIsNotJson_Returns400()
    {
        var response = await app.CreateClient().PostAsync("/api/v1/auth/token",
            new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Api_WithoutCredentialsOrWithABadToken_Returns401NotARedirect()
    {
        var anonymous = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var forged = app.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "forged-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Token_ForADeactivatedPerson_IsRefused()
    {
        var email = NewEmail();
        var person = await app.CreatePersonAsync(email);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var people = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Person>>();
            var p = await people.FindByIdAsync(person.Id.ToString());
            p!.IsActive = false;
            await people.UpdateAsync(p);
        }

        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = RotationsApp.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_OfAPersonDeactivatedLater_StopsWorkingWithinAMinute()
    {
        var email = NewEmail();
        var person = await app.CreatePersonAsync(email);
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = RotationsApp.Password });
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/openapi/v1.json")).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var people = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Person>>();
            var p = await people.FindByIdAsync(person.Id.ToString());
            p!.IsActive = false;
            await people.UpdateSecurityStampAsync(p);
        }
        app.Clock.Advance(TimeSpan.FromSeconds(61));

        var after = await api.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("sign in again", await after.Content.ReadAsStringAsync());
    }
}
