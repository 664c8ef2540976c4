using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Reminders;

/// <summary>HR and Admin change the reminder rhythm on a page or through the API; nobody else can.</summary>
public sealed class ReminderSettingsTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static object Body(int first = 14, int second = 1, int mid = 4, int overdue = 7, int escalation = 14, int hour = 9, string day = "Monday") =>
        new { upcomingFirstDays = first, upcomingSecondDays = second, midpointMinWeeks = mid, overdueDays = overdue, escalationDays = escalation, sendHour = hour, digestDay = day };

    [Fact]
    public async Task Hr_changes_the_rhythm_through_the_api_with_if_match_and_bad_values_name_their_field()
    {
        var hr = await app.HrApiAsync();
        var get = await hr.GetAsync("/api/v1/reminder-settings");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var etag = get.Headers.ETag!.Tag;

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await hr.PutAsJsonAsync("/api/v1/reminder-settings", Body())).StatusCode);

        var bad = new HttpRequestMessage(HttpMethod.Put, "/api/v1/reminder-settings") { Content = JsonContent.Create(Body(second: 20, hour: 24, escalation: 5)) };
        bad.Headers.IfMatch.Add(new(etag));
        var refused = await hr.SendAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.ReadJsonAsync()).GetProperty("errors");
        Assert.Contains("after the first", errors.GetProperty("upcomingSecondDays")[0].GetString());
        Assert.Contains("between 0 and 23", errors.GetProperty("sendHour")[0].GetString());
        Assert.Contains("after the overdue", errors.GetProperty("escalationDays")[0].GetString());
        Assert.Equal(9, await app.WithDbAsync(db => db.ReminderSettings.Select(s => s.SendHour).SingleAsync()));

        var good = new HttpRequestMessage(HttpMethod.Put, "/api/v1/reminder-settings") { Content = JsonContent.Create(Body(first: 21, hour: 8, day: "Friday")) };
        good.Headers.IfMatch.Add(new(etag));
        var saved = await hr.SendAsync(good);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var json = await saved.ReadJsonAsync();
        Assert.Equal(21, json.GetProperty("upcomingFirstDays").GetInt32());
        Assert.Equal("Friday", json.GetProperty("digestDay").GetString());

        var stale = new HttpRequestMessage(HttpMethod.Put, "/api/v1/reminder-settings") { Content = JsonContent.Create(Body()) };
        stale.Headers.IfMatch.Add(new(etag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await hr.SendAsync(stale)).StatusCode);

        // Put things back for the other tests in this class.
        var reset = new HttpRequestMessage(HttpMethod.Put, "/api/v1/reminder-settings") { Content = JsonContent.Create(Body()) };
        reset.Headers.TryAddWithoutValidation("If-Match", "*");
        Assert.Equal(HttpStatusCode.OK, (await hr.SendAsync(reset)).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == "ReminderSettings")));
    }

    [Fact]
    public async Task Only_hr_and_admin_reach_the_settings()
    {
        var (_, leader) = await app.ApiPersonAsync("lena", Roles.Leader);
        var (_, manager) = await app.ApiPersonAsync("mo", Roles.Manager, Roles.Host);
        var (_, admin) = await app.ApiPersonAsync("ada", Roles.Admin);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync("/api/v1/reminder-settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PutAsJsonAsync("/api/v1/reminder-settings", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/reminder-settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/reminder-settings")).StatusCode);

        var leaderPerson = await app.LeaderAsync("lea");
        var browser = await app.SignInAsync(leaderPerson.Email!);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/Reminders/Settings")).StatusCode); // to access denied
    }

    [Fact]
    public async Task The_page_keeps_what_was_typed_and_shows_the_message_beside_the_field()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hana"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);
        var page = await (await browser.GetAsync("/Reminders/Settings")).ReadHtmlAsync();
        var version = page.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!;
        var fields = new Dictionary<string, string>
        {
            ["Input.Version"] = version, ["Input.UpcomingFirstDays"] = "10", ["Input.UpcomingSecondDays"] = "12",
            ["Input.MidpointMinWeeks"] = "four", ["Input.OverdueDays"] = "7", ["Input.EscalationDays"] = "14",
            ["Input.SendHour"] = "9", ["Input.DigestDay"] = "Monday",
        };
        var response = await RotationsApp.PostFormAsync(browser, "/Reminders/Settings", fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.ReadHtmlAsync();
        Assert.Equal("10", html.QuerySelector("input[name='Input.UpcomingFirstDays']")!.GetAttribute("value"));
        Assert.Contains("after the first", html.QuerySelector("#second-error")!.TextContent);
        Assert.Contains("whole number", html.QuerySelector("#mid-error")!.TextContent);
        Assert.Equal(14, await app.WithDbAsync(db => db.ReminderSettings.Select(s => s.UpcomingFirstDays).SingleAsync()));

        fields["Input.UpcomingSecondDays"] = "2";
        fields["Input.MidpointMinWeeks"] = "4";
        var saved = await RotationsApp.PostFormAsync(browser, "/Reminders/Settings", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(10, await app.WithDbAsync(db => db.ReminderSettings.Select(s => s.UpcomingFirstDays).SingleAsync()));
        await app.WithDbAsync(db => db.ReminderSettings.ExecuteUpdateAsync(u => u.SetProperty(s => s.UpcomingFirstDays, 14).SetProperty(s => s.UpcomingSecondDays, 1)));
    }
}
