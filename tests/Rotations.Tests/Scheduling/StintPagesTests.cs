using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Scheduling;

/// <summary>/Stints/New and /Stints/{id}: booking, rescheduling, cancelling, confirming and objectives through the forms.</summary>
public sealed class StintPagesTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly DateOnly Mar1 = new(2027, 3, 1);

    private async Task<HttpClient> HrBrowserAsync()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR);
        return await app.SignInAsync(hr.Email!);
    }

    private static Dictionary<string, string> Booking(Guid leader, Guid tour, string start, string end, string kind = "Orientation", Guid? host = null) => new()
    {
        ["Input.LeaderId"] = leader.ToString(), ["Input.TourId"] = tour.ToString(), ["Input.HostId"] = host?.ToString() ?? "",
        ["Input.StartDate"] = start, ["Input.EndDate"] = end, ["Input.Kind"] = kind, ["Input.Objectives"] = "",
    };

    private static string? Value(IDocument page, string id) => page.GetElementById(id)?.GetAttribute("value");

    [Fact]
    public async Task NewStint_PrefillsTheLeaderAndTourFromTheAddress()
    {
        var browser = await HrBrowserAsync();
        var leader = await app.QuietLeaderAsync("ann");
        var tour = await app.TourAsync("EXEC");

        var page = await (await browser.GetAsync($"/Stints/New?leaderId={leader.Id}&tourId={tour.Id}")).ReadHtmlAsync();

        Assert.Equal(leader.Id.ToString(), page.QuerySelector("#Input_LeaderId option[selected]")!.GetAttribute("value"));
        Assert.Equal(tour.Id.ToString(), page.QuerySelector("#Input_TourId option[selected]")!.GetAttribute("value"));
        Assert.Equal("Executive management (EXEC)", page.QuerySelector("#Input_TourId option[selected]")!.Text());
    }

    [Fact]
    public async Task NewStint_Posted_BooksAndOpensTheStint()
    {
        var browser = await HrBrowserAsync();
        var leader = await app.QuietLeaderAsync("ann");
        var tour = await app.NewTourAsync();
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("hugo.host"), Roles.Host);
        await app.AddHostAsync(tour.Id, host.Id);

        var response = await RotationsApp.PostFormAsync(browser, "/Stints/New",
            Booking(leader.Id, tour.Id, "2027-03-01", "2027-03-14", host: host.Id));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stint = await app.WithDbAsync(db => db.Stints.AsNoTracking().SingleAsync(s => s.LeaderId == leader.Id));
        Assert.Equal($"/Stints/{stint.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal((Mar1, Mar1.AddDays(13), host.Id), (stint.StartDate, stint.EndDate, stint.HostId));
        var page = await (await browser.GetAsync($"/Stints/{stint.Id}")).ReadHtmlAsync();
        Assert.Contains("Booked:", page.QuerySelector(".alert--success")!.Text());
        Assert.Equal("Planned", page.QuerySelector(".stint-title .tag")!.Text());
    }

    [Fact]
    public async Task NewStint_OverlappingTheLeadersStint_ShowsTheClash_AndKeepsWhatWasTyped()
    {
        var browser = await HrBrowserAsync();
        var leader = await app.QuietLeaderAsync("ann");
        var first = await app.BookAsync(leader.Id, (await app.NewTourAsync()).Id, Mar1, Mar1.AddDays(13));
        var other = await app.NewTourAsync();

        var response = await RotationsApp.PostFormAsync(browser, "/Stints/New", Booking(leader.Id, other.Id, "2027-03-08", "2027-03-21"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        var clashes = page.GetElementById("clashes")!;
        Assert.Equal("alert", clashes.GetAttribute("role"));
        Assert.Contains($"{leader.DisplayName} already has Test tour ({(await app.WithDbAsync(db => db.Tours.FindAsync(first.TourId).AsTask()))!.Code}) " +
                        "from 2027-03-01 to 2027-03-14, which overlaps 2027-03-08 to 2027-03-21.", clashes.Text());
        Assert.NotNull(clashes.QuerySelector($"a[href='/Stints/{first.Id}']"));
        Assert.Equal("2027-03-08", Value(page, "Input_StartDate"));
        Assert.Equal("2027-03-21", Value(page, "Input_EndDate"));
        Assert.Equal(leader.Id.ToString(), page.QuerySelector("#Input_LeaderId option[selected]")!.GetAttribute("value"));
        Assert.Equal(other.Id.ToString(), page.QuerySelector("#Input_TourId option[selected]")!.GetAttribute("value"));
        Assert.Equal(1, await app.WithDbAsync(db => db.Stints.CountAsync(s => s.LeaderId == leader.Id)));
    }

    [Fact]
    public async Task NewStint_WithFieldsMissingOrWrong_ShowsEachErrorBesideItsField()
    {
        var browser = await HrBrowserAsync();
        var leader = await app.QuietLeaderAsync("ann");
        var tour = await app.NewTourAsync();
        var stranger = await app.CreatePersonAsync(TestData.UniqueEmail("sam.host"), Roles.Host);

        var empty = await (await RotationsApp.PostFormAsync(browser, "/Stints/New", new() { ["Input.Kind"] = "Orientation" })).ReadHtmlAsync();
        var tooLong = await (await RotationsApp.PostFormAsync(browser, "/Stints/New", Booking(leader.Id, tour.Id, "2027-03-01", "2027-05-30"))).ReadHtmlAsync();
        var wrongHost = await (await RotationsApp.PostFormAsync(browser, "/Stints/New",
            Booking(leader.Id, tour.Id, "2027-03-01", "2027-03-14", host: stranger.Id))).ReadHtmlAsync();

        Assert.Equal("Choose the leader.", empty.GetElementById("leader-error")!.Text());
        Assert.Equal("Choose the tour.", empty.GetElementById("tour-error")!.Text());
        Assert.Equal("Enter the first day of the stint.", empty.GetElementById("start-error")!.Text());
        Assert.Equal("Enter the last day of the stint.", empty.GetElementById("end-error")!.Text());
        Assert.Contains("lasts 1 to 4 weeks; this one spans 13 weeks (91 days)", tooLong.GetElementById("end-error")!.Text());
        Assert.Equal("2027-05-30", Value(tooLong, "Input_EndDate"));
        Assert.Contains($"{stranger.DisplayName} does not host Test tour", wrongHost.GetElementById("host-error")!.Text());
        Assert.Equal(0, await app.WithDbAsync(db => db.Stints.CountAsync(s => s.LeaderId == leader.Id)));
    }

    [Fact]
    public async Task NewStint_OffersOnlyLeaders_OnlyOpenTours_AndHostsGroupedByTour()
    {
        var browser = await HrBrowserAsync();
        var leader = await app.QuietLeaderAsync("ann");
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail("max.manager"), Roles.Manager);
        var retired = await app.NewTourAsync();
        await app.WithDbAsync(db => db.Tours.Where(t => t.Id == retired.Id).ExecuteUpdateAsync(t => t.SetProperty(x => x.IsRetired, true)));
        var tour = await app.NewTourAsync();
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("hugo.host"), Roles.Host);
        await app.AddHostAsync(tour.Id, host.Id);

        var page = await (await browser.GetAsync("/Stints/New")).ReadHtmlAsync();

        var leaders = page.QuerySelectorAll("#Input_LeaderId option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains(leader.Id.ToString(), leaders);
        Assert.DoesNotContain(manager.Id.ToString(), leaders);
        var tours = page.QuerySelectorAll("#Input_TourId option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains(tour.Id.ToString(), tours);
        Assert.DoesNotContain(retired.Id.ToString(), tours);
        var group = page.QuerySelector($"#Input_HostId optgroup[data-tour='{tour.Id}']")!;
        Assert.Equal($"Test tour ({tour.Code})", group.GetAttribute("label"));
        Assert.Equal([host.Id.ToString()], group.QuerySelectorAll("option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public async Task NewStint_IsForHROnly()
    {
        var leader = await app.LeaderAsync("ann");
        var browser = await app.SignInAsync(leader.Email!);

        var response = await browser.GetAsync("/Stints/New");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/AccessDenied", response.RedirectPath());
    }

    [Fact]
    public async Task StintPage_Reschedule_SavesNewDates()
    {
        var browser = await HrBrowserAsync();
        var stint = await app.BookAsync((await app.QuietLeaderAsync()).Id, (await app.NewTourAsync()).Id, Mar1, Mar1.AddDays(13));

        var response = await RotationsApp.PostFormAsync(browser, $"/Stints/{stint.Id}?handler=Reschedule", new()
        {
            ["Reschedule.StartDate"] = "2027-03-08", ["Reschedule.EndDate"] = "2027-03-21", ["Reschedule.Kind"] = "Orientation",
            ["Reschedule.HostId"] = "", ["Reschedule.Version"] = stint.Version.ToString(),
        }, formPath: $"/Stints/{stint.Id}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await app.WithDbAsync(db => db.Stints.AsNoTracking().SingleAsync(s => s.Id == stint.Id));
        Assert.Equal((Mar1.AddDays(7), Mar1.AddDays(20)), (stored.StartDate, stored.EndDate));
    }

    [Fact]
    public async Task StintPage_RescheduleFromAStaleForm_SaysSomeoneElseChangedIt_AndOverwritesNothing()
    {
        var browser = await HrBrowserAsync();
        var stint = await app.BookAsync((await app.QuietLeaderAsync()).Id, (await app.NewTourAsync()).Id, Mar1, Mar1.AddDays(13));
        var loaded = await (await browser.GetAsync($"/Stints/{stint.Id}")).ReadHtmlAsync();
        var version = loaded.GetElementById("Reschedule_Version")!.GetAttribute("value")!;
        // Someone else moves it meanwhile.
        await app.WithServiceAsync<SchedulingService, Stint>(s => s.RescheduleAsync(stint.Id, stint.Version,
            new StintRequest(null, null, null, Mar1.AddDays(14), Mar1.AddDays(27), StintKind.Orientation, null)));

        var response = await RotationsApp.PostFormAsync(browser, $"/Stints/{stint.Id}?handler=Reschedule", new()
        {
            ["Reschedule.StartDate"] = "2027-03-08", ["Reschedule.EndDate"] = "2027-03-21", ["Reschedule.Kind"] = "Orientation",
            ["Reschedule.HostId"] = "", ["Reschedule.Version"] = version,
        }, formPath: $"/Stints/{stint.Id}");

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        Assert.Contains("changed by someone else", page.GetElementById("stale")!.Text());
        Assert.Contains("Mon 15 Mar 2027 to Sun 28 Mar 2027", page.QuerySelector(".facts")!.Text());
        Assert.Equal("2027-03-08", Value(page, "Reschedule_StartDate"));
        var stored = await app.WithDbAsync(db => db.Stints.AsNoTracking().SingleAsync(s => s.Id == stint.Id));
        Assert.Equal(Mar1.AddDays(14), stored.StartDate);
        Assert.Equal(stored.Version.ToString(), Value(page, "Reschedule_Version"));
    }

    [Fact]
    public async Task StintPage_RescheduleIntoAClash_ShowsTheClash()
    {
        var browser = await HrBrowserAsync();
        var tour = await app.NewTourAsync(capacity: 1);
        var ann = await app.QuietLeaderAsync("ann");
        await app.BookAsync(ann.Id, tour.Id, Mar1, Mar1.AddDays(13));
        var stint = await app.BookAsync((await app.QuietLeaderAsync("bob")).Id, tour.Id, Mar1.AddDays(28), Mar1.AddDays(41));

        var response = await RotationsApp.PostFormAsync(browser, $"/Stints/{stint.Id}?handler=Reschedule", new()
        {
            ["Reschedule.StartDate"] = "2027-03-08", ["Reschedule.EndDate"] = "2027-03-21", ["Reschedule.Kind"] = "Orientation",
            ["Reschedule.HostId"] = "", ["Reschedule.Version"] = stint.Version.ToString(),
        }, formPath: $"/Stints/{stint.Id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        Assert.Contains($"1 of 1 place taken by {ann.DisplayName}", page.GetElementById("clashes")!.Text());
        Assert.Equal("2027-03-21", Value(page, "Reschedule_EndDate"));
    }

    [Fact]
    public async Task StintPage_CancelNeedsAReason_ThenCancels()
    {
        var browser = await HrBrowserAsync();
        var stint = await app.BookAsync((await app.QuietLeaderAsync()).Id, (await app.NewTourAsync()).Id, Mar1, Mar1.AddDays(13));
        var fields = new Dictionary<string, string> { ["Cancel.Reason"] = "", ["Cancel.Version"] = stint.Version.ToString() };

        var noReason = await RotationsApp.PostFormAsync(browser, $"/Stints/{stint.Id}?handler=Cancel", fields, formPath: $"/Stints/{stint.Id}");
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("Say why the stint is cancelled.", (await noReason.ReadHtmlAsync()).GetElementById("cancel-error")!.Text());

        fields["Cancel.Reason"] = "The department reorganised";
        var cancelled = await RotationsApp.PostFormAsync(browser, $"/Stints/{stint.Id}?handler=Cancel", fields, formPath: $"/Stints/{stint.Id}");
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);

        var page = await (await browser.GetAsync($"/Stints/{stint.Id}")).ReadHtmlAsync();
        Assert.Equal("Cancelled", page.QuerySelector(".stint-title .tag")!.Text());
        Assert.Contains("The department reorganised", page.QuerySelector(".facts")!.Text());
        Assert.Null(page.GetElementById("reschedule"));
    }

    [Fact]
    public async Task StintPage_TheHostConfirms_TheLeaderCannot()
    {
        var tour = await app.NewTourAsync();
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("hugo.host"), Roles.Host);
        await app.AddHostAsync(tour.Id, host.Id);
        var leader = await app.LeaderAsync("ann");
        var stint = await app.BookAsync(leader.Id, tour.Id, Mar1, Mar1.AddDays(13), hostId: host.Id);
        var leaderBrowser = await app.SignInAsync(leader.Email!);
        var hostBrowser = await app.SignInAsync(host.Email!);

        var leaderPage = await (await leaderBrowser.GetAsync($"/Stints/{stint.Id}")).ReadHtmlAsync();
        Assert.Null(leaderPage.QuerySelector("form[action*='handler=Confirm']"));
        var byLeader = await RotationsApp.PostFormAsync(leaderBrowser, $"/Stints/{stint.Id}?handler=Confirm", new(), formPath: $"/Stints/{stint.Id}");
        Assert.Equal(HttpStatusCode.Redirect, byLeader.StatusCode);
        Assert.Equal("/Account/AccessDenied", byLeader.RedirectPath());
        Assert.Null(await app.WithDbAsync(db => db.Stints.Where(s => s.Id == stint.Id).Select(s => s.ConfirmedAt).SingleAsync()));

        var byHost = await RotationsApp.PostFormAsync(hostBrowser, $"/Stints/{stint.Id}?handler=Confirm", new(), formPath: $"/Stints/{stint.Id}");

        Assert.Equal(HttpStatusCode.Redirect, byHost.StatusCode);
        Assert.Equal(host.Id, await app.WithDbAsync(db => db.Stints.Where(s => s.Id == stint.Id).Select(s => s.ConfirmedById).SingleAsync()));
        var page = await (await hostBrowser.GetAsync($"/Stints/{stint.Id}")).ReadHtmlAsync();
        Assert.Equal("Confirmed", page.QuerySelector(".stint-title .tag")!.Text());
        Assert.Null(page.GetElementById("reschedule"));
    }

    [Fact]
    public async Task StintPage_TheLeaderWritesTheirObjectives()
    {
        var leader = await app.LeaderAsync("ann");
        var stint = await app.BookAsync(leader.Id, (await app.NewTourAsync()).Id, Mar1, Mar1.AddDays(13));
        var browser = await app.SignInAsync(leader.Email!);

        var page = await (await browser.GetAsync($"/Stints/{stint.Id}")).ReadHtmlAsync();
        Assert.Equal("Your objectives", page.GetElementById("objectives-title")!.Text());
        Assert.Null(page.GetElementById("reschedule"));
        Assert.Null(page.GetElementById("cancel"));

        var response = await RotationsApp.PostFormAsync(browser, $"/Stints/{stint.Id}?handler=Objectives", new()
        {
            ["Objectives.Objectives"] = "Listen to ten escalations", ["Objectives.Version"] = stint.Version.ToString(),
        }, formPath: $"/Stints/{stint.Id}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("Listen to ten escalations",
            await app.WithDbAsync(db => db.Stints.Where(s => s.Id == stint.Id).Select(s => s.Objectives).SingleAsync()));
        var reschedule = await RotationsApp.PostFormAsync(browser, $"/Stints/{stint.Id}?handler=Reschedule", new()
        {
            ["Reschedule.StartDate"] = "2027-03-08", ["Reschedule.EndDate"] = "2027-03-21", ["Reschedule.Kind"] = "Orientation",
            ["Reschedule.Version"] = stint.Version.ToString(),
        }, formPath: $"/Stints/{stint.Id}");
        Assert.Equal("/Account/AccessDenied", reschedule.RedirectPath());
    }
}
