using System.Net;
using System.Text.Json;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Readiness;
using static Rotations.Tests.Reports.ReportsKit;

namespace Rotations.Tests.Reports;

/// <summary>HR's dashboards over the API and the pages, each on a cohort (or tour) of its own.</summary>
public sealed class ReportsTests : IClassFixture<SchedulingApp>
{
    private readonly SchedulingApp app;

    public ReportsTests(SchedulingApp app)
    {
        this.app = app;
        app.Clock.Set(Now);
    }

    private static JsonElement LevelOf(JsonElement bench, string level) =>
        bench.GetProperty("levels").EnumerateArray().Single(l => l.GetProperty("level").GetString() == level);

    private static int Band(JsonElement level, string code) =>
        level.GetProperty("bands").EnumerateArray().Single(b => b.GetProperty("code").GetString() == code).GetProperty("count").GetInt32();

    [Fact]
    public async Task Bench_CountsEachLeadersLatestSubmittedDecision_NotSupersededOrReturnedOnes()
    {
        var cohort = await app.CohortAsync("Bench");
        var reviewer = await app.ReviewerAsync();
        var promoted = await app.LeaderInAsync(cohort.Id, Level.Director, "promoted");
        var returned = await app.LeaderInAsync(cohort.Id, Level.Director, "returned");
        await app.LeaderInAsync(cohort.Id, Level.Director, "unreviewed");
        var early = await app.LeaderInAsync(cohort.Id, Level.HeadOf, "early");
        var elsewhere = await app.LeaderInAsync(null, Level.Director, "elsewhere");

        await app.ReviewAsync(promoted.Id, reviewer.Id, Level.Director, "NotYet", "Not yet", Now.AddDays(-200));
        await app.ReviewAsync(promoted.Id, reviewer.Id, Level.Director, "ReadyNow", "Ready now", Now.AddDays(-10));
        await app.ReviewAsync(returned.Id, reviewer.Id, Level.Director, "ReadyNow", "Ready now", Now.AddDays(-5), ReviewStatus.Returned);
        await app.ReviewAsync(early.Id, reviewer.Id, Level.Director, "Ready3PlusYears", "Ready in 3+ years", Now.AddDays(-3));
        await app.ReviewAsync(elsewhere.Id, reviewer.Id, Level.Director, "ReadyNow", "Ready now", Now.AddDays(-3));

        var hr = await app.HrApiAsync();
        var response = await hr.GetAsync($"/api/v1/reports/bench?cohortId={cohort.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bench = await response.ReadJsonAsync();
        Assert.Equal(["HeadOf", "Director", "VP", "CCO"], bench.GetProperty("levels").EnumerateArray().Select(l => l.GetProperty("level").GetString()));

        var director = LevelOf(bench, "Director");
        Assert.Equal(["ReadyNow", "Ready1To2Years", "Ready3PlusYears", "NotYet"],
            director.GetProperty("bands").EnumerateArray().Select(b => b.GetProperty("code").GetString()));
        Assert.Equal("Ready now", director.GetProperty("bands")[0].GetProperty("label").GetString());
        Assert.Equal(1, Band(director, "ReadyNow"));        // promoted: the later review supersedes "Not yet"; returned is not counted
        Assert.Equal(0, Band(director, "NotYet"));
        Assert.Equal(1, Band(director, "Ready3PlusYears")); // early is judged for Director though aiming for Head of
        Assert.Equal(2, director.GetProperty("withoutReview").GetInt32()); // returned and unreviewed
        var headOf = LevelOf(bench, "HeadOf");
        Assert.Equal(1, headOf.GetProperty("withoutReview").GetInt32());
        Assert.All(headOf.GetProperty("bands").EnumerateArray(), b => Assert.Equal(0, b.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task BenchPage_DrawsAnSvgWithTitleAndDescription_AndTheSameFiguresAsATable()
    {
        var cohort = await app.CohortAsync("Bench page");
        var reviewer = await app.ReviewerAsync();
        var a = await app.LeaderInAsync(cohort.Id, Level.VP, "ada");
        await app.LeaderInAsync(cohort.Id, Level.VP, "bo");
        await app.ReviewAsync(a.Id, reviewer.Id, Level.VP, "Ready1To2Years", "Ready in 1–2 years", Now.AddDays(-1));

        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR)).Email!);
        var page = await (await hr.GetAsync($"/Reports/Bench?cohortId={cohort.Id}")).ReadHtmlAsync();

        var svg = page.QuerySelector("svg.bench-chart")!;
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Contains("Bench strength", svg.QuerySelector("title")!.TextContent);
        Assert.Contains("Vice President: Ready in 1–2 years 1, no current review 1.", svg.QuerySelector("desc")!.TextContent);
        Assert.Equal(2, svg.QuerySelectorAll("rect.bench-seg").Length); // one band segment and one "no review" segment
        var vp = page.QuerySelector("#bench-table tr[data-level=VP]")!;
        Assert.Equal("1", vp.QuerySelector("td[data-band=Ready1To2Years]")!.TextContent);
        Assert.Equal("1", vp.QuerySelector("td[data-band=none]")!.TextContent);
        Assert.Equal("0", vp.QuerySelector("td[data-band=ReadyNow]")!.TextContent);
    }

    /// <summary>A leader with two SALES stints done (2 and 3 weeks), CONTACT under way, EXEC booked and a cancelled FIELD stint.</summary>
    private async Task<(Person Leader, Guid LatestSales)> CoveredLeaderAsync(Guid cohortId, string name = "cora")
    {
        var leader = await app.LeaderInAsync(cohortId, Level.Director, name);
        await app.StintAsync(leader.Id, Sales, null, WeeksFromToday(-20), WeeksFromToday(-20).AddDays(11));
        var april = await app.StintAsync(leader.Id, Sales, null, WeeksFromToday(-10), WeeksFromToday(-10).AddDays(18));
        await app.StintAsync(leader.Id, Contact, null, WeeksFromToday(-1), WeeksFromToday(2).AddDays(4));
        await app.StintAsync(leader.Id, Exec, null, WeeksFromToday(8), WeeksFromToday(9).AddDays(4));
        var field = await app.StintAsync(leader.Id, Field, null, WeeksFromToday(-6), WeeksFromToday(-5).AddDays(4));
        await app.CancelAsync(field.Id);
        return (leader, april.Id);
    }

    [Fact]
    public async Task CoverageApi_GivesEachLeaderAStatusAndWeeksPerTour_OnlyForTheCohort()
    {
        var cohort = await app.CohortAsync("Coverage");
        var (leader, _) = await CoveredLeaderAsync(cohort.Id);
        await app.LeaderInAsync(cohort.Id, Level.HeadOf, "nina");
        var other = await app.LeaderInAsync((await app.CohortAsync("Other")).Id, Level.HeadOf, "otto");

        var response = await (await app.HrApiAsync()).GetAsync($"/api/v1/reports/coverage?cohortId={cohort.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.ReadJsonAsync();
        Assert.Equal(cohort.Id, json.GetProperty("cohortId").GetGuid());
        var tours = json.GetProperty("tours").EnumerateArray().Select(t => t.GetProperty("code").GetString()).ToList();
        Assert.Contains("SALES", tours);
        Assert.Contains("EXEC", tours);
        var leaders = json.GetProperty("leaders").EnumerateArray().ToList();
        Assert.Equal(2, leaders.Count);
        Assert.DoesNotContain(leaders, l => l.GetProperty("id").GetGuid() == other.Id);

        var cells = leaders.Single(l => l.GetProperty("id").GetGuid() == leader.Id).GetProperty("cells").EnumerateArray()
            .ToDictionary(c => c.GetProperty("tourCode").GetString()!, c => (Status: c.GetProperty("status").GetString(), Weeks: c.GetProperty("weeks").GetInt32()));
        Assert.Equal(tours.Count, cells.Count);
        Assert.Equal(("Done", 5), cells["SALES"]);
        Assert.Equal(("InProgress", 0), cells["CONTACT"]);
        Assert.Equal(("Booked", 0), cells["EXEC"]);
        Assert.Equal(("Missing", 0), cells["FIELD"]); // the cancelled stint counts for nothing
        Assert.Equal(("Missing", 0), cells["DEPOT"]);
    }

    [Fact]
    public async Task CoveragePage_ColoursEachCell_AndLinksItToTheLatestStintOrThePlan()
    {
        var cohort = await app.CohortAsync("Heatmap");
        var (leader, april) = await CoveredLeaderAsync(cohort.Id);
        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR)).Email!);

