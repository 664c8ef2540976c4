using System.Net;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Catalogue;

namespace Rotations.Tests.Catalogue;

/// <summary>The catalogue pages: /Tours, /Tours/{code} and HR's /Tours/Edit form, through HTTP with anti-forgery.</summary>
public sealed class TourPagesTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private static Dictionary<string, string> Form(string code, string name = "Warranty desk", int capacity = 2) => new()
    {
        ["Input.Code"] = code, ["Input.Name"] = name, ["Input.Summary"] = "Where claims are judged.",
        ["Input.OutsideIn"] = "What a refused claim feels like.", ["Input.InsideOut"] = "How claims are decided.",
        ["Input.ReflectionPrompts"] = "Which claim was hardest?",
        ["Input.OrientationMin"] = "1", ["Input.OrientationTypical"] = "2", ["Input.OrientationMax"] = "3",
        ["Input.AssignmentMin"] = "4", ["Input.AssignmentTypical"] = "8", ["Input.AssignmentMax"] = "20",
        ["Input.Capacity"] = capacity.ToString(),
    };

    [Fact]
    public async Task ToursPage_ListsTheCatalogue_AndOnlyHRSeesNewTour()
    {
        var leader = await app.BrowserAsAsync(Roles.Leader);
        var hr = await app.BrowserAsAsync(Roles.HR);

        var leaderPage = await (await leader.GetAsync("/Tours")).HtmlAsync();
        var hrPage = await (await hr.GetAsync("/Tours")).HtmlAsync();

        var names = leaderPage.QuerySelectorAll(".tour-card__name a").Select(a => a.TextContent).ToList();
        Assert.Contains("Executive management", names);
        Assert.Contains("Contact centre", names);
        Assert.Equal("/Tours/EXEC", leaderPage.QuerySelectorAll(".tour-card__name a").Single(a => a.TextContent == "Executive management").GetAttribute("href"));
        Assert.DoesNotContain(leaderPage.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/Tours/Edit");
        Assert.Contains(hrPage.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/Tours/Edit" && a.TextContent == "New tour");
        Assert.Contains(leaderPage.QuerySelectorAll("nav a"), a => a.TextContent == "Tours");
        Assert.DoesNotContain(leaderPage.QuerySelectorAll("nav a"), a => a.TextContent == "Cohorts");
        Assert.Contains(hrPage.QuerySelectorAll("nav a"), a => a.TextContent == "Cohorts");
    }

    [Fact]
    public async Task ToursPage_HidesRetiredToursUnlessAsked()
    {
        var tour = await app.NewTourAsync();
        await app.WithServiceAsync<CatalogueService, TourDto>(c => c.RetireAsync(tour.Id, null));
        var leader = await app.BrowserAsAsync(Roles.Leader);

        var normal = await (await leader.GetAsync("/Tours")).Content.ReadAsStringAsync();
        var all = await (await leader.GetAsync("/Tours?includeRetired=true")).Content.ReadAsStringAsync();

        Assert.DoesNotContain(tour.Code, normal);
        Assert.Contains(tour.Code, all);
    }

    [Fact]
    public async Task TourPage_ShowsLensesPromptsLengthsHostsAndACapacityChartWithATextAlternative()
    {
        var tour = await app.NewTourAsync(capacity: 1);
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("hal.host"), Roles.Host);
        await app.AddHostAsync(tour.Id, host.Id);
        await app.WithDbAsync(db => db.Tours.Where(t => t.Id == tour.Id).ExecuteUpdateAsync(u => u
            .SetProperty(t => t.OutsideIn, "Customers waiting in line.")
            .SetProperty(t => t.InsideOut, "The queue model.")
            .SetProperty(t => t.ReflectionPrompts, "First prompt?\nSecond prompt?")));
        var monday = app.MondayInWeeks(2);
        await app.BookAsync((await app.LeaderAsync()).Id, tour.Id, monday, monday.AddDays(13));
        var leader = await app.BrowserAsAsync(Roles.Leader);

        var page = await (await leader.GetAsync($"/Tours/{tour.Code}")).HtmlAsync();

        Assert.Contains("Customers waiting in line.", page.QuerySelector("#outside-in")!.ParentElement!.TextContent);
        Assert.Contains("The queue model.", page.QuerySelector("#inside-out")!.ParentElement!.TextContent);
        Assert.Equal(["First prompt?", "Second prompt?"], page.QuerySelectorAll(".prompts li").Select(li => li.TextContent));
        Assert.Contains("usually 2 weeks (1 to 4)", page.Body!.TextContent);
        Assert.Contains(host.DisplayName, page.QuerySelector("#facts")!.ParentElement!.TextContent);
        var svg = page.QuerySelector("svg.chart__svg")!;
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Contains("capacity of 1 leader", svg.QuerySelector("title")!.TextContent);
        Assert.Contains("full in 2 weeks", svg.QuerySelector("desc")!.TextContent);
        Assert.Equal(TourModel.Weeks, svg.QuerySelectorAll("rect.chart__slot").Length);
        Assert.Equal(2, svg.QuerySelectorAll("rect.chart__bar--full").Length);
        Assert.InRange(page.QuerySelector("#capacity")!.ParentElement!.QuerySelectorAll("tbody tr").Length, 12, 13);
        Assert.Contains("full in 2 weeks", page.QuerySelector("#capacity-summary")!.TextContent);
    }

    [Fact]
    public async Task TourPage_HidesHostedLeadersNamesFromALeader_ButShowsThemToHRAndToTheToursHost()
    {
        var tour = await app.NewTourAsync();
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("hal.host"), Roles.Host);
        var otherHost = await app.CreatePersonAsync(TestData.UniqueEmail("olga.host"), Roles.Host);
        await app.AddHostAsync(tour.Id, host.Id);
        var booked = await app.LeaderAsync("berta");
        var monday = app.MondayInWeeks(1);
        await app.BookAsync(booked.Id, tour.Id, monday, monday.AddDays(13), host: host.Id);

        // The hosted-leaders section only: the booked leader's own name is in the page's account menu.
        async Task<string> PageFor(HttpClient client) =>
            (await (await client.GetAsync($"/Tours/{tour.Code}")).HtmlAsync()).QuerySelector("#hosted")!.ParentElement!.TextContent;

        var asLeader = await PageFor(await app.BrowserAsAsync(Roles.Leader));
        var asManager = await PageFor(await app.BrowserAsAsync(Roles.Manager));
        var asOtherHost = await PageFor(await app.SignInAsync(otherHost.Email!));
        var asBookedLeader = await PageFor(await app.SignInAsync(booked.Email!));
        var asHR = await PageFor(await app.BrowserAsAsync(Roles.HR));
        var asAdmin = await PageFor(await app.BrowserAsAsync(Roles.Admin));
        var asHost = await PageFor(await app.SignInAsync(host.Email!));

        foreach (var hidden in new[] { asLeader, asManager, asOtherHost, asBookedLeader })
        {
            Assert.DoesNotContain(booked.DisplayName, hidden);
            Assert.Contains("1 stint starts", hidden);
        }
        foreach (var shown in new[] { asHR, asAdmin, asHost }) Assert.Contains(booked.DisplayName, shown);
    }

    [Fact]
    public async Task TourPage_ForAnUnknownCode_Is404_AndALowerCaseCodeRedirectsToTheTour()
    {
        var leader = await app.BrowserAsAsync(Roles.Leader);

        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync("/Tours/NO_SUCH_TOUR")).StatusCode);
        var lower = await leader.GetAsync("/Tours/sales");
        Assert.Equal(HttpStatusCode.MovedPermanently, lower.StatusCode);
        Assert.Equal("/Tours/SALES", lower.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task CreatingATourThroughTheForm_SavesEveryFieldAndOpensItsPage()
    {
        var hr = await app.BrowserAsAsync(Roles.HR);
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("hal.host"), Roles.Host);
        var code = CatalogueTestSupport.NewCode();
        var form = Form(code.ToLowerInvariant());
        form["Input.HostIds"] = host.Id.ToString();

        var response = await RotationsApp.PostFormAsync(hr, "/Tours/Edit", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Tours/{code}", response.Headers.Location!.OriginalString);
        var saved = await app.WithDbAsync(db => db.Tours.AsNoTracking().Include(t => t.Hosts).SingleAsync(t => t.Code == code));
        Assert.Equal("Warranty desk", saved.Name);
        Assert.Equal("How claims are decided.", saved.InsideOut);
        Assert.Equal((1, 2, 3, 4, 8, 20, 2), (saved.OrientationMinWeeks, saved.OrientationTypicalWeeks, saved.OrientationMaxWeeks,
            saved.AssignmentMinWeeks, saved.AssignmentTypicalWeeks, saved.AssignmentMaxWeeks, saved.Capacity));
        Assert.Equal(host.Id, Assert.Single(saved.Hosts).PersonId);
        var page = await (await hr.GetAsync(response.Headers.Location.OriginalString)).Content.ReadAsStringAsync();
        Assert.Contains("Added Warranty desk", page);
    }

    [Fact]
    public async Task ABadForm_KeepsWhatWasTyped_AndShowsEachMessageBesideItsField()
    {
        var hr = await app.BrowserAsAsync(Roles.HR);
        var form = Form("bad code", name: "My typed name", capacity: 0);
        form["Input.OrientationMin"] = "3";
        form["Input.AssignmentMax"] = "abc";
        form["Input.InsideOut"] = "Typed inside-out text";

        var response = await RotationsApp.PostFormAsync(hr, "/Tours/Edit", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.HtmlAsync();
        Assert.Equal("My typed name", page.QuerySelector("#Input_Name")!.GetAttribute("value"));
        Assert.Equal("bad code", page.QuerySelector("#Input_Code")!.GetAttribute("value"));
        Assert.Equal("Typed inside-out text", page.QuerySelector("#Input_InsideOut")!.TextContent.Trim());
        Assert.Equal("3", page.QuerySelector("#Input_OrientationMin")!.GetAttribute("value"));
        Assert.Equal("abc", page.QuerySelector("#Input_AssignmentMax")!.GetAttribute("value"));
        Assert.Contains("2 to 16 characters", page.QuerySelector("#code-error")!.TextContent);
        Assert.Contains("Capacity is 1 to 100", page.QuerySelector("#capacity-error")!.TextContent);
        Assert.Contains("For an orientation stint, the fewest weeks (3) are more than the typical weeks (2).", page.QuerySelector("#orientationweeks-error")!.TextContent);
        Assert.Equal("Enter a whole number.", page.QuerySelector("#assignmentmax-error")!.TextContent);
        Assert.Equal("true", page.QuerySelector("#Input_Code")!.GetAttribute("aria-invalid"));
        Assert.Contains("code-error", page.QuerySelector("#Input_Code")!.GetAttribute("aria-describedby"));
        Assert.False(await app.WithDbAsync(db => db.Tours.AnyAsync(t => t.Name == "My typed name")));
    }

    [Fact]
    public async Task ADuplicateCode_IsNamedBesideTheCodeField()
    {
        var hr = await app.BrowserAsAsync(Roles.HR);

        var response = await RotationsApp.PostFormAsync(hr, "/Tours/Edit", Form("EXEC"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.HtmlAsync();
        Assert.Equal("The code EXEC is already used by the tour Executive management.", page.QuerySelector("#code-error")!.TextContent);
    }

    [Fact]
    public async Task EditingAStaleVersion_SaysChangedBySomeoneElse_KeepsTheTyping_AndOverwritesNothing()
    {
        var hr = await app.BrowserAsAsync(Roles.HR);
        var tour = await app.NewTourAsync();
        var editPage = await (await hr.GetAsync($"/Tours/Edit/{tour.Id}")).HtmlAsync();
        var loadedVersion = editPage.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!;
        Assert.Equal(tour.Version.ToString(), loadedVersion);
        await app.WithServiceAsync<CatalogueService, TourDto>(c => c.RetireAsync(tour.Id, null));
        var form = Form(tour.Code, name: "My stale rename");
        form["Input.Version"] = loadedVersion;

        var response = await RotationsApp.PostFormAsync(hr, $"/Tours/Edit/{tour.Id}", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.HtmlAsync();
        Assert.Contains("changed by someone else", page.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal("My stale rename", page.QuerySelector("#Input_Name")!.GetAttribute("value"));
        Assert.Equal("Test tour", (await app.TourAsync(tour.Code)).Name);
    }

    [Fact]
    public async Task RetireAndReinstateButtons_ChangeTheTour()
    {
        var hr = await app.BrowserAsAsync(Roles.HR);
        var tour = await app.NewTourAsync();

        var retire = await RotationsApp.PostFormAsync(hr, $"/Tours/Edit/{tour.Id}?handler=Retire",
            new() { ["version"] = tour.Version.ToString() }, formPath: $"/Tours/Edit/{tour.Id}");

        Assert.Equal(HttpStatusCode.Redirect, retire.StatusCode);
        var retired = await app.TourAsync(tour.Code);
        Assert.True(retired.IsRetired);
        var edit = await (await hr.GetAsync($"/Tours/Edit/{tour.Id}")).Content.ReadAsStringAsync();
        Assert.Contains("is retired", edit);

        var reinstate = await RotationsApp.PostFormAsync(hr, $"/Tours/Edit/{tour.Id}?handler=Reinstate",
            new() { ["version"] = retired.Version.ToString() }, formPath: $"/Tours/Edit/{tour.Id}");

        Assert.Equal(HttpStatusCode.Redirect, reinstate.StatusCode);
        Assert.False((await app.TourAsync(tour.Code)).IsRetired);
    }

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Host)]
    public async Task TheEditForm_IsForbiddenToEveryoneButHRAndAdmins(string role)
    {
        var client = await app.BrowserAsAsync(role);
        var sales = await app.TourAsync("SALES");

        foreach (var path in new[] { "/Tours/Edit", $"/Tours/Edit/{sales.Id}" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery);
        }
        var tour = await (await client.GetAsync("/Tours/SALES")).Content.ReadAsStringAsync();
        Assert.DoesNotContain($"/Tours/Edit/{sales.Id}", tour);
    }
}
