using System.Net;
using System.Text.Json;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.People;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Audit;

namespace Rotations.Tests.Security;

/// <summary>
/// Sign-in under attack: the throttle per address and per account (429 with Retry-After, on the page and the API,
/// with the production limits), the lockout, sessions that end when their person signs out, and the audit trail of
/// it all with the UTC time, the person and the client address.
/// </summary>
public sealed class SignInSecurityTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private sealed record Answer(int Status, string Body, string? RetryAfter);

    /// <summary>The same app and database, where a test names the network peer of a request.</summary>
    private readonly Lazy<WebApplicationFactory<Program>> peers = new(() => TestPeer.On(app));

    /// <summary>POST /api/v1/auth/token as if from <paramref name="address"/>.</summary>
    private async Task<Answer> TokenFrom(string address, string email, string password)
    {
        var client = peers.Value.CreateClient();
        client.DefaultRequestHeaders.Add(TestPeer.Header, address);
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("Retry-After", out var values) ? values.First() : null);
    }

    private Task<List<AuditEntry>> SignInEntriesAsync(Func<AuditEntry, bool> which) =>
        app.WithDbAsync(async db => (await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == AuditEvents.SignIn).ToListAsync()).Where(which).ToList());

    [Fact]
    public async Task An_account_is_throttled_after_ten_failures_from_any_addresses_even_one_that_does_not_exist()
    {
        var email = TestData.UniqueEmail("no.such.person");
        for (var i = 1; i <= 10; i++)
        {
            var a = await TokenFrom($"198.51.100.{i}", email, "not the password");
            Assert.True(a.Status == 401, a.Body);
        }

        var refused = await TokenFrom("198.51.100.77", email, "not the password");
        Assert.Equal(429, refused.Status);
        using var problem = JsonDocument.Parse(refused.Body);
        Assert.Equal("Too many sign-in attempts", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains("Try again in 15 minutes", problem.RootElement.GetProperty("detail").GetString());
        Assert.InRange(int.Parse(refused.RetryAfter!), 850, 900);

        // The throttle is the account's: another account from the last address is judged on its own.
        Assert.Equal(401, (await TokenFrom("198.51.100.77", TestData.UniqueEmail("someone.else"), "nope")).Status);
        var entries = await SignInEntriesAsync(a => a.Label == email);
        Assert.Equal(10, entries.Count(a => a.Action == "SignInFailed"));
        Assert.All(entries.Where(a => a.Action == "SignInFailed"), a =>
        {
            Assert.Null(a.ActorId);
            Assert.StartsWith("198.51.100.", a.Address);
            Assert.Equal("unknown account", a.Changes.RootElement.GetProperty("reason").GetString());
            Assert.Equal(TimeSpan.Zero, a.At.Offset);
        });
        Assert.Single(entries, a => a.Action == "Throttled" && a.Address == "198.51.100.77");
    }

    [Fact]
    public async Task An_address_is_throttled_after_twenty_failures_even_for_the_right_password_and_recovers_after_the_window()
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("patient.person"), Roles.Leader);
        const string attacker = "203.0.113.66";
        for (var i = 0; i < 20; i++)
            Assert.Equal(401, (await TokenFrom(attacker, TestData.UniqueEmail($"guess{i}"), "guess")).Status);

        // The right password from that address is not even checked now...
        Assert.Equal(429, (await TokenFrom(attacker, person.Email!, RotationsApp.Password)).Status);
        // ...but from another address it is, and succeeds.
        Assert.Equal(200, (await TokenFrom("203.0.113.67", person.Email!, RotationsApp.Password)).Status);

        app.Clock.Advance(TimeSpan.FromMinutes(16));
        try
        {
            Assert.Equal(200, (await TokenFrom(attacker, person.Email!, RotationsApp.Password)).Status);
        }
        finally { app.Clock.Advance(TimeSpan.FromMinutes(-16)); }

        var mine = await SignInEntriesAsync(a => a.ActorId == person.Id);
        var signedIn = Assert.Single(mine, a => a.Action == "SignedIn" && a.Address == "203.0.113.67");
        Assert.Equal(person.DisplayName, signedIn.ActorName);
        Assert.Equal("api", signedIn.Changes.RootElement.GetProperty("via").GetString());
        Assert.Equal(person.Id.ToString(), signedIn.EntityKey);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_trail_says_so()
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("locked.larry"), Roles.Leader);
        for (var i = 0; i < 5; i++) Assert.Equal(401, (await TokenFrom("192.0.2.10", person.Email!, "wrong")).Status);
        Assert.Equal(401, (await TokenFrom("192.0.2.11", person.Email!, RotationsApp.Password)).Status);

        var mine = await SignInEntriesAsync(a => a.ActorId == person.Id);
        Assert.Equal(4, mine.Count(a => a.Action == "SignInFailed" && a.Changes.RootElement.GetProperty("reason").GetString() == "wrong password"));
        // The fifth wrong password locks; the right one after it is refused as locked.
        Assert.Equal(2, mine.Count(a => a.Action == "LockedOut"));
        Assert.Contains(mine, a => a.Action == "LockedOut" && a.Address == "192.0.2.11");
    }

    [Fact]
    public async Task The_login_page_answers_429_with_the_message_once_the_throttle_holds()
    {
        var email = TestData.UniqueEmail("page.throttle");
        var browser = app.CreateBrowser();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 11; i++)
            last = await RotationsApp.PostFormAsync(browser, "/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = "wrong" });

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var html = await last.Content.ReadAsStringAsync();
        Assert.Contains(WebUtility.HtmlEncode(SignInGuard.ThrottledMessage), html);
        Assert.Contains(email, html); // the email stays typed
    }

    [Fact]
    public async Task Signing_out_ends_the_session_even_for_a_copy_of_the_cookie()
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("careful.carla"), Roles.Leader);
        var browser = await app.SignInAsync(person.Email!);
        var setCookie = (await RotationsApp.PostFormAsync(app.CreateBrowser(), "/Account/Login",
            new() { ["Input.Email"] = person.Email!, ["Input.Password"] = RotationsApp.Password }))
            .Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("rotations.auth=", StringComparison.Ordinal));
        // A second session, its cookie replayed by hand: the way a stolen cookie would be.
        var stolen = setCookie.Split(';')[0];
        var replay = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        Task<HttpResponseMessage> Home() => replay.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "Cookie", stolen } } });
        Assert.Equal(HttpStatusCode.OK, (await Home()).StatusCode);
        Assert.Equal(2, await app.WithDbAsync(db => db.SignInSessions.CountAsync(s => s.PersonId == person.Id)));
        Assert.DoesNotContain(person.Email!, stolen); // the cookie carries a key, not who you are in clear

        // The replayed session signs out (a POST with its own anti-forgery cookie and token).
        var logoutPage = await replay.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/Account/Logout") { Headers = { { "Cookie", stolen } } });
        var antiforgery = logoutPage.Headers.GetValues("Set-Cookie").Single(c => c.Contains("Antiforgery", StringComparison.OrdinalIgnoreCase)).Split(';')[0];
        var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = RotationsApp.AntiforgeryToken(await logoutPage.Content.ReadAsStringAsync())!,
            }),
        };
        post.Headers.Add("Cookie", $"{stolen}; {antiforgery}");
        var logout = await replay.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        var after = await Home();
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/Account/Login", after.Headers.Location!.OriginalString);
        // The other session of the same person is untouched.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.SignInSessions.CountAsync(s => s.PersonId == person.Id)));
        Assert.Single(await SignInEntriesAsync(a => a.ActorId == person.Id && a.Action == "SignedOut"));
    }

    [Fact]
    public async Task Deactivating_a_person_ends_their_cookie_sessions_at_once()
    {
        var (_, hr) = await app.SignedInAsync("hr.deactivates", Roles.HR);
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("leaving.lou"), Roles.Leader);
        var browser = await app.SignInAsync(person.Email!);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsync($"/api/v1/people/{person.Id}/deactivate", null)).StatusCode);

        // No minute's wait: the session row is gone.
        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/Account/Login", page.Headers.Location!.OriginalString);
        Assert.Equal(0, await app.WithDbAsync(db => db.SignInSessions.CountAsync(s => s.PersonId == person.Id)));
    }

    [Fact]
    public async Task Refused_requests_and_job_actions_are_in_the_audit_trail_with_person_and_address()
    {
        var (leader, browser) = await app.SignedInAsync("nosy.nora", Roles.Leader);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/v1/audit?entityKey=secret-token-in-query")).StatusCode);
        var page = await browser.GetAsync("/Audit");
        Assert.Contains("/Account/AccessDenied", page.Headers.Location!.OriginalString);

        var denied = await app.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == AuditEvents.Access && a.ActorId == leader.Id).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["GET /api/v1/audit", "GET /Audit"], denied.Select(a => a.Label));
        Assert.All(denied, a =>
        {
            Assert.Equal("Denied", a.Action);
            Assert.Equal(leader.DisplayName, a.ActorName);
            Assert.False(string.IsNullOrEmpty(a.Address));
            Assert.DoesNotContain("secret-token", a.Changes.RootElement.GetRawText());
        });

        var (admin, adminBrowser) = await app.SignedInAsync("admin.acts", Roles.Admin);
        var job = Rotations.Web.Infrastructure.Scheduler.RotationsJobs.All[0].Key.Name;
        foreach (var handler in new[] { "Pause", "Resume" })
        {
            var response = await RotationsApp.PostFormAsync(adminBrowser, $"/Admin/Jobs?handler={handler}", new() { ["job"] = job }, "/Admin/Jobs");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
        var actions = await app.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == AuditEvents.Job && a.ActorId == admin.Id).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal(["Paused", "Resumed"], actions);

        // HR reads all of it on the audit page, with the address.
        var (_, hr) = await app.SignedInAsync("hr.reads", Roles.HR);
        var html = await (await hr.GetAsync($"/Audit?actorId={leader.Id}")).Content.ReadAsStringAsync();
        Assert.Contains("was refused", html);
        Assert.Contains("GET /api/v1/audit", html);
        Assert.Contains("from ", html);
        Assert.DoesNotContain("(0 fields)", html); // events have circumstances, not the fields of a record
    }
}
