using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Infrastructure.Web;

public static class WebExtensions
{
    public const string HttpsRedirectKey = "ROTATIONS_HTTPS_REDIRECT";

    public static WebApplicationBuilder AddRotationsWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Time comes from here, never DateTime.Now: tests move it.
        services.AddSingleton(TimeProvider.System);
        services.AddRazorPages(o => o.RootDirectory = "/Features")
            .AddCookieTempDataProvider(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        // Every cookie the app sets is HttpOnly and SameSite, and Secure whenever the request came over HTTPS.
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = StatusProblems.Describe);
        services.AddRequestLimits();
        services.AddExceptionHandler<Errors.DomainExceptionHandler>();
        // PostgreSQL unreachable or restarting: 503 with Retry-After, not 500 (API and pages alike).
        services.AddExceptionHandler<Errors.DatabaseUnavailableHandler>();
        // An unreadable body or query value throws, so the exception handler answers with a problem naming the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi("v1");
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new SafeTextJsonConverter());
        });
        // Behind a reverse proxy (compose, a load balancer) the scheme and client address come from headers, but
        // only from the proxies named in ROTATIONS_TRUSTED_PROXIES (loopback by default): anyone else could claim
        // any address, and the sign-in throttle and the audit trail count by address.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            TrustedProxies.Apply(o, configuration[TrustedProxies.Key]);
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }

    public static WebApplication UseRotationsWeb(this WebApplication app)
    {
        app.UseForwardedHeaders();
        // API callers get problem details; people get the error page.
        // A status the framework answers with an empty body (415 from endpoint selection, 401 challenges) gets problem details too.
        app.UseWhen(IsApi, api => api.UseExceptionHandler().UseStatusCodePages());
        app.UseWhen(ctx => !IsApi(ctx), pages =>
        {
            // A body the server refuses (too large, cut off) is the client's 4xx, not an error page's 500.
            pages.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/Error",
                StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
            pages.UseStatusCodePagesWithReExecute("/Error/{0}");
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            if (app.Configuration.GetValue(HttpsRedirectKey, false))
                app.UseHttpsRedirection();
        }
        app.UseMiddleware<SecurityHeaders>();
        // Explicit, after the status-code pages: a re-executed request (/Error/404) must be routed again.
        app.UseRouting();
        app.RefuseDeclaredOversize();
        app.UseFormNulReplacement();
        app.UseAuthentication();
        app.UseMiddleware<BearerStampValidation>();
        app.UseMiddleware<Features.Audit.RefusalAudit>();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Machine-facing paths: answered with status codes and problem details, never redirects or HTML.</summary>
    public static bool IsApi(HttpContext ctx) =>
        ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/openapi");

    public static WebApplication MapRotationsWeb(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorPages();
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(Policies.SignedIn);
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealth }).AllowAnonymous();
        return app;
    }

    private static Task WriteHealth(HttpContext ctx, HealthReport report)
    {
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(ctx.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, JsonSerializerOptions.Web);
    }
}
