using Rotations.Tests.Support;

namespace Rotations.Tests.Infrastructure;

public sealed class SecurityHeadersTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/health")]
    [InlineData("/no/such/page")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        var response = await app.CreateBrowser().GetAsync(path);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task LoginPage_HasNoInlineScript()
    {
        var html = await (await app.CreateBrowser().GetAsync("/Account/Login")).Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
        Assert.DoesNotMatch("\\son[a-z]+=\"", html);
    }

    [Fact]
    public async Task AuthCookie_IsHttpOnlyAndSameSite()
    {
        var email = $"cookie.{Guid.NewGuid():N}@example.com";
        await app.CreatePersonAsync(email);
        var client = app.CreateBrowser();
        var response = await RotationsApp.PostFormAsync(client, "/Account/Login",
            new() { ["Input.Email"] = email, ["Input.Password"] = RotationsApp.Password });

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("rotations.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
