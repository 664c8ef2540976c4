using System.Net;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Planning;

/// <summary>HR keeps a leader's unavailable periods on a page: added with a message beside a wrong field, listed, removed.</summary>
public sealed class UnavailabilityPageTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    [Fact]
    public async Task Hr_adds_a_period_is_told_beside_the_field_when_it_ends_before_it_begins_and_removes_it()
    {
        var cohort = await app.CohortAsync("away-page");
        var leader = await app.QuietLeaderAsync("away");
        await app.JoinCohortAsync(leader.Id, cohort.Id);
        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("away-hr"), Roles.HR)).Email!);
        var path = $"/People/{leader.Id}/Unavailability";

        var refused = await RotationsApp.PostFormAsync(hr, path, new() { ["Input.From"] = "2027-05-10", ["Input.To"] = "2027-05-01", ["Input.Reason"] = "Course" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.ReadHtmlAsync();
        Assert.Contains("ends before it begins", page.QuerySelector("#to-error")!.Text());
        Assert.Equal("Course", page.QuerySelector("#Input_Reason")!.GetAttribute("value"));
        Assert.False(await app.WithDbAsync(db => db.Unavailability.AnyAsync(u => u.PersonId == leader.Id)));

        var added = await RotationsApp.PostFormAsync(hr, path, new() { ["Input.From"] = "2027-05-01", ["Input.To"] = "2027-05-31", ["Input.Reason"] = "Course" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var list = await (await hr.GetAsync(path)).ReadHtmlAsync();
        Assert.Contains("1 – 31 May 2027", list.QuerySelector("#periods")!.Text());
        var period = await app.WithDbAsync(db => db.Unavailability.SingleAsync(u => u.PersonId == leader.Id));

        var removed = await RotationsApp.PostFormAsync(hr, $"{path}?handler=Remove&periodId={period.Id}", [], formPath: path);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Unavailability.AnyAsync(u => u.PersonId == leader.Id)));

        var other = await app.LeaderAsync("away-other");
        var browser = await app.SignInAsync(other.Email!);
        Assert.Equal("/Account/AccessDenied", (await browser.GetAsync(path)).RedirectPath());
        Assert.Equal(HttpStatusCode.NotFound, (await hr.GetAsync($"/People/{Guid.NewGuid()}/Unavailability")).StatusCode);
    }
}
