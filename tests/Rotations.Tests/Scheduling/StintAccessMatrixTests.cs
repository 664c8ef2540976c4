using System.Net;
using System.Net.Http.Json;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Scheduling;

/// <summary>
/// Who sees what, on the API and the pages alike: leaders their own stints, managers their reports',
/// hosts those they host, HR everything. Anything else answers 404, never its content.
/// </summary>
public sealed class StintAccessMatrixTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly DateOnly Mar1 = new(2027, 3, 1);

    /// <summary>Leader A (managed by M) and leader B (whose stint H hosts), each with a stint.</summary>
    private sealed record World(Person LeaderA, Person LeaderB, Person Manager, Person Host, Stint StintA, Stint StintB);

    private async Task<World> WorldAsync()
    {
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail("mona.manager"), Roles.Manager);
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("hal.host"), Roles.Host);
        var a = await app.LeaderAsync("ann", managerId: manager.Id);
        var b = await app.QuietLeaderAsync("bob");
        var tour = await app.NewTourAsync(capacity: 2);
        await app.AddHostAsync(tour.Id, host.Id);
        var stintA = await app.BookAsync(a.Id, tour.Id, Mar1, Mar1.AddDays(13));
        var stintB = await app.BookAsync(b.Id, tour.Id, Mar1, Mar1.AddDays(13), hostId: host.Id);
        return new World(a, b, manager, host, stintA, stintB);
    }

    private static HttpRequestMessage PutWithIfMatch(string path, object body, uint version)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: ApiClients.Json) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return request;
    }

    [Fact]
    public async Task Leader_ChangingTheIdToAnotherLeadersStint_GetsNotFoundFromEveryApiCall()
    {
        var w = await WorldAsync();
        var api = await app.ApiClientAsync(w.LeaderA.Email!);
        var other = $"/api/v1/stints/{w.StintB.Id}";

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/stints/{w.StintA.Id}")).StatusCode);
        var answers = new Dictionary<string, HttpStatusCode>
        {
            ["GET"] = (await api.GetAsync(other)).StatusCode,
            ["PUT"] = (await api.SendAsync(PutWithIfMatch(other,
                new { startDate = Mar1.AddDays(7), endDate = Mar1.AddDays(20), kind = "Orientation" }, w.StintB.Version))).StatusCode,
            ["confirm"] = (await api.PostAsync($"{other}/confirm", null)).StatusCode,
            ["cancel"] = (await api.PostJsonAsync($"{other}/cancel", new { reason = "mine now" })).StatusCode,
            ["objectives"] = (await api.PutAsJsonAsync($"{other}/objectives", new { objectives = "overwritten" })).StatusCode,
        };

        Assert.All(answers, a => Assert.True(a.Value == HttpStatusCode.NotFound, $"{a.Key} answered {(int)a.Value}"));
        var list = await (await api.GetAsync($"/api/v1/stints?leaderId={w.LeaderB.Id}")).ReadAsync<Paged<StintDto>>();
        Assert.Equal(0, list.Total);
        var mine = await (await api.GetAsync("/api/v1/stints")).ReadAsync<Paged<StintDto>>();
        Assert.Equal([w.StintA.Id], mine.Items.Select(s => s.Id));
        var stored = await app.WithDbAsync(db => db.Stints.FindAsync(w.StintB.Id).AsTask());
        Assert.Equal(("", null, Mar1), (stored!.Objectives, stored.CancelledAt, stored.StartDate));
    }

    [Fact]
    public async Task Leader_ChangingTheIdInAPageAddress_GetsNotFound()
    {
        var w = await WorldAsync();
        var browser = await app.SignInAsync(w.LeaderA.Email!);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/Stints/{w.StintA.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/Leaders/{w.LeaderA.Id}/Plan")).StatusCode);
        var stintPage = await browser.GetAsync($"/Stints/{w.StintB.Id}");
        var planPage = await browser.GetAsync($"/Leaders/{w.LeaderB.Id}/Plan");
        // A form posted at the other stint, with a valid anti-forgery token from the leader's own page.
        var posted = await RotationsApp.PostFormAsync(browser, $"/Stints/{w.StintB.Id}?handler=Objectives",
            new() { ["Objectives.Objectives"] = "overwritten", ["Objectives.Version"] = w.StintB.Version.ToString() },
            formPath: $"/Stints/{w.StintA.Id}");

        Assert.Equal(HttpStatusCode.NotFound, stintPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, planPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        foreach (var response in new[] { stintPage, planPage, posted })
            Assert.DoesNotContain(w.LeaderB.DisplayName, await response.Content.ReadAsStringAsync());
        Assert.Equal("", (await app.WithDbAsync(db => db.Stints.FindAsync(w.StintB.Id).AsTask()))!.Objectives);
    }

    [Fact]
    public async Task Manager_SeesTheirReportsStintsAndPlans_AndNobodyElses()
    {
        var w = await WorldAsync();
        var api = await app.ApiClientAsync(w.Manager.Email!);
        var browser = await app.SignInAsync(w.Manager.Email!);

        var list = await (await api.GetAsync("/api/v1/stints")).ReadAsync<Paged<StintDto>>();

        Assert.Equal([w.StintA.Id], list.Items.Select(s => s.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/stints/{w.StintB.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/Stints/{w.StintA.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/Leaders/{w.LeaderA.Id}/Plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/Stints/{w.StintB.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/Leaders/{w.LeaderB.Id}/Plan")).StatusCode);
        // Seeing a report's stint is not changing it.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"/api/v1/stints/{w.StintA.Id}/confirm", null)).StatusCode);
    }

    [Fact]
    public async Task Host_SeesOnlyTheStintsTheyHost_AndNoPlans()
    {
        var w = await WorldAsync();
        var api = await app.ApiClientAsync(w.Host.Email!);
        var browser = await app.SignInAsync(w.Host.Email!);

        var list = await (await api.GetAsync("/api/v1/stints")).ReadAsync<Paged<StintDto>>();

        Assert.Equal([w.StintB.Id], list.Items.Select(s => s.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/stints/{w.StintA.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/Stints/{w.StintB.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/Stints/{w.StintA.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/Leaders/{w.LeaderB.Id}/Plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/api/v1/stints/{w.StintA.Id}/confirm", null)).StatusCode);
    }

    [Fact]
    public async Task HR_SeesEveryStintAndEveryPlan()
    {
        var w = await WorldAsync();
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR);
        var api = await app.ApiClientAsync(hr.Email!);
        var browser = await app.SignInAsync(hr.Email!);

        var list = await (await api.GetAsync($"/api/v1/stints?tourId={w.StintA.TourId}")).ReadAsync<Paged<StintDto>>();

        Assert.Equal([w.StintA.Id, w.StintB.Id], list.Items.Select(s => s.Id).Order());
        foreach (var stint in new[] { w.StintA, w.StintB })
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/stints/{stint.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/Stints/{stint.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/Leaders/{stint.LeaderId}/Plan")).StatusCode);
        }
    }

    [Fact]
    public async Task SomeoneNotSignedIn_GetsNothing()
    {
        var w = await WorldAsync();
        var anonymous = app.CreateBrowser();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/stints/{w.StintA.Id}")).StatusCode);
        foreach (var page in new[] { $"/Stints/{w.StintA.Id}", $"/Leaders/{w.LeaderA.Id}/Plan", "/Board", "/MyPlan", "/Stints/New" })
        {
            var response = await anonymous.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/Account/Login", response.RedirectPath());
        }
    }
}
