using System.Net;
using Microsoft.AspNetCore.Authorization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;

namespace Rotations.Tests.Account;

/// <summary>
/// Authorization by default: every endpoint the app maps names a policy or is explicitly anonymous,
/// and only the pages that must be public are.
/// </summary>
public sealed class AuthorizationCoverageTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    /// <summary>Route patterns that may be anonymous, and why.</summary>
    private static readonly Dictionary<string, string> AnonymousAllowed = new()
    {
        ["/Account/Login"] = "the login page",
        ["/Account/ForgotPassword"] = "asking for a reset link: the same answer whether or not the address has an account",
        ["/Account/ResetPassword"] = "the emailed reset link, checked by its token",
        ["/Account/SetPassword"] = "the emailed invitation link, checked by its token",
        ["/api/v1/auth/token"] = "the API's login",
        ["/health"] = "load balancers and compose health checks",
        ["/Error/{code:int?}"] = "error pages render for anyone and show no data",
        ["/calendar/{token}.ics"] = "token-based calendar feeds",
    };

    private IReadOnlyList<RouteEndpoint> Endpoints()
    {
        _ = app.CreateClient(); // builds the host
        return app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
    }

    /// <summary>
    /// Files of wwwroot, and the static-assets fallback ("{**path:file}") that serves files from the build
    /// folder outside Production. That fallback carries no marker, so the fallback policy guards it.
    /// </summary>
    private static bool IsStaticAsset(RouteEndpoint e) =>
        e.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)) ||
        e.RoutePattern.RawText == "{**path:file}" ||
        e.DisplayName?.StartsWith("/css/", StringComparison.Ordinal) == true ||
        e.DisplayName?.StartsWith("/favicon", StringComparison.Ordinal) == true;

    [Fact]
    public void EveryEndpoint_NamesAPolicyOrIsExplicitlyAnonymous()
    {
        var endpoints = Endpoints();
        Assert.True(endpoints.Count > 10, $"only {endpoints.Count} endpoints found: the walk is not seeing the app");

        var unmarked = endpoints
            .Where(e => e.RoutePattern.RawText != "{**path:file}")
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any())
            .Select(e => $"{e.RoutePattern.RawText} ({e.DisplayName})")
            .ToList();

        Assert.True(unmarked.Count == 0, "Endpoints without an explicit policy or anonymous marker:\n" + string.Join("\n", unmarked));
    }

    [Fact]
    public void AnonymousEndpoints_AreOnlyLoginHealthErrorsAndStaticFiles()
    {
        var anonymous = Endpoints()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null && !IsStaticAsset(e))
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct()
            .ToList();

        var unexpected = anonymous.Where(p => !AnonymousAllowed.ContainsKey(p)).ToList();
        Assert.True(unexpected.Count == 0, "Unexpected anonymous endpoints:\n" + string.Join("\n", unexpected));
        Assert.Contains("/Account/Login", anonymous);
        Assert.Contains("/health", anonymous);
    }

    [Fact]
    public async Task EveryProtectedGetEndpoint_RefusesAnAnonymousCaller()
    {
        var client = app.CreateBrowser();
        var protectedGets = Endpoints()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? true)
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(p => !p.Contains('{'))
            .Distinct()
            .ToList();
        Assert.NotEmpty(protectedGets);

        foreach (var path in protectedGets)
        {
            var response = await client.GetAsync(path == "/Index" ? "/" : path);
            var refused = response.StatusCode is HttpStatusCode.Unauthorized ||
                (response.StatusCode is HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/Account/Login"));
            Assert.True(refused, $"GET {path} as anonymous answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task SelfRegistration_IsNotReachable()
    {
        var email = $"admin.{Guid.NewGuid():N}@example.com";
        await app.CreatePersonAsync(email, Web.Features.Account.Roles.Admin);
        var admin = await app.SignInAsync(email);

        foreach (var path in new[] { "/register", "/Account/Register", "/Identity/Account/Register", "/api/v1/auth/register", "/api/v1/register" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(path)).StatusCode);
            var post = await app.CreateBrowser().PostAsync(path, JsonContent.Create(new { email = "new@example.com", password = "a long enough password" }));
            Assert.True(post.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.MethodNotAllowed,
                $"POST {path} answered {(int)post.StatusCode}");
        }
        Assert.DoesNotContain(Endpoints(), e => e.RoutePattern.RawText?.Contains("register", StringComparison.OrdinalIgnoreCase) == true);
    }
}
