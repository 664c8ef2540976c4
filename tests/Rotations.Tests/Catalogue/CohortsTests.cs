using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;
using static Rotations.Tests.Catalogue.CatalogueTestSupport;

namespace Rotations.Tests.Catalogue;

/// <summary>Cohorts through /api/v1/cohorts and HR's /Cohorts pages.</summary>
public sealed class CohortsTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private static string NewName() => $"Intake {Guid.NewGuid():N}"[..20];

    private Task JoinCohortAsync(Guid leaderId, Guid cohortId) => app.WithDbAsync(async db =>
    {
        db.LeaderProfiles.Add(new LeaderProfile { PersonId = leaderId, CurrentLevel = Level.Manager, TargetLevel = Level.Director, CohortId = cohortId });
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Api_CreatesListsGetsAndUpdatesACohort_WithETags()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var name = NewName();

        var created = await hr.PostAsJsonAsync("/api/v1/cohorts", new { name, startDate = "2027-03-01", endDate = "2029-02-28" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var cohort = await created.ReadJsonAsync();
        var id = cohort.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/cohorts/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("2027-03-01", cohort.GetProperty("startDate").GetString());
        Assert.Equal(0, cohort.GetProperty("leaderCount").GetInt32());

        var leader = await app.ApiAsAsync(Roles.Leader);
        var list = (await (await leader.GetAsync("/api/v1/cohorts")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Contains(list, c => c.GetProperty("name").GetString() == name);

        var get = await leader.GetAsync($"/api/v1/cohorts/{id}");
        var etag = get.Headers.ETag!.ToString();
        Assert.Equal($"\"{(await get.ReadJsonAsync()).GetProperty("version").GetUInt32()}\"", etag);

        var renamed = NewName();
        var put = await hr.SendAsync(Put($"/api/v1/cohorts/{id}", new { name = renamed, startDate = "2027-04-01", endDate = "2029-03-31" }, etag));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await (await leader.GetAsync($"/api/v1/cohorts/{id}")).ReadJsonAsync();
        Assert.Equal(renamed, after.GetProperty("name").GetString());
        Assert.Equal("2029-03-31", after.GetProperty("endDate").GetString());
    }

    [Fact]
    public async Task Api_BadFields_Return400NamingThem()
    {
        var hr = await app.ApiAsAsync(Roles.HR);

        var missing = await hr.PostAsJsonAsync("/api/v1/cohorts", new { name = " " });
        var backwards = await hr.PostAsJsonAsync("/api/v1/cohorts", new { name = new string('n', 101), startDate = "2027-03-01", endDate = "2027-02-28" });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(["endDate", "name", "startDate"], (await missing.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        var errors = (await backwards.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal("The end (2027-02-28) is before the start (2027-03-01).", errors.GetProperty("endDate")[0].GetString());
        Assert.Contains("limited to 100 characters", errors.GetProperty("name")[0].GetString());
    }

    [Fact]
    public async Task Api_ANameInUse_InAnyLetterCase_Returns409()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var name = NewName();
        await hr.PostAsJsonAsync("/api/v1/cohorts", new { name, startDate = "2027-03-01", endDate = "2027-12-31" });

        var response = await hr.PostAsJsonAsync("/api/v1/cohorts", new { name = name.ToUpperInvariant(), startDate = "2027-03-01", endDate = "2027-12-31" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"There is already a cohort called {name}.", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Api_AStaleIfMatch_Returns412_AMissingOne428_AndNothingIsOverwritten()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var name = NewName();
        var created = await hr.PostAsJsonAsync("/api/v1/cohorts", new { name, startDate = "2027-03-01", endDate = "2027-12-31" });
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        var etag = created.Headers.ETag!.ToString();
        var first = NewName();
        Assert.Equal(HttpStatusCode.OK, (await hr.SendAsync(Put($"/api/v1/cohorts/{id}", new { name = first, startDate = "2027-03-01", endDate = "2027-12-31" }, etag))).StatusCode);

        var stale = await hr.SendAsync(Put($"/api/v1/cohorts/{id}", new { name = NewName(), startDate = "2027-03-01", endDate = "2027-12-31" }, etag));
        var blind = await hr.SendAsync(Put($"/api/v1/cohorts/{id}", new { name = NewName(), startDate = "2027-03-01", endDate = "2027-12-31" }, null));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal((HttpStatusCode)428, blind.StatusCode);
        Assert.Equal(first, await app.WithDbAsync(db => db.Cohorts.Where(c => c.Id == id).Select(c => c.Name).SingleAsync()));
    }

    [Fact]
    public async Task Service_AChangeCommittedBetweenReadAndWrite_StillLoses()
    {
        var created = await app.WithServiceAsync<CohortService, CohortDto>(s => s.CreateAsync(new CohortRequest(NewName(), new(2027, 1, 1), new(2027, 6, 30))));
        // Someone else's change lands after this caller loaded version N.
        await app.WithDbAsync(db => db.Cohorts.Where(c => c.Id == created.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.EndDate, new DateOnly(2027, 7, 31))));

        await Assert.ThrowsAsync<Web.Infrastructure.Errors.StaleVersionException>(() =>
            app.WithServiceAsync<CohortService, CohortDto>(s => s.UpdateAsync(created.Id, created.Version, new CohortRequest("Mine", new(2027, 1, 1), new(2027, 6, 30)))));
        Assert.Equal(created.Name, (await app.WithServiceAsync<CohortService, CohortDto>(s => s.GetAsync(created.Id))).Name);
    }

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Host)]
    public async Task Api_WritesAreForbiddenToEveryoneButHR_AndAnonymousGets401(string role)
    {
        var client = await app.ApiAsAsync(role);
        var cohort = await app.WithServiceAsync<CohortService, CohortDto>(s => s.CreateAsync(new CohortRequest(NewName(), new(2027, 1, 1), new(2027, 6, 30))));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/cohorts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/cohorts", new { name = NewName(), startDate = "2027-03-01", endDate = "2027-12-31" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Put($"/api/v1/cohorts/{cohort.Id}", new { name = "Taken over", startDate = "2027-03-01", endDate = "2027-12-31" }, $"\"{cohort.Version}\""))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/cohorts")).StatusCode);
        Assert.Equal(cohort.Name, (await app.WithServiceAsync<CohortService, CohortDto>(s => s.GetAsync(cohort.Id))).Name);
    }

    [Fact]
    public async Task CohortsPage_ListsCohortsWithTheirLeaderCounts_AndTheEditPageNamesTheLeaders()
    {
        var cohort = await app.WithServiceAsync<CohortService, CohortDto>(s => s.CreateAsync(new CohortRequest(NewName(), new(2027, 1, 4), new(2028, 12, 31))));
        var ann = await app.LeaderAsync("ann");
        var bob = await app.LeaderAsync("bob");
        await JoinCohortAsync(ann.Id, cohort.Id);
        await JoinCohortAsync(bob.Id, cohort.Id);
        var hr = await app.BrowserAsAsync(Roles.HR);

        var list = await (await hr.GetAsync("/Cohorts")).HtmlAsync();
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(cohort.Name));
        Assert.Equal("2", row.QuerySelector("td[data-label=Leaders]")!.TextContent);
        Assert.Contains("4 Jan 2027", row.TextContent);

        var edit = await (await hr.GetAsync($"/Cohorts/Edit/{cohort.Id}")).HtmlAsync();
        Assert.Equal([ann.DisplayName, bob.DisplayName], edit.QuerySelectorAll(".leader-list li").Select(li => li.TextContent.Trim()).Order());
        Assert.Equal("2027-01-04", edit.QuerySelector("#Input_StartDate")!.GetAttribute("value"));
    }

    [Fact]
    public async Task CohortForm_CreatesACohort_AndABadFormKeepsWhatWasTyped()
    {
        var hr = await app.BrowserAsAsync(Roles.HR);
        var name = NewName();

        var bad = await RotationsApp.PostFormAsync(hr, "/Cohorts/Edit",
            new() { ["Input.Name"] = name, ["Input.StartDate"] = "2027-09-01", ["Input.EndDate"] = "2027-08-31" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var page = await bad.HtmlAsync();
        Assert.Equal(name, page.QuerySelector("#Input_Name")!.GetAttribute("value"));
        Assert.Equal("2027-08-31", page.QuerySelector("#Input_EndDate")!.GetAttribute("value"));
        Assert.Equal("The end (2027-08-31) is before the start (2027-09-01).", page.QuerySelector("#enddate-error")!.TextContent);
        Assert.False(await app.WithDbAsync(db => db.Cohorts.AnyAsync(c => c.Name == name)));

        var good = await RotationsApp.PostFormAsync(hr, "/Cohorts/Edit",
            new() { ["Input.Name"] = name, ["Input.StartDate"] = "2027-09-01", ["Input.EndDate"] = "2028-08-31" });

        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var saved = await app.WithDbAsync(db => db.Cohorts.SingleAsync(c => c.Name == name));
        Assert.Equal(new DateOnly(2028, 8, 31), saved.EndDate);
    }

    [Fact]
    public async Task CohortForm_WithAStaleVersion_SaysChangedBySomeoneElse()
    {
        var hr = await app.BrowserAsAsync(Roles.HR);
        var cohort = await app.WithServiceAsync<CohortService, CohortDto>(s => s.CreateAsync(new CohortRequest(NewName(), new(2027, 1, 4), new(2028, 12, 31))));
        await app.WithServiceAsync<CohortService, CohortDto>(s => s.UpdateAsync(cohort.Id, cohort.Version, new CohortRequest(cohort.Name, new(2027, 2, 1), new(2028, 12, 31))));

        var response = await RotationsApp.PostFormAsync(hr, $"/Cohorts/Edit/{cohort.Id}", new()
        {
            ["Input.Name"] = "My late rename", ["Input.StartDate"] = "2027-01-04", ["Input.EndDate"] = "2028-12-31",
            ["Input.Version"] = cohort.Version.ToString(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.HtmlAsync();
        Assert.Contains("changed by someone else", page.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal("My late rename", page.QuerySelector("#Input_Name")!.GetAttribute("value"));
        Assert.Equal(cohort.Name, (await app.WithServiceAsync<CohortService, CohortDto>(s => s.GetAsync(cohort.Id))).Name);
    }

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Host)]
    public async Task CohortPages_AreForbiddenToEveryoneButHR(string role)
    {
        var client = await app.BrowserAsAsync(role);

        foreach (var path in new[] { "/Cohorts", "/Cohorts/Edit" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery);
        }
    }
}
