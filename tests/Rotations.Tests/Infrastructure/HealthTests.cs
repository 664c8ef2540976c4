using System.Net;
using System.Text.Json;
using Rotations.Tests.Support;

namespace Rotations.Tests.Infrastructure;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_WithDatabaseUp_IsHealthyAndAnonymous()
    {
        await using var app = new RotationsApp();
        await app.InitializeAsync();

        var response = await app.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var check = Assert.Single(json.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("database", check.GetProperty("name").GetString());
        await app.DisposeDatabaseAsync();
    }

    [Fact]
    public async Task Health_WhenDatabaseGoesAway_Returns503WithoutNamingHostsOrSecrets()
    {
        await using var app = new RotationsApp();
        await app.InitializeAsync();
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        await TestDatabase.DropAsync(app.DatabaseName);
        var response = await client.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"Unhealthy\"", body);
        Assert.DoesNotContain("127.0.0.1", body);
        Assert.DoesNotContain(app.DatabaseName, body);
    }
}
