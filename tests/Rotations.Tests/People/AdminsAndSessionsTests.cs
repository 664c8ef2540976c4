using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Tests.People;

/// <summary>
/// The last active Admin, and sessions that end on deactivation. Each test has a pristine app: the first
/// depends on how many Admins exist, the second moves the clock.
/// </summary>
public sealed class AdminsAndSessionsTests : IAsyncLifetime
{
    private readonly PeopleApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public Task DisposeAsync() => app.DisposeDatabaseAsync();

    [Fact]
    public async Task TheLastActiveAdmin_CannotBeDeactivatedOrLoseTheRole()
    {
        var (admin, client) = await app.SignedInAsync("ada", Roles.Admin);
        var loaded = await (await client.GetAsync($"/api/v1/people/{admin.Id}")).ReadPersonAsync();

        var deactivate = await client.PostAsync($"/api/v1/people/{admin.Id}/deactivate", null);
        var demote = await client.PutPersonAsync(admin.Id, loaded.AsRequest() with { Roles = [Roles.HR] }, $"\"{loaded.Version}\"");

        Assert.Contains("only active Admin", Assert.Single((await deactivate.FieldErrorsAsync())["isActive"]));
        Assert.Contains("only active Admin", Assert.Single((await demote.FieldErrorsAsync())["roles"]));
        Assert.True((await app.FindPersonAsync(admin.Email!))!.IsActive);
        Assert.Equal([Roles.Admin], await app.RolesOfAsync(admin.Id));
    }

    [Fact]
    public async Task AnInactiveAdmin_DoesNotCountAsAnotherAdmin_ButAnActiveOneDoes()
    {
        var (admin, client) = await app.SignedInAsync("ada", Roles.Admin);
        var (other, _) = await app.SignedInAsync("bea", Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/people/{other.Id}/deactivate", null)).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/v1/people/{admin.Id}/deactivate", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/people/{other.Id}/reactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/people/{admin.Id}/deactivate", null)).StatusCode);
        Assert.False((await app.FindPersonAsync(admin.Email!))!.IsActive);
    }

    [Fact]
    public async Task Deactivation_EndsOpenCookieSessionsAndBearerTokens_WithinAMinute()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var (leader, browser) = await app.SignedInAsync("lena", Roles.Leader);
        var api = await app.BearerClientAsync(leader.Email!);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/people/{leader.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsync($"/api/v1/people/{leader.Id}/deactivate", null)).StatusCode);
        app.Clock.Advance(TimeSpan.FromSeconds(61));

        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/Account/Login", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync($"/api/v1/people/{leader.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_session_whose_person_is_unchanged_outlives_the_recheck()
    {
        var (leader, browser) = await app.SignedInAsync("still-here", Roles.Leader);
        var api = await app.BearerClientAsync(leader.Email!);
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(61));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/people/{leader.Id}")).StatusCode);
        }
    }

    [Fact]
    public void The_session_recheck_interval_is_a_minute_unless_set_and_a_bad_value_is_refused_naming_the_setting()
    {
        // The app as deployed (no ROTATIONS_SESSION_RECHECK_SECONDS): a minute, for cookies and bearer tokens alike.
        Assert.Equal(TimeSpan.FromSeconds(60), app.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval);

        static TimeSpan Read(string? value) => AccountExtensions.SessionRecheckInterval(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AccountExtensions.SessionRecheckKey] = value }).Build());
        Assert.Equal(TimeSpan.FromSeconds(60), Read(null));
        Assert.Equal(TimeSpan.FromSeconds(60), Read(" "));
        Assert.Equal(TimeSpan.FromSeconds(5), Read("5"));
        foreach (var bad in new[] { "0", "-3", "abc", "1.5", "3601" })
            Assert.Contains(AccountExtensions.SessionRecheckKey, Assert.Throws<StartupException>(() => Read(bad)).Message);
    }
}
