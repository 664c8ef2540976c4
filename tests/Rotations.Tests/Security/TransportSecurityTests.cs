using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Audit;
using Rotations.Web.Infrastructure.Web;

namespace Rotations.Tests.Security;

/// <summary>
/// Cookies, HTTPS and the proxy in front: Secure cookies under HTTPS, HSTS and the redirect to HTTPS in
/// production settings, and X-Forwarded-For believed only from a trusted proxy.
/// </summary>
public sealed class TransportSecurityTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private WebApplicationFactory<Program> Production(params (string Key, string Value)[] settings) => app.WithWebHostBuilder(b =>
    {
        b.UseEnvironment("Production");
        foreach (var (key, value) in settings) b.UseSetting(key, value);
    });

    private static HttpClient Browser(WebApplicationFactory<Program> factory, string baseAddress) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(baseAddress) });

    [Fact]
    public async Task Over_HTTPS_the_session_antiforgery_and_tempdata_cookies_are_Secure_HttpOnly_and_SameSite()
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("secure.sam"), Roles.Leader);
        var browser = Browser(app, "https://rotations.example.com");
        var login = await browser.GetAsync("/Account/Login");
        var antiforgery = login.Headers.GetValues("Set-Cookie").Single(c => c.Contains("Antiforgery", StringComparison.OrdinalIgnoreCase));
        var signedIn = await RotationsApp.PostFormAsync(browser, "/Account/Login",
            new() { ["Input.Email"] = person.Email!, ["Input.Password"] = RotationsApp.Password });
        var auth = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("rotations.auth=", StringComparison.Ordinal));

        // Signing out leaves a flash message in the TempData cookie.
        var signedOut = await RotationsApp.PostFormAsync(browser, "/Account/Logout", new());
        var tempData = signedOut.Headers.GetValues("Set-Cookie").Single(c => c.Contains("TempData", StringComparison.OrdinalIgnoreCase));

        foreach (var cookie in new[] { auth, antiforgery, tempData })
        {
            Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; samesite=", cookie, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task In_production_HTTPS_answers_carry_HSTS_and_HTTP_is_redirected_when_the_app_terminates_TLS()
    {
        await using var production = Production((WebExtensions.HttpsRedirectKey, "true"), ("https_port", "443"));

        var secure = await Browser(production, "https://rotations.example.com").GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        var hsts = Assert.Single(secure.Headers.GetValues("Strict-Transport-Security"));
        Assert.Contains("max-age=31536000", hsts);

        var plain = await Browser(production, "http://rotations.example.com").GetAsync("/Account/Login?returnUrl=%2FBoard");
        Assert.True(plain.StatusCode is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect or HttpStatusCode.Redirect,
            $"plain HTTP answered {(int)plain.StatusCode}");
        Assert.Equal("https://rotations.example.com/Account/Login?returnUrl=%2FBoard", plain.Headers.Location!.AbsoluteUri);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"), "HSTS is only ever sent over HTTPS");
    }

    [Fact]
    public async Task Forwarded_addresses_are_believed_only_from_a_trusted_proxy()
    {
        var email = TestData.UniqueEmail("nobody.forwarded");
        async Task<string?> AddressRecordedFor(WebApplicationFactory<Program> factory, string peer, string claimed)
        {
            var client = TestPeer.On(factory).CreateClient();
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { email, password = "wrong" }),
            };
            request.Headers.Add(TestPeer.Header, peer);
            request.Headers.Add("X-Forwarded-For", claimed);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
            return await app.WithDbAsync(db => db.AuditEntries.AsNoTracking()
                .Where(a => a.EntityType == AuditEvents.SignIn && a.Label == email).OrderByDescending(a => a.Id).Select(a => a.Address).FirstAsync());
        }

        // By default only loopback is a proxy: a client elsewhere cannot pick its address.
        Assert.Equal("192.0.2.44", await AddressRecordedFor(app, "192.0.2.44", "10.9.9.9"));
        Assert.Equal("10.9.9.9", await AddressRecordedFor(app, "127.0.0.1", "10.9.9.9"));
        // Named proxies (a compose network) are believed; the loopback default no longer applies.
        var behindProxy = app.WithWebHostBuilder(b => b.UseSetting(TrustedProxies.Key, "172.16.0.0/12, 192.0.2.7"));
        Assert.Equal("10.1.2.3", await AddressRecordedFor(behindProxy, "172.18.0.5", "10.1.2.3"));
        Assert.Equal("10.1.2.4", await AddressRecordedFor(behindProxy, "192.0.2.7", "10.1.2.4"));
        Assert.Equal("192.0.2.8", await AddressRecordedFor(behindProxy, "192.0.2.8", "10.1.2.5"));
    }

    [Fact]
    public void A_trusted_proxy_setting_that_is_not_an_address_is_refused_with_its_name()
    {
        var options = new ForwardedHeadersOptions();
        var error = Assert.Throws<InvalidOperationException>(() => TrustedProxies.Apply(options, "10.0.0.0/8, proxy.internal"));
        Assert.Contains(TrustedProxies.Key, error.Message);
        Assert.Contains("proxy.internal", error.Message);
    }
}
