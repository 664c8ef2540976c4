using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.People;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using static Rotations.Tests.Account.AccountEmailKit;

namespace Rotations.Tests.Account;

/// <summary>"Forgot password": the same answer for everyone, one email per few minutes, a link that works once and expires.</summary>
public sealed class PasswordResetTests(PeopleApp app) : IClassFixture<PeopleApp>
{
    private static async Task<HttpResponseMessage> ForgotAsync(string email, HttpClient client) =>
        await RotationsApp.PostFormAsync(client, "/Account/ForgotPassword", new() { ["Input.Email"] = email });

    private Task<HttpResponseMessage> ForgotAsync(string email) => ForgotAsync(email, app.CreateBrowser());

    [Fact]
    public async Task TheLoginPage_LinksToForgotPassword()
    {
        var login = await (await app.CreateBrowser().GetAsync("/Account/Login")).ReadHtmlAsync();
        Assert.NotNull(login.QuerySelector("a[href='/Account/ForgotPassword']"));
    }

    [Fact]
    public async Task AnUnknownAddress_GetsTheSameAnswerAsAKnownOne_AndNothingIsWritten()
    {
        var known = await app.CreatePersonAsync(TestData.UniqueEmail("known"));
        var unknown = TestData.UniqueEmail("nobody");

        var before = await app.OutboxCountAsync();
        var forUnknown = await ForgotAsync(unknown);
        Assert.Equal(before, await app.OutboxCountAsync());
        var forKnown = await ForgotAsync(known.Email!);

        Assert.Equal(HttpStatusCode.OK, forUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forKnown.StatusCode);
        var (a, b) = (await forUnknown.AuthCardTextAsync(), await forKnown.AuthCardTextAsync());
        Assert.Contains("If an account exists for", a);
        Assert.Equal(a.Replace(unknown, "ADDRESS"), b.Replace(known.Email!, "ADDRESS"));
        Assert.Equal(before + 1, await app.OutboxCountAsync());
    }

