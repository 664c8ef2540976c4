using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Calendar;

namespace Rotations.Tests.Calendar;

/// <summary><c>/api/v1/me/calendar</c> and <c>/api/v1/tours/{id}/calendar</c>: handing out, renewing and revoking feed addresses.</summary>
public sealed class CalendarApiTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private async Task<HttpClient> BearerClient(string email)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = RotationsApp.Password });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    private async Task<HttpStatusCode> FeedStatus(string url) => (await app.CreateClient().GetAsync(url)).StatusCode;

    [Fact]
    public async Task MyCalendar_IsOffUntilTurnedOnByPost_ThenAnAbsoluteUrlThatWorksWithoutSignIn()
    {
        var leader = await app.LeaderAsync();
        var client = await BearerClient(leader.Email!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/me/calendar")).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.CalendarFeeds.CountAsync(f => f.PersonId == leader.Id)));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/me/calendar/renew", null)).StatusCode);
        var response = await client.GetAsync("/api/v1/me/calendar");
        var first = await response.Content.ReadFromJsonAsync<CalendarFeedDto>();
        var again = await client.GetFromJsonAsync<CalendarFeedDto>("/api/v1/me/calendar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "the address is a secret: no-store");
        Assert.Matches(@"^http://localhost/calendar/[A-Za-z0-9_-]{43}\.ics$", first!.Url);
        Assert.Equal(first.Url, again!.Url);
        Assert.Equal(HttpStatusCode.OK, await FeedStatus(first.Url));
    }

    [Fact]
    public async Task Renew_OldUrlAnswers404_NewUrl200()
    {
        var leader = await app.LeaderAsync();
        var client = await app.SignInAsync(leader.Email!);
        var old = (await (await client.PostAsync("/api/v1/me/calendar/renew", null)).Content.ReadFromJsonAsync<CalendarFeedDto>())!;

        var response = await client.PostAsync("/api/v1/me/calendar/renew", null);
        var renewed = (await response.Content.ReadFromJsonAsync<CalendarFeedDto>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(old.Url, renewed.Url);
        Assert.Equal(HttpStatusCode.NotFound, await FeedStatus(old.Url));
        Assert.Equal(HttpStatusCode.OK, await FeedStatus(renewed.Url));
        Assert.Equal(renewed.Url, (await client.GetFromJsonAsync<CalendarFeedDto>("/api/v1/me/calendar"))!.Url);
    }

    [Fact]
    public async Task Revoke_UrlAnswers404_AndStaysOffUntilRenewed()
    {
        var leader = await app.LeaderAsync();
        var client = await BearerClient(leader.Email!);
        var feed = (await (await client.PostAsync("/api/v1/me/calendar/renew", null)).Content.ReadFromJsonAsync<CalendarFeedDto>())!;

        var delete = await client.DeleteAsync("/api/v1/me/calendar");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await FeedStatus(feed.Url));
        var get = await client.GetAsync("/api/v1/me/calendar");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Contains("turned off", await get.Content.ReadAsStringAsync());

        var on = (await (await client.PostAsync("/api/v1/me/calendar/renew", null)).Content.ReadFromJsonAsync<CalendarFeedDto>())!;
        Assert.Equal(HttpStatusCode.OK, await FeedStatus(on.Url));
        Assert.Equal(HttpStatusCode.NotFound, await FeedStatus(feed.Url));
    }

    [Fact]
    public async Task MyCalendar_NeedsSignIn()
    {
        var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/me/calendar/renew", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/v1/me/calendar")).StatusCode);
    }

    [Fact]
    public async Task TourCalendar_IsForHrAndAdmin()
    {
        var tour = await app.NewTourAsync();
        var hr = await BearerClient((await app.CreatePersonAsync(TestData.UniqueEmail("hannah"), Roles.HR)).Email!);
        var admin = await BearerClient((await app.CreatePersonAsync(TestData.UniqueEmail("ada"), Roles.Admin)).Email!);

        Assert.Equal(HttpStatusCode.NotFound, (await hr.GetAsync($"/api/v1/tours/{tour.Id}/calendar")).StatusCode);
        var feed = (await (await hr.PostAsync($"/api/v1/tours/{tour.Id}/calendar/renew", null)).Content.ReadFromJsonAsync<CalendarFeedDto>())!;
        Assert.Equal(feed.Url, (await admin.GetFromJsonAsync<CalendarFeedDto>($"/api/v1/tours/{tour.Id}/calendar"))!.Url);
        Assert.Equal(HttpStatusCode.OK, await FeedStatus(feed.Url));

        var renewed = (await (await admin.PostAsync($"/api/v1/tours/{tour.Id}/calendar/renew", null)).Content.ReadFromJsonAsync<CalendarFeedDto>())!;
        Assert.Equal(HttpStatusCode.NotFound, await FeedStatus(feed.Url));
        Assert.Equal(HttpStatusCode.NoContent, (await hr.DeleteAsync($"/api/v1/tours/{tour.Id}/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await FeedStatus(renewed.Url));

        foreach (var role in new[] { Roles.Leader, Roles.Manager, Roles.Host })
        {
            var other = await BearerClient((await app.CreatePersonAsync(TestData.UniqueEmail(role.ToLowerInvariant()), role)).Email!);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/v1/tours/{tour.Id}/calendar")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/v1/tours/{tour.Id}/calendar/renew", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/v1/tours/{tour.Id}/calendar")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await hr.GetAsync($"/api/v1/tours/{Guid.NewGuid()}/calendar")).StatusCode);
    }
}
