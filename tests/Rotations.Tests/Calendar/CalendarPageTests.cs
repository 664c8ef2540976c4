using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Calendar;

/// <summary>The /Calendar page: the secret link, renewing and turning off with a confirmation, HR's tour feeds.</summary>
public sealed class CalendarPageTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private static async Task<IHtmlDocument> Html(HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

    private static string? FeedUrl(IHtmlDocument page, string id = "my-feed-url") =>
        (page.GetElementById(id) as IHtmlInputElement)?.Value;

    private async Task<HttpStatusCode> FeedStatus(string url) => (await app.CreateClient().GetAsync(url)).StatusCode;

    /// <summary>Signs the leader in and turns their feed on, as they would with the page's button.</summary>
    private async Task<HttpClient> LeaderWithFeedAsync()
    {
        var leader = await app.LeaderAsync();
        var browser = await app.SignInAsync(leader.Email!);
        await RotationsApp.PostFormAsync(browser, "/Calendar?handler=TurnOn", [], formPath: "/Calendar");
        return browser;
    }

    [Fact]
    public async Task Page_ShownForTheFirstTime_CreatesNothing_AndOffersToTurnTheFeedOn()
    {
        var leader = await app.LeaderAsync();
        var browser = await app.SignInAsync(leader.Email!);

        var page = await Html(await browser.GetAsync("/Calendar"));

        Assert.Null(FeedUrl(page));
        Assert.Contains(page.QuerySelectorAll("form"), f => f.GetAttribute("action")!.Contains("handler=TurnOn"));
        Assert.Equal(0, await app.WithDbAsync(db => db.CalendarFeeds.CountAsync(f => f.PersonId == leader.Id)));
    }

    [Fact]
    public async Task Page_ShowsTheSecretLinkReadOnly_WithWebcalAndSubscribeSteps()
    {
        var browser = await LeaderWithFeedAsync();

        var response = await browser.GetAsync("/Calendar");
        var page = await Html(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "a page showing a secret must not be cached");
        var input = Assert.IsAssignableFrom<IHtmlInputElement>(page.GetElementById("my-feed-url"));
        Assert.True(input.IsReadOnly);
        Assert.Matches(@"^http://localhost/calendar/[A-Za-z0-9_-]{43}\.ics$", input.Value);
        Assert.Equal(HttpStatusCode.OK, await FeedStatus(input.Value));
        Assert.Contains(page.QuerySelectorAll("a"), a => a.GetAttribute("href") == input.Value.Replace("http://", "webcal://"));
        foreach (var calendarApp in new[] { "Google Calendar", "Outlook", "Apple Calendar" }) Assert.Contains(calendarApp, page.Body!.TextContent);
        // The same feed as the API hands out: the page does not make a second one.
        Assert.Equal(input.Value, FeedUrl(await Html(await browser.GetAsync("/Calendar"))));
    }

    [Fact]
    public async Task Renew_AsksFirst_ThenTheOldLinkStopsWorking()
    {
        var browser = await LeaderWithFeedAsync();
        var old = FeedUrl(await Html(await browser.GetAsync("/Calendar")))!;

        var confirm = await Html(await browser.GetAsync("/Calendar?confirm=renew"));
        Assert.Contains("stops working at once", confirm.Body!.TextContent);
        var response = await RotationsApp.PostFormAsync(browser, "/Calendar?handler=Renew", [], formPath: "/Calendar?confirm=renew");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await Html(await browser.GetAsync(response.Headers.Location!.OriginalString));
        var renewed = FeedUrl(page)!;
        Assert.NotEqual(old, renewed);
        Assert.Contains("The old one has stopped working", page.Body!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, await FeedStatus(old));
        Assert.Equal(HttpStatusCode.OK, await FeedStatus(renewed));
    }

    [Fact]
    public async Task TurnOff_StopsTheLink_AndThePageOffersToTurnItOnWithANewOne()
    {
        var browser = await LeaderWithFeedAsync();
        var old = FeedUrl(await Html(await browser.GetAsync("/Calendar")))!;

        await RotationsApp.PostFormAsync(browser, "/Calendar?handler=TurnOff", [], formPath: "/Calendar?confirm=off");

        var off = await Html(await browser.GetAsync("/Calendar"));
        Assert.Null(FeedUrl(off));
        Assert.Contains("Your calendar feed is off", off.Body!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, await FeedStatus(old));

        await RotationsApp.PostFormAsync(browser, "/Calendar?handler=TurnOn", [], formPath: "/Calendar");
        var on = FeedUrl(await Html(await browser.GetAsync("/Calendar")))!;
        Assert.NotEqual(old, on);
        Assert.Equal(HttpStatusCode.OK, await FeedStatus(on));
    }

    [Fact]
    public async Task Page_NeedsSignIn()
    {
        var response = await app.CreateBrowser().GetAsync("/Calendar");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Hr_GetsATourFeedFromTheList()
    {
        var tour = await app.NewTourAsync();
        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hannah"), Roles.HR)).Email!);
        var list = await Html(await hr.GetAsync("/Calendar"));
        Assert.Contains(list.QuerySelectorAll("#tour-feeds form"), f => f.GetAttribute("action")!.Contains($"tourId={tour.Id}"));

        var response = await RotationsApp.PostFormAsync(hr, $"/Calendar?handler=TurnOn&tourId={tour.Id}", [], formPath: "/Calendar");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Calendar?tourId={tour.Id}#tour-feed", response.Headers.Location!.OriginalString);
        var page = await Html(await hr.GetAsync($"/Calendar?tourId={tour.Id}"));
        var url = FeedUrl(page, "tour-feed-url")!;
        Assert.NotEqual(FeedUrl(page), url);
        Assert.Equal(HttpStatusCode.OK, await FeedStatus(url));
        Assert.Contains($"Rotations: Test tour ({tour.Code})", await app.CreateClient().GetStringAsync(url));
    }

    [Fact]
    public async Task Leader_CannotReachTourFeeds()
    {
        var tour = await app.NewTourAsync();
        var leader = await app.LeaderAsync();
        var browser = await app.SignInAsync(leader.Email!);

        var page = await Html(await browser.GetAsync("/Calendar"));
        Assert.Null(page.GetElementById("tour-feeds"));
        var get = await browser.GetAsync($"/Calendar?tourId={tour.Id}");
        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", get.Headers.Location!.PathAndQuery);
        var post = await RotationsApp.PostFormAsync(browser, $"/Calendar?handler=TurnOn&tourId={tour.Id}", [], formPath: "/Calendar");
        Assert.StartsWith("/Account/AccessDenied", post.Headers.Location!.PathAndQuery);
        Assert.Equal(0, await app.WithDbAsync(db => db.CalendarFeeds.CountAsync(f => f.TourId == tour.Id)));
    }
}
