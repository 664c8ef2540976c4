namespace Rotations.Web.Infrastructure;

/// <summary>One documented setting, read from an environment variable (or any configuration source).</summary>
public sealed record Setting(string Name, string Description, string Default);

/// <summary>
/// Every ROTATIONS_* setting the application reads, in one list. The README's configuration table and
/// the docker-compose test are checked against it, so a setting cannot be documented or set but unread.
/// </summary>
public static class RotationsSettings
{
    public static readonly IReadOnlyList<Setting> All =
    [
        new(Database.DatabaseSettings.Key,
            "PostgreSQL connection string (Npgsql format).", "none: ./run.sh starts a local database and sets it"),
        new(Features.Account.AdminBootstrap.EmailKey,
            "Email of the first Admin, created at start-up when no Admin exists.", "none"),
        new(Features.Account.AdminBootstrap.PasswordKey,
            "Password of that first Admin (at least 12 characters).", "none"),
        new(Features.Demo.DemoSeeder.PasswordKey,
            "Password of the demo people the seed command creates.", "generated and printed"),
        new(Web.WebExtensions.HttpsRedirectKey,
            "true to redirect HTTP to HTTPS (when the app terminates TLS itself).", "false"),
        new(Scheduler.SchedulerExtensions.EnabledKey,
            "on: this node runs the clustered scheduler (reminder sweep, email delivery, weekly digest); off: it serves pages only.", "on"),
    ];

    /// <summary>Standard ASP.NET Core variables the deployment files may also set.</summary>
    public static readonly IReadOnlyList<string> Framework =
    [
        "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_FORWARDEDHEADERS_ENABLED",
        "Logging__Console__FormatterName", "DOTNET_RUNNING_IN_CONTAINER",
    ];
}