    [Fact]
    public async Task AKnownPerson_GetsOneResetEmail_AndNoSecondWithinFiveMinutes()
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("forgetful"));

        await ForgotAsync(person.Email!);
        await ForgotAsync(person.Email!.ToUpperInvariant());
        app.Clock.Advance(TimeSpan.FromMinutes(4));
        try
        {
            await ForgotAsync(person.Email!);
            var row = Assert.Single(await app.OutboxAsync(person.Id));
            Assert.Equal((EmailKind.PasswordReset, person.Email), (row.Kind, row.ToAddress));

            app.Clock.Advance(TimeSpan.FromMinutes(2));
            await ForgotAsync(person.Email!);
            Assert.Equal(2, (await app.OutboxAsync(person.Id)).Count);
        }
        finally { app.Clock.Advance(-TimeSpan.FromMinutes(6)); }
    }

    [Fact]
    public async Task AnInvitedPersonWithoutPassword_IsSentTheInvitationAgain()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var email = TestData.UniqueEmail("never.set");
        var created = await (await hr.PostJsonAsync("/api/v1/people", new { email, displayName = "Nev Er", roles = new[] { Roles.Host } })).ReadPersonAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        try
        {
            await ForgotAsync(email);
        }
        finally { app.Clock.Advance(-TimeSpan.FromMinutes(10)); }

        var rows = await app.OutboxAsync(created.Id);
        Assert.Equal([EmailKind.Invitation, EmailKind.Invitation], rows.Select(r => r.Kind));
    }

    [Fact]
    public async Task ADeactivatedPerson_GetsNothing_AndAResetQueuedBeforeIsCancelled()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("leaving"));
        await ForgotAsync(person.Email!);
        var queued = Assert.Single(await app.OutboxAsync(person.Id));

        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsync($"/api/v1/people/{person.Id}/deactivate", null)).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        try
        {
            var answer = await ForgotAsync(person.Email!);
            Assert.Contains("If an account exists for", await answer.AuthCardTextAsync());
        }
        finally { app.Clock.Advance(-TimeSpan.FromMinutes(10)); }

        Assert.Single(await app.OutboxAsync(person.Id));
        Assert.Null(await app.ComposeAsync(queued));
    }

    [Fact]
    public async Task TheResetLink_SetsANewPasswordOnce_ThenSaysItExpiredOrWasUsed()
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("resetter"));
        await ForgotAsync(person.Email!);
        var link = await app.LatestLinkAsync(person.Id, EmailKind.PasswordReset);
        Assert.StartsWith($"/Account/ResetPassword?person={person.Id}&token=", link);

        var done = await SubmitLinkAsync(app.CreateBrowser(), link, NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/Account/Login", done.Headers.Location!.OriginalString);
        await app.SignInAsync(person.Email!, NewPassword);
        var old = await RotationsApp.PostFormAsync(app.CreateBrowser(), "/Account/Login",
            new() { ["Input.Email"] = person.Email!, ["Input.Password"] = RotationsApp.Password });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);

        var again = await app.CreateBrowser().GetAsync(link);
        Assert.Contains(PasswordLinks.LinkInvalidMessage, await again.AuthCardTextAsync());
        Assert.NotNull((await again.ReadHtmlAsync()).QuerySelector("a[href='/Account/ForgotPassword']"));
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityKey == person.Id.ToString() && a.Action == "PasswordReset")));
    }

    [Fact]
    public async Task TheResetLink_ExpiresAfterTwoHours()
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("slow"));
        await ForgotAsync(person.Email!);
        var link = await app.LatestLinkAsync(person.Id, EmailKind.PasswordReset);

        app.Clock.Advance(TimeSpan.FromMinutes(110));
        try
        {
            Assert.NotNull((await (await app.CreateBrowser().GetAsync(link)).ReadHtmlAsync()).QuerySelector("input[name='Input.NewPassword']"));
            app.Clock.Advance(TimeSpan.FromMinutes(11));
            var expired = await app.CreateBrowser().GetAsync(link);
            Assert.Contains(PasswordLinks.LinkInvalidMessage, await expired.AuthCardTextAsync());
        }
        finally { app.Clock.Advance(-TimeSpan.FromMinutes(121)); }
    }

    [Fact]
    public async Task AResetLink_IsNoInvitation_AndAnInvitationIsNoResetLink()
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("crossed"));
        await ForgotAsync(person.Email!);
        var reset = await app.LatestLinkAsync(person.Id, EmailKind.PasswordReset);

        var asInvitation = await app.CreateBrowser().GetAsync(reset.Replace("/Account/ResetPassword", "/Account/SetPassword"));

        Assert.Contains(PasswordLinks.LinkInvalidMessage, await asInvitation.AuthCardTextAsync());
    }

    [Fact]
    public async Task ResettingThePassword_LiftsALockout()
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("locked"));
        for (var i = 0; i < 5; i++)
            await RotationsApp.PostFormAsync(app.CreateBrowser(), "/Account/Login",
                new() { ["Input.Email"] = person.Email!, ["Input.Password"] = "not the password at all" });
        Assert.NotNull((await app.FindPersonAsync(person.Email!))!.LockoutEnd);

        await ForgotAsync(person.Email!);
        var done = await SubmitLinkAsync(app.CreateBrowser(), await app.LatestLinkAsync(person.Id, EmailKind.PasswordReset), NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var stored = (await app.FindPersonAsync(person.Email!))!;
        Assert.Equal((null, 0), (stored.LockoutEnd, stored.AccessFailedCount));
        await app.SignInAsync(person.Email!, NewPassword);
    }

    [Fact]
    public async Task ABadAddress_IsNamedBesideTheField_AndKeptAsTyped()
    {
        var response = await ForgotAsync("not-an-address");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Matches("data-valmsg-for=\"Input.Email\"[^>]*>Enter a valid email address", html);
        Assert.Equal("not-an-address", (await response.ReadHtmlAsync()).QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Input_Email")!.Value);
    }

    [Fact]
    public async Task ThePages_RefuseAPostWithoutTheAntiforgeryToken_EvenWithAGoodLink()
    {
        var (_, hr) = await app.ApiPersonAsync("hr", Roles.HR);
        var invitedEmail = TestData.UniqueEmail("csrf.invited");
        var invited = await (await hr.PostJsonAsync("/api/v1/people", new { email = invitedEmail, displayName = "Cee Surf", roles = new[] { Roles.Host } })).ReadPersonAsync();
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("csrf"));
        await ForgotAsync(person.Email!);
        var links = new[] { await app.LatestLinkAsync(invited.Id, EmailKind.Invitation), await app.LatestLinkAsync(person.Id, EmailKind.PasswordReset) };
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        try
        {
            var before = await app.OutboxCountAsync();
            var forgot = await app.CreateBrowser().PostAsync("/Account/ForgotPassword",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = person.Email! }));
            Assert.Equal(HttpStatusCode.BadRequest, forgot.StatusCode);
            Assert.Equal(before, await app.OutboxCountAsync());

            foreach (var link in links)
            {
                var query = System.Web.HttpUtility.ParseQueryString(link.Split('?')[1]);
                var response = await app.CreateBrowser().PostAsync(link.Split('?')[0], new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["person"] = query["person"]!, ["token"] = query["token"]!,
                    ["Input.NewPassword"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword,
                }));
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                // Refused before the page ran: the link itself still works.
                Assert.NotNull((await (await app.CreateBrowser().GetAsync(link)).ReadHtmlAsync()).QuerySelector("input[name='Input.NewPassword']"));
            }
        }
        finally { app.Clock.Advance(-TimeSpan.FromMinutes(10)); }
        Assert.Null((await app.FindPersonAsync(invitedEmail))!.PasswordHash);
        await app.SignInAsync(person.Email!);
    }
}
