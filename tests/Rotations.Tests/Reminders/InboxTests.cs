using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using static Rotations.Tests.Support.ReminderTestData;

namespace Rotations.Tests.Reminders;

/// <summary>The in-app inbox: the page, the unread count in the navigation, mark as read, and the API — each person their own.</summary>
public sealed class InboxTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private async Task<(Person Lena, HttpClient LenaApi, Person Other, HttpClient OtherApi, Guid StintId)> ArrangeAsync(DateOnly start)
    {
        // The clock first: tokens and cookies are issued on it.
        app.Clock.Set(Utc(start.Year, start.Month, start.Day, 12).AddDays(-1));
        var (lena, lenaApi) = await app.ApiPersonAsync("lena", Roles.Leader);
        var (other, otherApi) = await app.ApiPersonAsync("otto", Roles.Leader);
        var tour = await app.NewTourAsync();
        var stint = await app.StintAsync(lena.Id, tour.Id, null, start, start.AddDays(11));
        await app.StintAsync(other.Id, tour.Id, null, start.AddDays(60), start.AddDays(71));
        await app.SweepAtAsync(Utc(start.Year, start.Month, start.Day, 12).AddDays(-1)); // the one-day-before reminder, in London
        return (lena, lenaApi, other, otherApi, stint.Id);
    }

    [Fact]
    public async Task The_api_lists_only_the_callers_notifications_newest_first_and_marks_them_read()
    {
        var (lena, api, _, otherApi, stintId) = await ArrangeAsync(new(2029, 1, 15));
        var list = await (await api.GetAsync("/api/v1/me/notifications")).ReadJsonAsync();
        var item = Assert.Single(list.EnumerateArray(), n => n.GetProperty("stintId").GetGuid() == stintId && n.GetProperty("kind").GetString() == "StintStartsSoon");
        Assert.Equal(JsonValueKind.Null, item.GetProperty("readAt").ValueKind);
        Assert.Contains("starts tomorrow", item.GetProperty("summary").GetString());
        Assert.Equal($"/Stints/{stintId}", item.GetProperty("link").GetString());
        Assert.True(item.TryGetProperty("createdAt", out _));
        // The 14-day reminder fell due more than a week before the first sweep: recorded as dropped, not in the inbox.
        Assert.Equal(1, await app.WithDbAsync(db => db.Notifications.CountAsync(n => n.StintId == stintId && n.DroppedAt != null)));
        Assert.DoesNotContain(list.EnumerateArray(), n => n.GetProperty("kind").GetString() == "UpcomingStint");

        var id = item.GetProperty("id").GetGuid();
        Assert.DoesNotContain((await (await otherApi.GetAsync("/api/v1/me/notifications")).ReadJsonAsync()).EnumerateArray(),
            n => n.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.PostAsync($"/api/v1/me/notifications/{id}/read", null)).StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.Notifications.Where(n => n.Id == id).Select(n => n.ReadAt).SingleAsync()));

        var before = (await (await api.GetAsync("/api/v1/me/notifications/unread-count")).ReadJsonAsync()).GetProperty("count").GetInt32();
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/v1/me/notifications/{id}/read", null)).StatusCode);
        var after = (await (await api.GetAsync("/api/v1/me/notifications/unread-count")).ReadJsonAsync()).GetProperty("count").GetInt32();
        Assert.Equal(before - 1, after);
        var unread = await (await api.GetAsync("/api/v1/me/notifications?unreadOnly=true")).ReadJsonAsync();
        Assert.DoesNotContain(unread.EnumerateArray(), n => n.GetProperty("id").GetGuid() == id);

        // The item stays, worded from the stint as it is now.
        await app.WithDbAsync(db => db.Stints.Where(s => s.Id == stintId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.CancelledAt, app.Clock.GetUtcNow()).SetProperty(s => s.CancelReason, "Moved roles")));
        var reworded = await (await api.GetAsync("/api/v1/me/notifications")).ReadJsonAsync();
        Assert.StartsWith("This stint has since been cancelled.",
            reworded.EnumerateArray().Single(n => n.GetProperty("id").GetGuid() == id).GetProperty("summary").GetString());
    }

    [Fact]
    public async Task A_bad_take_is_a_problem_naming_the_field()
    {
        var (_, api, _, _, _) = await ArrangeAsync(new(2029, 2, 12));
        var response = await api.GetAsync("/api/v1/me/notifications?take=5000");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("take", out _));
    }

    [Fact]
    public async Task The_page_shows_the_inbox_the_navigation_counts_unread_and_read_all_clears_it()
    {
        var start = new DateOnly(2029, 3, 12);
        app.Clock.Set(Utc(2029, 3, 11, 12));
        var lena = await app.LeaderAsync("lena");
        var tour = await app.NewTourAsync();
        await app.StintAsync(lena.Id, tour.Id, null, start, start.AddDays(4));
        await app.SweepAtAsync(Utc(2029, 3, 11, 12));
        var browser = await app.SignInAsync(lena.Email!);

        var page = await (await browser.GetAsync("/Inbox")).ReadHtmlAsync();
        Assert.Contains($"Starting soon: {lena.DisplayName} in Test tour", page.QuerySelector(".inbox-list")!.TextContent);
        Assert.Equal("1", page.QuerySelector(".main-nav .nav-count")!.TextContent.Trim());

        var home = await (await browser.GetAsync("/")).ReadHtmlAsync();
        Assert.Equal("1", home.QuerySelector(".main-nav .nav-count")!.TextContent.Trim());

        var done = await RotationsApp.PostFormAsync(browser, "/Inbox?handler=ReadAll", [], formPath: "/Inbox");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/Inbox", done.RedirectPath());
        var again = await (await browser.GetAsync("/Inbox")).ReadHtmlAsync();
        Assert.Equal("Marked 1 notification read.", again.QuerySelector(".alert--success")?.TextContent);
        Assert.Null(again.QuerySelector(".main-nav .nav-count"));
        Assert.Null(again.QuerySelector(".inbox-item--unread"));
        Assert.Contains("Nothing unread", again.QuerySelector(".page-head")!.TextContent);
    }

    [Fact]
    public async Task Opening_a_notification_marks_it_read_and_goes_to_the_stint_but_not_someone_elses()
    {
        var (lena, _, other, _, stintId) = await ArrangeAsync(new(2029, 4, 16));
        var id = await app.WithDbAsync(db => db.Notifications.Where(n => n.StintId == stintId && n.DroppedAt == null).Select(n => n.Id).SingleAsync());
        var intruder = await app.SignInAsync(other.Email!);
        var refused = await RotationsApp.PostFormAsync(intruder, $"/Inbox?handler=Open&id={id}", [], formPath: "/Inbox");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);

        var browser = await app.SignInAsync(lena.Email!);
        var open = await RotationsApp.PostFormAsync(browser, $"/Inbox?handler=Open&id={id}", [], formPath: "/Inbox");
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal($"/Stints/{stintId}", open.RedirectPath());
        Assert.NotNull(await app.WithDbAsync(db => db.Notifications.Where(n => n.Id == id).Select(n => n.ReadAt).SingleAsync()));
    }

    [Fact]
    public async Task Anonymous_callers_get_nothing()
    {
        var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me/notifications")).StatusCode);
        var browser = app.CreateBrowser();
        var page = await browser.GetAsync("/Inbox");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/Login", page.RedirectPath());
    }
}
