using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.People;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using static Rotations.Tests.Account.AccountEmailKit;

namespace Rotations.Tests.Account;

/// <summary>A person created without a password is invited by email, and the link lets them choose one, once.</summary>
public sealed class InvitationTests(PeopleApp app) : IClassFixture<PeopleApp>
{
    private async Task<PersonDtoLite> CreateThroughApiAsync(HttpClient hr, string? initialPassword = null)
    {
        var email = TestData.UniqueEmail("invitee");
        var response = await hr.PostJsonAsync("/api/v1/people", new { email, displayName = "Ivy Invitee", roles = new[] { Roles.Host }, initialPassword });
        var person = await response.ReadPersonAsync();
        return new PersonDtoLite(person.Id, email);
    }

    private sealed record PersonDtoLite(Guid Id, string Email);

    [Fact]
    public async Task CreatingAPersonWithoutPassword_ThroughTheApi_QueuesExactlyOneInvitation()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);

        var invited = await CreateThroughApiAsync(hr);
        var withPassword = await CreateThroughApiAsync(hr, "a password chosen by HR");

        var rows = await app.OutboxAsync(invited.Id);
        var row = Assert.Single(rows);
        Assert.Equal((EmailKind.Invitation, EmailStatus.Pending, invited.Email), (row.Kind, row.Status, row.ToAddress));
        Assert.Matches("^<[0-9a-f]{32}@localhost>$", row.MessageId); // the sender's domain (ROTATIONS_MAIL_FROM)
        Assert.Empty(await app.OutboxAsync(withPassword.Id));
    }

    [Fact]
    public async Task CreatingAPersonWithoutPassword_OnThePage_QueuesExactlyOneInvitationAndSaysSo()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var email = TestData.UniqueEmail("paged");

        var response = await RotationsApp.PostFormAsync(hr, "/People/Edit", new()
        {
            ["Input.Email"] = email, ["Input.DisplayName"] = "Paige Paged", ["Input.Roles"] = Roles.Host, ["Input.TimeZone"] = "Europe/Paris",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var person = (await app.FindPersonAsync(email))!;
        Assert.Equal(EmailKind.Invitation, Assert.Single(await app.OutboxAsync(person.Id)).Kind);
        var page = await (await hr.GetAsync(response.Headers.Location!.OriginalString)).ReadHtmlAsync();
        Assert.Contains($"An invitation to choose a password is on its way to {email}", page.QuerySelector(".alert--success")!.Text());
    }

    [Fact]
    public async Task CsvImport_QueuesOneInvitationPerNewPerson_AndNoneOnADryRunOrAReimport()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var (a, b) = (TestData.UniqueEmail("csv.a"), TestData.UniqueEmail("csv.b"));
        var csv = $"email,displayName,roles\n{a},Ada Csv,Host\n{b},Bo Csv,Manager\n";
        StringContent Body() => new(csv, Encoding.UTF8, "text/csv");

        var before = await app.OutboxCountAsync();
        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsync("/api/v1/people/import?dryRun=true", Body())).StatusCode);
        Assert.Equal(before, await app.OutboxCountAsync());

        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsync("/api/v1/people/import?dryRun=false", Body())).StatusCode);
        foreach (var email in new[] { a, b })
        {
            var person = (await app.FindPersonAsync(email))!;
            var row = Assert.Single(await app.OutboxAsync(person.Id));
            Assert.Equal((EmailKind.Invitation, email), (row.Kind, row.ToAddress));
        }

        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsync("/api/v1/people/import?dryRun=false", Body())).StatusCode);
        Assert.Equal(before + 2, await app.OutboxCountAsync());
    }

    [Fact]
    public async Task TheInvitationLink_SetsThePasswordConfirmsTheEmailAndSignsIn_AndWorksOnlyOnce()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var invited = await CreateThroughApiAsync(hr);
        var link = await app.LatestLinkAsync(invited.Id, EmailKind.Invitation);
        Assert.StartsWith($"/Account/SetPassword?person={invited.Id}&token=", link);

        var browser = app.CreateBrowser();
        var done = await SubmitLinkAsync(browser, link, NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/", done.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        var stored = (await app.FindPersonAsync(invited.Email))!;
        Assert.True(stored.EmailConfirmed);
        await app.SignInAsync(invited.Email, NewPassword);

        var again = await app.CreateBrowser().GetAsync(link);
        Assert.Contains(PasswordLinks.LinkInvalidMessage, await again.AuthCardTextAsync());
        Assert.Null((await again.ReadHtmlAsync()).QuerySelector("input[name='Input.NewPassword']"));
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityKey == invited.Id.ToString() && a.Action == "PasswordSet" && a.ActorId == invited.Id)));
    }

    [Fact]
    public async Task TheInvitationFormOpenedTwice_OnlyTheFirstSubmissionSetsThePassword()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var invited = await CreateThroughApiAsync(hr);
        var link = await app.LatestLinkAsync(invited.Id, EmailKind.Invitation);
        // Two devices open the link before either submits it.
        var (first, second) = (app.CreateBrowser(), app.CreateBrowser());
        var forms = new List<Dictionary<string, string>>();
        foreach (var browser in new[] { first, second })
        {
            var page = await (await browser.GetAsync(link)).Content.ReadAsStringAsync();
            forms.Add(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = RotationsApp.AntiforgeryToken(page)!,
                ["person"] = invited.Id.ToString(),
                ["token"] = Uri.UnescapeDataString(link.Split("token=")[1]),
            });
        }
        forms[0]["Input.NewPassword"] = forms[0]["Input.ConfirmPassword"] = NewPassword;
        forms[1]["Input.NewPassword"] = forms[1]["Input.ConfirmPassword"] = "someone else's passphrase";

        Assert.Equal(HttpStatusCode.Redirect, (await first.PostAsync("/Account/SetPassword", new FormUrlEncodedContent(forms[0]))).StatusCode);
        var late = await second.PostAsync("/Account/SetPassword", new FormUrlEncodedContent(forms[1]));

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains(PasswordLinks.LinkInvalidMessage, await late.AuthCardTextAsync());
        await app.SignInAsync(invited.Email, NewPassword);
    }

    [Fact]
    public async Task AnInvitationLink_StillWorksAfterTwoHoursAndAnHrEdit_ButNotAfterSevenDays()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var invited = await CreateThroughApiAsync(hr);
        var link = await app.LatestLinkAsync(invited.Id, EmailKind.Invitation);
        // HR gives the new person another role: that rotates their security stamp, which must not break the invitation.
        var current = await (await hr.GetAsync($"/api/v1/people/{invited.Id}")).ReadPersonAsync();
        var edited = await hr.PutPersonAsync(invited.Id, current.AsRequest() with { Roles = [Roles.Host, Roles.Manager] }, $"\"{current.Version}\"");
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(3));
        try
        {
            Assert.NotNull((await (await app.CreateBrowser().GetAsync(link)).ReadHtmlAsync()).QuerySelector("input[name='Input.NewPassword']"));
            app.Clock.Advance(TimeSpan.FromDays(7));
            var expired = await SubmitExpectingNoFormAsync(link);
            Assert.Contains(PasswordLinks.LinkInvalidMessage, expired);
        }
        finally { app.Clock.Advance(-TimeSpan.FromDays(7) - TimeSpan.FromHours(3)); }
        Assert.Null((await app.FindPersonAsync(invited.Email))!.PasswordHash);
    }

    private async Task<string> SubmitExpectingNoFormAsync(string link)
    {
        var response = await app.CreateBrowser().GetAsync(link);
        Assert.Null((await response.ReadHtmlAsync()).QuerySelector("input[name='Input.NewPassword']"));
        return await response.AuthCardTextAsync();
    }

    [Fact]
    public async Task AToken_ForOnePerson_DoesNotOpenAnotherPersonsInvitation()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var first = await CreateThroughApiAsync(hr);
        var second = await CreateThroughApiAsync(hr);
        var link = await app.LatestLinkAsync(first.Id, EmailKind.Invitation);

        var forged = link.Replace(first.Id.ToString(), second.Id.ToString());

        Assert.Contains(PasswordLinks.LinkInvalidMessage, await SubmitExpectingNoFormAsync(forged));
        Assert.Contains(PasswordLinks.LinkInvalidMessage, await SubmitExpectingNoFormAsync("/Account/SetPassword?person=" + first.Id + "&token=nonsense"));
    }

    [Fact]
    public async Task ATooShortPassword_IsRefusedBesideTheField_AndTheLinkStillWorks()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var invited = await CreateThroughApiAsync(hr);
        var link = await app.LatestLinkAsync(invited.Id, EmailKind.Invitation);

        var refused = await SubmitLinkAsync(app.CreateBrowser(), link, "too short");
        var mismatch = await SubmitLinkAsync(app.CreateBrowser(), link, NewPassword, "not the same passphrase");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Matches("data-valmsg-for=\"Input.NewPassword\"[^>]*>Passwords must be at least 12 characters.", await refused.Content.ReadAsStringAsync());
        Assert.Matches("data-valmsg-for=\"Input.ConfirmPassword\"[^>]*>The two passwords are not the same.", await mismatch.Content.ReadAsStringAsync());
        Assert.DoesNotContain("too short", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await SubmitLinkAsync(app.CreateBrowser(), link, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task TheComposer_CancelsAnInvitation_ForSomeoneWithAPasswordOrDeactivatedOrAtAnotherAddress()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var accepted = await CreateThroughApiAsync(hr);
        var deactivated = await CreateThroughApiAsync(hr);
        var moved = await CreateThroughApiAsync(hr);
        var acceptedRow = Assert.Single(await app.OutboxAsync(accepted.Id));
        Assert.Equal(HttpStatusCode.Redirect, (await SubmitLinkAsync(app.CreateBrowser(), await app.LatestLinkAsync(accepted.Id, EmailKind.Invitation), NewPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsync($"/api/v1/people/{deactivated.Id}/deactivate", null)).StatusCode);
        var current = await (await hr.GetAsync($"/api/v1/people/{moved.Id}")).ReadPersonAsync();
        Assert.Equal(HttpStatusCode.OK, (await hr.PutPersonAsync(moved.Id, current.AsRequest() with { Email = TestData.UniqueEmail("moved") }, "*")).StatusCode);

        Assert.Null(await app.ComposeAsync(acceptedRow));
        Assert.Null(await app.ComposeAsync(Assert.Single(await app.OutboxAsync(deactivated.Id))));
        Assert.Null(await app.ComposeAsync(Assert.Single(await app.OutboxAsync(moved.Id))));
    }

    [Fact]
    public async Task TheEmail_HasPlainTextAndEncodedHtml()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var email = TestData.UniqueEmail("html");
        var created = await (await hr.PostJsonAsync("/api/v1/people", new { email, displayName = "<b>Bold</b> & Co", roles = new[] { Roles.Host } })).ReadPersonAsync();

        var composed = (await app.ComposeAsync(Assert.Single(await app.OutboxAsync(created.Id))))!;

        Assert.Contains("Hello <b>Bold</b> & Co,", composed.Text);
        Assert.Contains("&lt;b&gt;Bold&lt;/b&gt; &amp; Co", composed.Html);
        Assert.DoesNotContain("<b>Bold", composed.Html);
        Assert.Contains("7 days", composed.Text);
    }

    [Fact]
    public async Task HrResendsAnInvitation_FromTheApiAndThePage_ButNotToSomeoneWithAPassword()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var (_, leader) = await app.ApiPersonAsync("leader", Roles.Leader);
        var invited = await CreateThroughApiAsync(hr);
        var withPassword = await CreateThroughApiAsync(hr, "a password chosen by HR");

        Assert.Equal(HttpStatusCode.Accepted, (await hr.PostAsync($"/api/v1/people/{invited.Id}/invitation", null)).StatusCode);
        var refused = await hr.PostAsync($"/api/v1/people/{withPassword.Id}/invitation", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("has a password already", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsync($"/api/v1/people/{invited.Id}/invitation", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hr.PostAsync($"/api/v1/people/{Guid.NewGuid()}/invitation", null)).StatusCode);

        var (_, hrPage) = await app.SignedInAsync("hr.page", Roles.HR);
        var editPage = await (await hrPage.GetAsync($"/People/Edit/{invited.Id}")).ReadHtmlAsync();
        Assert.NotNull(editPage.QuerySelector("form[action$='handler=Invite'] button"));
        var posted = await RotationsApp.PostFormAsync(hrPage, $"/People/Edit/{invited.Id}?handler=Invite", new(), $"/People/Edit/{invited.Id}");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        var rows = await app.OutboxAsync(invited.Id);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(EmailKind.Invitation, r.Kind));
        Assert.Empty(await app.OutboxAsync(withPassword.Id));
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.EntityKey == invited.Id.ToString() && a.Action == "InvitationSent")));
        // Each resent email carries a link of its own that works.
        Assert.Equal(HttpStatusCode.Redirect, (await SubmitLinkAsync(app.CreateBrowser(), await app.LatestLinkAsync(invited.Id, EmailKind.Invitation), NewPassword)).StatusCode);
    }
}