        var page = await (await hr.GetAsync($"/Reports/Coverage?cohortId={cohort.Id}")).ReadHtmlAsync();
        var row = page.QuerySelector($"#coverage-table tr[data-leader='{leader.Id}']")!;
        var sales = row.QuerySelector("td[data-tour=SALES]")!;
        Assert.Equal("Done", sales.GetAttribute("data-status"));
        Assert.Contains("heat--done", sales.ClassName);
        Assert.Contains("5 wk", sales.Text());
        Assert.Equal($"/Stints/{april}", sales.QuerySelector("a")!.GetAttribute("href"));
        var depot = row.QuerySelector("td[data-tour=DEPOT]")!;
        Assert.Contains("heat--missing", depot.ClassName);
        Assert.Equal($"/Leaders/{leader.Id}/Plan", depot.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("heat--in-progress", row.QuerySelector("td[data-tour=CONTACT]")!.ClassName);
        Assert.Contains(page.QuerySelectorAll(".heat-legend li"), li => li.Text().StartsWith("Booked"));
        Assert.Contains(page.QuerySelectorAll("a"), a => a.GetAttribute("href") == $"/Reports/Coverage.csv?cohortId={cohort.Id}");
    }

    [Fact]
    public async Task Coverage_WithoutOrWithAnUnknownCohort_Is400NamingCohortId()
    {
        var hr = await app.HrApiAsync();
        foreach (var path in new[] { "/api/v1/reports/coverage", $"/api/v1/reports/coverage?cohortId={Guid.NewGuid()}", "/api/v1/reports/coverage?cohortId=nope" })
        {
            var response = await hr.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("cohortId", out _), path);
        }

