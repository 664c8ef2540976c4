using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Account;

public sealed class LoginTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private static string NewEmail() => $"p.{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Login_WithRightPassword_SignsInAndLandsOnHome()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email, Roles.HR);

        var client = await app.SignInAsync(email);
        var home = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var html = await home.Content.ReadAsStringAsync();
        Assert.Contains("Welcome,", html);
        Assert.Contains("tag--hr", html);
    }

    [Fact]
    public async Task Login_WrongPasswordUnknownEmailLockedOrDeactivated_AllGetTheSameMessageAndKeepTheEmail()
    {
        var wrong = NewEmail();
        await app.CreatePersonAsync(wrong);
        var locked = NewEmail();
        var lockedPerson = await app.CreatePersonAsync(locked);
        var inactive = NewEmail();
        var inactivePerson = await app.CreatePersonAsync(inactive);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
            var p = await people.FindByIdAsync(lockedPerson.Id.ToString());
            await people.SetLockoutEndDateAsync(p!, DateTimeOffset.UtcNow.AddHours(1));
            var q = await people.FindByIdAsync(inactivePerson.Id.ToString());
            q!.IsActive = false;
            await people.UpdateAsync(q);
        }

        var attempts = new[]
        {
            (wrong, "not the password at all"),
            (NewEmail(), RotationsApp.Password),
            (locked, RotationsApp.Password),
            (inactive, RotationsApp.Password),
        };
        foreach (var (email, password) in attempts)
        {
            var client = app.CreateBrowser();
            var response = await RotationsApp.PostFormAsync(client, "/Account/Login",
                new() { ["Input.Email"] = email, ["Input.Password"] = password });
            var html = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(AuthApi.SignInFailed), html);
            Assert.Contains($"value=\"{email}\"", html);
            Assert.DoesNotContain(password, html);
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        }
    }

    [Fact]
    public async Task Login_AfterFiveWrongPasswords_AccountIsLockedEvenForTheRightPassword()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email);
        for (var i = 0; i < 5; i++)
        {
            var r = await RotationsApp.PostFormAsync(app.CreateBrowser(), "/Account/Login",
                new() { ["Input.Email"] = email, ["Input.Password"] = $"wrong password {i}" });
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        var client = app.CreateBrowser();
        var response = await RotationsApp.PostFormAsync(client, "/Account/Login",
            new() { ["Input.Email"] = email, ["Input.Password"] = RotationsApp.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(AuthApi.SignInFailed), await response.Content.ReadAsStringAsync());
        await using var scope = app.Services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        Assert.True(await people.IsLockedOutAsync((await people.FindByEmailAsync(email))!));
    }

    [Fact]
    public async Task Login_WithEmptyFields_ShowsAMessageBesideEachField()
    {
        var response = await RotationsApp.PostFormAsync(app.CreateBrowser(), "/Account/Login",
            new() { ["Input.Email"] = "", ["Input.Password"] = "" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter your email address.", html);
        Assert.Contains("Enter your password.", html);
    }

    [Fact]
    public async Task Login_WithOffSiteReturnUrl_LandsOnHomeInstead()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email);
        var client = app.CreateBrowser();

        var response = await RotationsApp.PostFormAsync(client, "/Account/Login?ReturnUrl=https%3A%2F%2Fevil.example%2F",
            new() { ["Input.Email"] = email, ["Input.Password"] = RotationsApp.Password },
            formPath: "/Account/Login");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_WithLocalReturnUrl_GoesBackThere()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email);
        var client = app.CreateBrowser();

        var challenge = await client.GetAsync("/Account/ChangePassword");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith("/Account/Login?ReturnUrl=%2FAccount%2FChangePassword", challenge.Headers.Location!.PathAndQuery);

        var response = await RotationsApp.PostFormAsync(client, challenge.Headers.Location.PathAndQuery,
            new() { ["Input.Email"] = email, ["Input.Password"] = RotationsApp.Password });
        Assert.Equal("/Account/ChangePassword", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Logout_OnPost_EndsTheSession_AndOnGetOnlyAsks()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email);
        var client = await app.SignInAsync(email);

        var ask = await client.GetAsync("/Account/Logout");
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        var response = await RotationsApp.PostFormAsync(client, "/Account/Logout", new());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/Account/Login", after.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Login_PostWithoutAntiforgeryToken_IsRejected()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email);
        var response = await app.CreateBrowser().PostAsync("/Account/Login", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = RotationsApp.Password }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignOutInTheUserMenu_CarriesAnAntiforgeryTokenAndSignsOut()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email);
        var client = await app.SignInAsync(email);
        var home = await (await client.GetAsync("/")).Content.ReadAsStringAsync();

        var form = System.Text.RegularExpressions.Regex.Match(home, "<form method=\"post\" action=\"/Account/Logout\">(.*?)</form>",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(form.Success, "the layout has no sign-out form");
        var token = RotationsApp.AntiforgeryToken(form.Groups[1].Value);
        Assert.NotNull(token);

        var response = await client.PostAsync("/Account/Logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }
}
