using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.People;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;

namespace Rotations.Tests.Notifications;

/// <summary>Each person chooses which reminders also come by email; only their own, through "me".</summary>
public sealed class EmailPreferencesTests(PeopleApp app) : IClassFixture<PeopleApp>
{
    private const string Path = "/api/v1/me/email-preferences";

    private static async Task<Dictionary<string, bool>> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("kinds").EnumerateArray()
            .ToDictionary(k => k.GetProperty("kind").GetString()!, k => k.GetProperty("email").GetBoolean());
    }

    /// <summary>The person's opt-outs, in the enum's order (the database holds them as text).</summary>
    private async Task<List<NotificationKind>> OptOutsAsync(Guid personId) =>
        (await app.WithDbAsync(db => db.EmailOptOuts.Where(o => o.PersonId == personId).Select(o => o.Kind).ToListAsync())).Order().ToList();

    [Fact]
    public async Task TheApi_ListsEveryKindOn_AndRoundTripsAChange()
    {
        var (me, api) = await app.ApiPersonAsync("leader", Roles.Leader);

        var initial = await ReadAsync(await api.GetAsync(Path));
        Assert.Equal(Enum.GetNames<NotificationKind>().Order(), initial.Keys.Order());
        Assert.All(initial.Values, Assert.True);

        var put = await api.PutAsJsonAsync(Path, new { kinds = new object[] { new { kind = "UpcomingStint", email = false }, new { kind = "weeklydigest", email = false } } });
        var afterPut = await ReadAsync(put);
        Assert.False(afterPut["UpcomingStint"]);
        Assert.False(afterPut["WeeklyDigest"]);
        Assert.True(afterPut["ReflectionDue"]);
        Assert.Equal(afterPut, await ReadAsync(await api.GetAsync(Path)));
        Assert.Equal([NotificationKind.UpcomingStint, NotificationKind.WeeklyDigest], await OptOutsAsync(me.Id));

        // Kinds left out keep their setting; sending the same twice changes nothing.
        await api.PutAsJsonAsync(Path, new { kinds = new[] { new { kind = "UpcomingStint", email = true } } });
        await api.PutAsJsonAsync(Path, new { kinds = new[] { new { kind = "UpcomingStint", email = true } } });
        Assert.Equal([NotificationKind.WeeklyDigest], await OptOutsAsync(me.Id));
    }

    [Fact]
    public async Task AnUnknownKind_IsA400NamingIt_AndNothingChanges()
    {
        var (me, api) = await app.ApiPersonAsync("leader", Roles.Leader);

        var response = await api.PutAsJsonAsync(Path, new { kinds = new object[] { new { kind = "UpcomingStint", email = false }, new { kind = "Horoscope", email = false } } });

        var errors = await response.FieldErrorsAsync();
        Assert.Contains("Horoscope", Assert.Single(errors["kinds[1].kind"]));
        Assert.Empty(await OptOutsAsync(me.Id));

        var missing = await (await api.PutAsJsonAsync(Path, new { kinds = new object[] { new { kind = "UpcomingStint" } } })).FieldErrorsAsync();
        Assert.True(missing.ContainsKey("kinds[0].email"));
        Assert.True((await (await api.PutAsJsonAsync(Path, new { })).FieldErrorsAsync()).ContainsKey("kinds"));
    }

    [Fact]
    public async Task PreferencesAreAlwaysTheCallersOwn_NoOneElsesCanBeReadOrChanged()
    {
        var (other, otherApi) = await app.ApiPersonAsync("other", Roles.Leader);
        await otherApi.PutAsJsonAsync(Path, new { kinds = new[] { new { kind = "ReflectionDue", email = false } } });
        var (me, api) = await app.ApiPersonAsync("nosy", Roles.Leader, Roles.Manager);

        Assert.True((await ReadAsync(await api.GetAsync(Path)))["ReflectionDue"]);
        await api.PutAsJsonAsync(Path, new { kinds = new[] { new { kind = "ReflectionDue", email = true }, new { kind = "MidpointCheckIn", email = false } } });

        Assert.Equal([NotificationKind.ReflectionDue], await OptOutsAsync(other.Id));
        Assert.Equal([NotificationKind.MidpointCheckIn], await OptOutsAsync(me.Id));
        foreach (var path in new[] { $"{Path}/{other.Id}", $"/api/v1/people/{other.Id}/email-preferences", $"{Path}?personId={other.Id}" })
        {
            var response = await api.GetAsync(path);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed) continue;
            // Anything else answered is the caller's own, whatever the path or query names.
            var shown = await ReadAsync(response);
            Assert.True(shown["ReflectionDue"] && !shown["MidpointCheckIn"], $"{path} showed someone else's preferences");
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(Path)).StatusCode);
    }

    [Fact]
    public async Task ThePage_ShowsTheKindsForTheRolesFirst_AndSavesTicks()
    {
        var (me, browser) = await app.SignedInAsync("host", Roles.Host);

        var page = await (await browser.GetAsync("/Account/Notifications")).ReadHtmlAsync();
        var mine = page.QuerySelectorAll("section .preference-list input[type=checkbox]").Select(i => i.GetAttribute("value")).ToList();
        var others = page.QuerySelectorAll("details .preference-list input[type=checkbox]").Select(i => i.GetAttribute("value")).ToList();
        Assert.Equal(["UpcomingStint", "StintStartsSoon", "FeedbackRequested"], mine);
        Assert.Contains("WeeklyDigest", others);
        Assert.Equal(Enum.GetValues<NotificationKind>().Length, mine.Count + others.Count);
        Assert.Contains("Upcoming stint, 14 days before it starts", page.QuerySelector("label[for='kind-UpcomingStint']")!.TextContent);

        // An opt-out set through the API for a kind that stays ticked on the form is turned back on; every box not ticked is off.
        var form = Enum.GetNames<NotificationKind>().Select(k => new KeyValuePair<string, string>("Shown", k))
            .Append(new("Emailed", "UpcomingStint")).ToList();
        var token = RotationsApp.AntiforgeryToken(await (await browser.GetAsync("/Account/Notifications")).Content.ReadAsStringAsync())!;
        form.Add(new("__RequestVerificationToken", token));
        var saved = await browser.PostAsync("/Account/Notifications", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(Enum.GetValues<NotificationKind>().Where(k => k != NotificationKind.UpcomingStint).Order(), await OptOutsAsync(me.Id));
        var after = await (await browser.GetAsync("/Account/Notifications")).ReadHtmlAsync();
        Assert.Contains("saved", after.QuerySelector(".alert--success")!.TextContent);
        Assert.True(after.QuerySelector("#kind-UpcomingStint")!.HasAttribute("checked"));
        Assert.False(after.QuerySelector("#kind-FeedbackRequested")!.HasAttribute("checked"));
    }

    [Fact]
    public async Task ThePage_ChangesOnlyTheKindsItShowed()
    {
        var (me, browser) = await app.SignedInAsync("partial", Roles.Leader);
        await app.WithDbAsync(async db =>
        {
            db.EmailOptOuts.Add(new EmailOptOut { PersonId = me.Id, Kind = NotificationKind.WeeklyDigest });
            await db.SaveChangesAsync();
        });

        var saved = await RotationsApp.PostFormAsync(browser, "/Account/Notifications", new() { ["Shown"] = "ReflectionDue" });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal([NotificationKind.ReflectionDue, NotificationKind.WeeklyDigest], await OptOutsAsync(me.Id));
    }

    [Fact]
    public async Task ThePage_RefusesAPostWithoutTheAntiforgeryToken_AndTheUserMenuLinksToIt()
    {
        var (me, browser) = await app.SignedInAsync("csrf", Roles.Leader);

        var response = await browser.PostAsync("/Account/Notifications",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Shown"] = "ReflectionDue" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await OptOutsAsync(me.Id));
        var home = await (await browser.GetAsync("/")).ReadHtmlAsync();
        Assert.Equal("Email preferences", home.QuerySelector(".user-menu a[href='/Account/Notifications']")!.TextContent.Trim());
    }
}