        var browser = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR)).Email!);
        var page = await browser.GetAsync($"/Reports/Coverage?cohortId={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("no such cohort", (await page.ReadHtmlAsync()).QuerySelector("#cohortId-error")!.TextContent);
    }

    [Fact]
    public async Task CoverageCsv_HasAStatusAndWeeksColumnPerTour_AndKeepsFormulasAsText()
    {
        var cohort = await app.CohortAsync("Csv");
        var (leader, _) = await CoveredLeaderAsync(cohort.Id);
        await app.SetNameAsync(leader.Id, "=HYPERLINK(\"http://evil\",\"Cora, again\")");
        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR)).Email!);

        var response = await hr.GetAsync($"/Reports/Coverage.csv?cohortId={cohort.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("coverage-2027-06-16", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]); // UTF-8 with its mark: spreadsheets read the dashes and accents right
        var text = await response.Content.ReadAsStringAsync();
        var header = SimpleCsv.Header(text);
        Assert.Equal(["displayName", "email"], header.Take(2));
        Assert.Contains("SALES", header);
        Assert.Equal(header.IndexOf("SALES") + 1, header.IndexOf("SALES_weeks"));

        var row = Assert.Single(SimpleCsv.Parse(text));
        Assert.Equal("'=HYPERLINK(\"http://evil\",\"Cora, again\")", row["displayName"]);
        Assert.Equal(leader.Email, row["email"]);
        Assert.Equal("Done", row["SALES"]);
        Assert.Equal("5", row["SALES_weeks"]);
        Assert.Equal("InProgress", row["CONTACT"]);
        Assert.Equal("Booked", row["EXEC"]);
        Assert.Equal("Missing", row["FIELD"]);

        var api = await (await app.HrApiAsync()).GetAsync($"/api/v1/reports/coverage.csv?cohortId={cohort.Id}");
        Assert.Equal(text, await api.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReadinessCsv_HasOneRowPerLeader_WithTheLabelsTheDecisionsWereGiven()
    {
        var cohort = await app.CohortAsync("Readiness csv");
        var reviewer = await app.ReviewerAsync();
        var (leader, _) = await CoveredLeaderAsync(cohort.Id);
        var idle = await app.LeaderInAsync(cohort.Id, Level.VP, "idle");
        // Two SALES stints and no reflection: both are missing; CONTACT is still under way.
        await app.ReviewAsync(leader.Id, reviewer.Id, Level.HeadOf, "ReadyNow", "Ready now (2026 wording)", Now.AddDays(-40));
        await app.ReviewAsync(leader.Id, reviewer.Id, Level.Director, "NotYet", "Not yet", Now.AddDays(-90));
        await app.ReviewAsync(leader.Id, reviewer.Id, Level.Director, "Ready1To2Years", "Ready in 1–2 years", Now.AddDays(-20));

        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR)).Email!);
        var response = await hr.GetAsync($"/Reports/Readiness.csv?cohortId={cohort.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(["displayName", "email", "cohort", "targetLevel", "decisionHeadOf", "decisionDirector", "decisionVP", "decisionCCO",
            "toursDone", "weeksDone", "reflectionsMissing"], SimpleCsv.Header(text));
        var rows = SimpleCsv.Parse(text);
        Assert.Equal(2, rows.Count);

        var row = rows.Single(r => r["email"] == leader.Email);
        Assert.Equal(cohort.Name, row["cohort"]);
        Assert.Equal("Director", row["targetLevel"]);
        Assert.Equal("Ready now (2026 wording)", row["decisionHeadOf"]);
        Assert.Equal("Ready in 1–2 years", row["decisionDirector"]);
        Assert.Equal("", row["decisionVP"]);
        Assert.Equal("1", row["toursDone"]);
        Assert.Equal("5", row["weeksDone"]);
        Assert.Equal("2", row["reflectionsMissing"]);

        var other = rows.Single(r => r["email"] == idle.Email);
        Assert.Equal(("VP", "0", "0", "0"), (other["targetLevel"], other["toursDone"], other["weeksDone"], other["reflectionsMissing"]));
    }

    [Fact]
    public async Task Compliance_CountsOnTimeOutOfSubmittedAndOverdueMissing_ByCohortAndByTour()
    {
        var cohort = await app.CohortAsync("Compliance");
        var tour = await app.NewTourAsync(capacity: 5);
        var leader = await app.LeaderInAsync(cohort.Id, Level.HeadOf, "cam");
        var onTime = await app.StintAsync(leader.Id, tour.Id, null, WeeksFromToday(-20), WeeksFromToday(-20).AddDays(4));
        var late = await app.StintAsync(leader.Id, tour.Id, null, WeeksFromToday(-16), WeeksFromToday(-16).AddDays(4));
        await app.StintAsync(leader.Id, tour.Id, null, WeeksFromToday(-12), WeeksFromToday(-12).AddDays(4)); // overdue, missing
        await app.StintAsync(leader.Id, tour.Id, null, WeeksFromToday(-1), Today.AddDays(-3));                // ended, not due yet
        var cancelled = await app.StintAsync(leader.Id, tour.Id, null, WeeksFromToday(-8), WeeksFromToday(-8).AddDays(4));
        await app.CancelAsync(cancelled.Id);
        await app.ReflectAsync(onTime, onTime: true);
        await app.ReflectAsync(late, onTime: false);

        var response = await (await app.HrApiAsync()).GetAsync("/api/v1/reports/compliance");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.ReadJsonAsync();
        foreach (var (list, id) in new[] { ("byTour", tour.Id), ("byCohort", cohort.Id) })
        {
            var row = json.GetProperty(list).EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == id);
            Assert.Equal((3, 2, 1, 1, 1), (row.GetProperty("due").GetInt32(), row.GetProperty("submitted").GetInt32(),
                row.GetProperty("onTime").GetInt32(), row.GetProperty("late").GetInt32(), row.GetProperty("missing").GetInt32()));
            Assert.Equal(1.0 / 3, row.GetProperty("onTimeRate").GetDouble(), 6);
        }

        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR)).Email!);
        var page = await (await hr.GetAsync("/Reports/Compliance")).ReadHtmlAsync();
        var tr = page.QuerySelector($"#compliance-tours tr[data-id='{tour.Id}']")!;
        Assert.Equal("33%", tr.QuerySelector(".rate__value")!.TextContent);
        Assert.Equal(["3", "1", "1", "1"], tr.QuerySelectorAll("td.num").Select(td => td.TextContent));
    }

    [Fact]
    public async Task Overdue_ListsMissingReflectionsPastTheirDueDate_WithManagerAndDaysOverdue()
    {
        var cohort = await app.CohortAsync("Overdue");
        var manager = await app.PersonInAsync("Mona Manager", "Europe/London", Roles.Manager);
        var leader = await app.LeaderInAsync(cohort.Id, Level.HeadOf, "olga", manager.Id);
        var overdue = await app.StintAsync(leader.Id, Contact, null, WeeksFromToday(-12), WeeksFromToday(-12).AddDays(4));
        var done = await app.StintAsync(leader.Id, Sales, null, WeeksFromToday(-9), WeeksFromToday(-9).AddDays(4));
        await app.ReflectAsync(done, onTime: true);
        await app.StintAsync(leader.Id, Exec, null, WeeksFromToday(-1), Today.AddDays(-3)); // due in three days

        var response = await (await app.HrApiAsync()).GetAsync($"/api/v1/reports/overdue?cohortId={cohort.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.ReadJsonAsync();
        var item = Assert.Single(json.GetProperty("items").EnumerateArray().ToList());
        var due = overdue.EndDate.AddDays(6); // the day before the overdue reminder (7 days after the end)
        Assert.Equal(overdue.Id, item.GetProperty("stintId").GetGuid());
        Assert.Equal("Mona Manager", item.GetProperty("managerName").GetString());
        Assert.Equal("CONTACT", item.GetProperty("tourCode").GetString());
        Assert.Equal(due.ToString("yyyy-MM-dd"), item.GetProperty("dueOn").GetString());
        Assert.Equal(Today.DayNumber - due.DayNumber, item.GetProperty("daysOverdue").GetInt32());

        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR)).Email!);
        var page = await (await hr.GetAsync($"/Reports/Overdue?cohortId={cohort.Id}")).ReadHtmlAsync();
        var row = Assert.Single(page.QuerySelectorAll("#overdue-table tbody tr"));
        Assert.Contains("Mona Manager", row.Text());
        Assert.Equal($"/Stints/{overdue.Id}", row.QuerySelector("td[data-label=Tour] a")!.GetAttribute("href"));
        Assert.Equal((Today.DayNumber - due.DayNumber).ToString(), row.QuerySelector("td[data-label='Days overdue']")!.TextContent);
    }

    [Fact]
    public async Task Capacity_GivesEachTourItsBusiestDayPerMonthAgainstCapacity()
    {
        var tour = await app.NewTourAsync(capacity: 2);
        foreach (var name in new[] { "cap-a", "cap-b" })
        {
            var leader = await app.QuietLeaderAsync(name);
            await app.StintAsync(leader.Id, tour.Id, null, WeeksFromToday(3), WeeksFromToday(4).AddDays(4)); // July: 2 of 2
        }
        var third = await app.QuietLeaderAsync("cap-c");
        await app.StintAsync(third.Id, tour.Id, null, WeeksFromToday(7), WeeksFromToday(8).AddDays(4));    // August: 1 of 2

        var json = await (await (await app.HrApiAsync()).GetAsync("/api/v1/reports/capacity")).ReadJsonAsync();
        Assert.Equal("2027-06-01", json.GetProperty("months")[0].GetString());
        var months = json.GetProperty("tours").EnumerateArray().Single(t => t.GetProperty("code").GetString() == tour.Code)
            .GetProperty("months").EnumerateArray().ToDictionary(m => m.GetProperty("month").GetString()!, m => m);
        Assert.Equal((2, 100), (months["2027-07-01"].GetProperty("peak").GetInt32(), months["2027-07-01"].GetProperty("usePercent").GetInt32()));
        Assert.Equal(2, months["2027-07-01"].GetProperty("fullWeeks").GetInt32());
        Assert.Equal((1, 50), (months["2027-08-01"].GetProperty("peak").GetInt32(), months["2027-08-01"].GetProperty("usePercent").GetInt32()));
        Assert.Equal(0, months["2027-09-01"].GetProperty("peak").GetInt32());

        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR)).Email!);
        var page = await (await hr.GetAsync("/Reports/Capacity")).ReadHtmlAsync();
        var row = page.QuerySelector($"#capacity-table tr[data-tour='{tour.Code}']")!;
        Assert.Contains("use--full", row.QuerySelector("td[data-month='2027-07']")!.ClassName);
        Assert.StartsWith("50%", row.QuerySelector("td[data-month='2027-08']")!.Text());
    }

    [Fact]
    public async Task Compare_PutsLeadersSideBySideForOneLevel()
    {
        var cohort = await app.CohortAsync("Compare");
        var reviewer = await app.ReviewerAsync();
        var host = await app.PersonInAsync("Hal Host", "Europe/London", Roles.Host);
        var ada = await app.LeaderInAsync(cohort.Id, Level.Director, "ada");
        var ben = await app.LeaderInAsync(cohort.Id, Level.Director, "ben");
        var contact = await app.StintAsync(ada.Id, Contact, host.Id, WeeksFromToday(-10), WeeksFromToday(-10).AddDays(18));
        await app.ReflectAsync(contact, onTime: true);
        await app.FeedbackAsync(contact, host.Id, 4, 4, 3, 3);
        await app.ReviewAsync(ada.Id, reviewer.Id, Level.Director, "Ready1To2Years", "Ready in 1–2 years", Now.AddDays(-2));
        await app.ReviewAsync(ada.Id, reviewer.Id, Level.HeadOf, "ReadyNow", "Ready now", Now.AddDays(-1));

        var response = await (await app.HrApiAsync()).GetAsync($"/api/v1/reports/compare?level=Director&leaders={ada.Id},{ben.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.ReadJsonAsync();
        Assert.Equal("Director", json.GetProperty("level").GetString());
        var leaders = json.GetProperty("leaders").EnumerateArray().ToList();
        Assert.Equal([ada.Id, ben.Id], leaders.Select(l => l.GetProperty("id").GetGuid()));
        var a = leaders[0];
        Assert.Equal((1, 3), (a.GetProperty("toursDone").GetInt32(), a.GetProperty("weeksDone").GetInt32()));
        var required = a.GetProperty("requiredTours").EnumerateArray().ToDictionary(t => t.GetProperty("tourCode").GetString()!, t => t.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["CONTACT"] = "Done", ["SALES"] = "Missing" }, required);
        Assert.Equal((1, 1), (a.GetProperty("reflectionsDue").GetInt32(), a.GetProperty("reflectionsOnTime").GetInt32()));
        Assert.Equal(3.5, a.GetProperty("hostFeedbackAverage").GetDouble(), 6);
        Assert.Equal("Ready in 1–2 years", a.GetProperty("decisionLabel").GetString()); // the Director decision, not the later Head of one
        Assert.Equal(JsonValueKind.Null, leaders[1].GetProperty("decisionLabel").ValueKind);
        Assert.Equal(JsonValueKind.Null, leaders[1].GetProperty("hostFeedbackAverage").ValueKind);

        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR)).Email!);
        var page = await (await hr.GetAsync($"/Reports/Compare?level=Director&leaders={ada.Id}&leaders={ben.Id}")).ReadHtmlAsync();
        Assert.Equal(2, page.QuerySelectorAll("#compare-table thead th[data-leader]").Length);
        Assert.Contains("Ready in 1–2 years", page.QuerySelector("#compare-table tr[data-row=decision]")!.Text());
        Assert.Contains("3.5 from 1", page.QuerySelector("#compare-table tr[data-row=feedback]")!.Text());
    }

    [Fact]
    public async Task Compare_RefusesFewerThanTwoOrMoreThanFourLeadersAndUnknownLevels_NamingTheField()
    {
        var cohort = await app.CohortAsync("Compare bad");
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add((await app.LeaderInAsync(cohort.Id, Level.HeadOf, $"cmp{i}")).Id);
        var hr = await app.HrApiAsync();

        async Task<JsonElement> Errors(string query)
        {
            var response = await hr.GetAsync($"/api/v1/reports/compare?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.ReadJsonAsync()).GetProperty("errors");
        }
        Assert.Contains("you chose 1", (await Errors($"level=HeadOf&leaders={ids[0]}")).GetProperty("leaders")[0].GetString());
        Assert.Contains("you chose 5", (await Errors($"level=HeadOf&leaders={string.Join(',', ids)}")).GetProperty("leaders")[0].GetString());
        Assert.True((await Errors($"level=Manager&leaders={ids[0]},{ids[1]}")).TryGetProperty("level", out _));
        Assert.True((await Errors($"level=HeadOf&leaders={ids[0]},{Guid.NewGuid()}")).TryGetProperty("leaders", out _));
        var both = await Errors($"level=Chief&leaders={ids[0]}");
        Assert.True(both.TryGetProperty("level", out _) && both.TryGetProperty("leaders", out _));

        var browser = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR)).Email!);
        var page = await browser.GetAsync($"/Reports/Compare?level=Chief&leaders={ids[0]}");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.ReadHtmlAsync();
        Assert.Contains("Use one of", html.QuerySelector("#level-error")!.TextContent);
        Assert.Contains("Choose 2 to 4 leaders", html.QuerySelector("#leaders-error")!.TextContent);
        Assert.NotNull(html.QuerySelector($"#leaders option[value='{ids[0]}'][selected]")); // the choice is kept
        Assert.Null(html.QuerySelector("#compare-table"));
    }
}
