using System.Net;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;
using static Rotations.Tests.Reports.ReportsKit;

namespace Rotations.Tests.Reports;

/// <summary>A manager's "my reports", and who may open the reports at all.</summary>
public sealed class MyReportsAndAccessTests : IClassFixture<SchedulingApp>
{
    private readonly SchedulingApp app;

    public MyReportsAndAccessTests(SchedulingApp app)
    {
        this.app = app;
        app.Clock.Set(Now);
    }

    [Fact]
    public async Task MyReports_ShowsOnlyDirectReports_WithCurrentAndNextStint_OverdueCount_AndLatestDecision()
    {
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail("manager"), Roles.Manager);
        var otherManager = await app.PersonInAsync("Other Manager", "Europe/London", Roles.Manager);
        var reviewer = await app.ReviewerAsync();
        var busy = await app.LeaderInAsync(null, Level.Director, "busy", manager.Id);
        var idle = await app.LeaderInAsync(null, Level.HeadOf, "idle", manager.Id);
        var notMine = await app.LeaderInAsync(null, Level.HeadOf, "notmine", otherManager.Id);
        var current = await app.StintAsync(busy.Id, Contact, null, WeeksFromToday(-1), WeeksFromToday(2).AddDays(4));
        var next = await app.StintAsync(busy.Id, Exec, null, WeeksFromToday(6), WeeksFromToday(7).AddDays(4));
        await app.StintAsync(busy.Id, Exec, null, WeeksFromToday(12), WeeksFromToday(13).AddDays(4)); // after next
        await app.StintAsync(busy.Id, Sales, null, WeeksFromToday(-12), WeeksFromToday(-12).AddDays(4)); // reflection overdue
        await app.StintAsync(notMine.Id, Sales, null, WeeksFromToday(-1), WeeksFromToday(1));
        await app.ReviewAsync(busy.Id, reviewer.Id, Level.HeadOf, "ReadyNow", "Ready now", Now.AddDays(-30));
        await app.ReviewAsync(busy.Id, reviewer.Id, Level.Director, "NotYet", "Not yet", Now.AddDays(-5));

        var browser = await app.SignInAsync(manager.Email!);
        var response = await browser.GetAsync("/MyReports");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        var rows = page.QuerySelectorAll("#my-reports tbody tr");
        Assert.Equal([busy.Id.ToString(), idle.Id.ToString()], rows.Select(r => r.GetAttribute("data-person"))); // by name: Busy, Idle
        Assert.DoesNotContain(notMine.DisplayName, page.Body!.Text());

        var b = page.QuerySelector($"#my-reports tr[data-person='{busy.Id}']")!;
        Assert.Equal($"/Stints/{current.Id}", b.QuerySelector("td[data-cell=current] a")!.GetAttribute("href"));
        Assert.Contains("CONTACT", b.QuerySelector("td[data-cell=current]")!.Text());
        Assert.Equal($"/Stints/{next.Id}", b.QuerySelector("td[data-cell=next] a")!.GetAttribute("href"));
        Assert.Equal("1", b.QuerySelector("td[data-cell=overdue]")!.Text());
        Assert.Contains("Not yet for Director", b.QuerySelector("td[data-cell=decision]")!.Text());
        Assert.Contains("Director", b.QuerySelector("td[data-label='Aims for']")!.Text());

