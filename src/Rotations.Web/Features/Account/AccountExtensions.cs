using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Web;

namespace Rotations.Web.Features.Account;

public static class AccountExtensions
{
    /// <summary>Chooses the bearer handler when a request carries a bearer token, the cookie otherwise.</summary>
    public const string CookieOrBearer = "CookieOrBearer";

    public static WebApplicationBuilder AddRotationsIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddIdentity<Person, Role>(o =>
            {
                // NIST 800-63B: length, not composition rules.
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                // "Confirmed" means active here: see ActivePersonConfirmation.
                o.SignIn.RequireConfirmedAccount = true;
            })
            .AddEntityFrameworkStores<RotationsDbContext>()
            .AddClaimsPrincipalFactory<PersonClaimsFactory>()
            .AddDefaultTokenProviders()
            .AddAccountEmails();

        services.AddScoped<IUserConfirmation<Person>, ActivePersonConfirmation>();
        services.AddScoped<SignInGuard>();
        services.Configure<SignInThrottleOptions>(builder.Configuration.GetSection(SignInThrottleOptions.Section));
        // Cookie sessions live in the database: signing out ends one on every node, even a copied cookie.
        services.AddSingleton<DatabaseTicketStore>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<DatabaseTicketStore>((o, store) => o.SessionStore = store);
        // OWASP 2023 figure for PBKDF2-HMAC-SHA512 (Identity's V3 format).
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 210_000);
        // A deactivated person, a removed role or a new password reaches every node within a minute
        // (ROTATIONS_SESSION_RECHECK_SECONDS; shorter only for a test that cannot wait a minute).
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IConfiguration>((o, configuration) =>
            o.ValidationInterval = SessionRecheckInterval(configuration)).ValidateOnStart();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "rotations.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
        });

        services.AddAuthentication(o =>
            {
                // AddIdentity named the cookie for each of these; the selector must win for all of them.
                o.DefaultScheme = CookieOrBearer;
                o.DefaultAuthenticateScheme = CookieOrBearer;
                o.DefaultChallengeScheme = CookieOrBearer;
                o.DefaultForbidScheme = CookieOrBearer;
            })
            .AddPolicyScheme(CookieOrBearer, "Cookie or bearer token", o =>
                o.ForwardDefaultSelector = ctx =>
                    ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? IdentityConstants.BearerScheme
                        : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(1));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.HR, p => p.RequireRole(Roles.HR, Roles.Admin))
            .AddPolicy(Policies.Coordinator, p => p.RequireRole(Roles.HR));

        services.AddHostedService<AdminBootstrap>();
        return builder;
    }

    public const string SessionRecheckKey = "ROTATIONS_SESSION_RECHECK_SECONDS";
    public static readonly TimeSpan DefaultSessionRecheck = TimeSpan.FromSeconds(60);

    /// <summary>How often a session's cookie or bearer token is checked against the person's security stamp.</summary>
    public static TimeSpan SessionRecheckInterval(IConfiguration configuration)
    {
        var value = configuration[SessionRecheckKey];
        if (string.IsNullOrWhiteSpace(value)) return DefaultSessionRecheck;
        if (int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 1 and <= 3600)
            return TimeSpan.FromSeconds(seconds);
        throw new StartupException($"{SessionRecheckKey} is \"{value}\"; set it to a number of seconds from 1 to 3600 (default 60).");
    }

    public static WebApplication MapAccountApi(this WebApplication app)
    {
        AuthApi.Map(app);
        app.MapAccountEmailApi();
        return app;
    }

    /// <summary>APIs answer 401/403 with problem details; pages redirect to the login or access-denied page.</summary>
    private static async Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (WebExtensions.IsApi(ctx.HttpContext))
        {
            ctx.Response.StatusCode = status;
            var problems = ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = ctx.HttpContext });
            return;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
    }
}

/// <summary>Identity's "confirmed account" gate, used to refuse sign-in to deactivated people.</summary>
internal sealed class ActivePersonConfirmation : IUserConfirmation<Person>
{
    public Task<bool> IsConfirmedAsync(UserManager<Person> manager, Person user) => Task.FromResult(user.IsActive);
}
