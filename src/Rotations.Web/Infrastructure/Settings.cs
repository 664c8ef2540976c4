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
        new(Web.TrustedProxies.Key,
            "Addresses and CIDR networks of the reverse proxies whose X-Forwarded-For/-Proto the app believes, comma-separated.", "loopback only"),
        new(Email.EmailSettings.SmtpHostKey,
            "SMTP server for outgoing email. Unset: emails are written as .eml files to ROTATIONS_MAIL_DIR.", "none"),
        new(Email.EmailSettings.SmtpPortKey, "Port of the SMTP server.", "587"),
        new(Email.EmailSettings.SmtpTlsKey,
            "true to require STARTTLS on the SMTP connection (implicit TLS on port 465 is not supported).", "true"),
        new(Email.EmailSettings.SmtpUserKey, "User name for the SMTP server, when it asks for a login.", "none"),
        new(Email.EmailSettings.SmtpPasswordKey, "Password for the SMTP server (never logged).", "none"),
        new(Email.EmailSettings.MailFromKey,
            "Sender of every email, with an optional display name: Rotations <rotations@example.com>. Its domain ends each Message-ID.",
            Email.EmailSettings.DefaultMailFrom),
        new(Email.EmailSettings.PublicUrlKey,
            "The address people reach the app at; links in emails start with it.", Email.EmailSettings.DefaultPublicUrl),
        new(Email.EmailSettings.MailDirKey,
            "Folder for .eml files when no SMTP server is set, relative to the working directory.", Email.EmailSettings.DefaultMailDir + " (./run.sh: .data/mail in the repository)"),
        new(Features.Account.AccountExtensions.SessionRecheckKey,
            "Seconds between checks of a signed-in session (cookie or bearer token) against the person: a deactivation, a removed role or a new password ends it within this, on every node.", "60"),
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