        var i = page.QuerySelector($"#my-reports tr[data-person='{idle.Id}']")!;
        Assert.Equal("Between stints", i.QuerySelector("td[data-cell=current]")!.Text());
        Assert.Equal("Nothing booked", i.QuerySelector("td[data-cell=next]")!.Text());
        Assert.Equal("No review yet", i.QuerySelector("td[data-cell=decision] .muted")!.Text());
        Assert.Equal($"/Leaders/{idle.Id}/Readiness", i.QuerySelector("td[data-cell=decision] a")!.GetAttribute("href"));
        Assert.Contains(page.QuerySelectorAll("nav.main-nav a"), a => a.GetAttribute("href") == "/MyReports");
    }

    [Fact]
    public async Task MyReports_ForAManagerWithoutReports_SaysSo()
    {
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail("lonely"), Roles.Manager);
        var page = await (await (await app.SignInAsync(manager.Email!)).GetAsync("/MyReports")).ReadHtmlAsync();
        Assert.Null(page.QuerySelector("#my-reports"));
        Assert.Contains("No one reports to you", page.QuerySelector(".empty")!.Text());
    }

    [Fact]
    public async Task Leaders_Get403FromTheReportsApi_AndAccessDeniedFromThePages()
    {
        var (leader, api) = await app.ApiPersonAsync("leader", Roles.Leader);
        foreach (var path in new[] { "/api/v1/reports/bench", "/api/v1/reports/coverage?cohortId=" + Guid.NewGuid(), "/api/v1/reports/compliance",
                     "/api/v1/reports/overdue", "/api/v1/reports/capacity", "/api/v1/reports/coverage.csv", "/api/v1/reports/readiness.csv" })
            Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync(path)).StatusCode);

        var browser = await app.SignInAsync(leader.Email!);
        foreach (var path in new[] { "/Reports", "/Reports/Bench", "/Reports/Coverage", "/Reports/Compliance", "/Reports/Capacity", "/Reports/Overdue",
                     "/Reports/Compare", "/Reports/Coverage.csv", "/Reports/Readiness.csv", "/MyReports" })
        {
            var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/Account/AccessDenied", response.RedirectPath());
        }
        var home = await (await browser.GetAsync("/")).ReadHtmlAsync();
        Assert.DoesNotContain(home.QuerySelectorAll("a"), a => a.GetAttribute("href") is "/Reports" or "/MyReports");
    }

    [Fact]
    public async Task Managers_AreKeptOutOfHrsReports_AndHrWithoutReportsOutOfMyReports()
    {
        var (manager, api) = await app.ApiPersonAsync("mgr", Roles.Manager);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/reports/bench")).StatusCode);
        var managerBrowser = await app.SignInAsync(manager.Email!);
        Assert.Equal("/Account/AccessDenied", (await managerBrowser.GetAsync("/Reports/Bench")).RedirectPath());

        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR);
        var hrBrowser = await app.SignInAsync(hr.Email!);
        Assert.Equal("/Account/AccessDenied", (await hrBrowser.GetAsync("/MyReports")).RedirectPath());
        var reports = await hrBrowser.GetAsync("/Reports");
        Assert.Equal(HttpStatusCode.OK, reports.StatusCode);
        Assert.Contains((await reports.ReadHtmlAsync()).QuerySelectorAll("nav.main-nav a"), a => a.GetAttribute("href") == "/Reports");
    }

    [Fact]
    public async Task The_reports_are_hrs_an_admin_without_hr_gets_none_of_them_and_with_hr_gets_them_all()
    {
        // Readiness decisions and reflections about people are the programme's: like the readiness page, not the system administrator's.
        var (admin, api) = await app.ApiPersonAsync("admin", Roles.Admin);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/reports/bench")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/reports/readiness.csv")).StatusCode);
        var browser = await app.SignInAsync(admin.Email!);
        var paths = new[] { "/Reports", "/Reports/Bench", "/Reports/Coverage", "/Reports/Compliance", "/Reports/Capacity", "/Reports/Overdue", "/Reports/Compare", "/Reports/Readiness.csv" };
        foreach (var path in paths)
            Assert.Equal("/Account/AccessDenied", (await browser.GetAsync(path)).RedirectPath());
        Assert.DoesNotContain((await (await browser.GetAsync("/")).ReadHtmlAsync()).QuerySelectorAll("nav.main-nav a"), a => a.GetAttribute("href") == "/Reports");

        var (both, bothApi) = await app.ApiPersonAsync("admin-hr", Roles.Admin, Roles.HR);
        Assert.Equal(HttpStatusCode.OK, (await bothApi.GetAsync("/api/v1/reports/bench")).StatusCode);
        var bothBrowser = await app.SignInAsync(both.Email!);
        foreach (var path in paths.Where(p => !p.EndsWith(".csv", StringComparison.Ordinal)))
            Assert.Equal(HttpStatusCode.OK, (await bothBrowser.GetAsync(path)).StatusCode);
    }
}
