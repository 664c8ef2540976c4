using System.Globalization;
using System.Net.Mail;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Infrastructure.Email;

/// <summary>
/// How mail leaves the application: an SMTP server when ROTATIONS_SMTP_HOST is set, otherwise .eml files
/// in a pickup folder (the local default). A class, not a record, so that no generated ToString can ever
/// print the SMTP password into a log.
/// </summary>
public sealed class EmailSettings
{
    public const string SmtpHostKey = "ROTATIONS_SMTP_HOST";
    public const string SmtpPortKey = "ROTATIONS_SMTP_PORT";
    public const string SmtpTlsKey = "ROTATIONS_SMTP_TLS";
    public const string SmtpUserKey = "ROTATIONS_SMTP_USER";
    public const string SmtpPasswordKey = "ROTATIONS_SMTP_PASSWORD";
    public const string MailFromKey = "ROTATIONS_MAIL_FROM";
    public const string PublicUrlKey = "ROTATIONS_PUBLIC_URL";
    public const string MailDirKey = "ROTATIONS_MAIL_DIR";

    public const int DefaultSmtpPort = 587;
    public const string DefaultMailFrom = "Rotations <rotations@localhost>";
    public const string DefaultPublicUrl = "http://127.0.0.1:5080";
    public const string DefaultMailDir = ".data/mail";

    public string? SmtpHost { get; private init; }
    public int SmtpPort { get; private init; } = DefaultSmtpPort;
    /// <summary>STARTTLS (SmtpClient.EnableSsl). System.Net.Mail has no implicit TLS, so port 465 cannot be used.</summary>
    public bool SmtpTls { get; private init; } = true;
    public string? SmtpUser { get; private init; }
    public string? SmtpPassword { get; private init; }
    public required MailAddress From { get; init; }
    /// <summary>The base of every link in an email, without a trailing slash.</summary>
    public required string PublicUrl { get; init; }
    /// <summary>Absolute path of the pickup folder used when no SMTP host is set.</summary>
    public required string MailDirectory { get; init; }

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(SmtpHost);

    /// <summary>The right-hand side of the Message-IDs the application makes: the sender's domain.</summary>
    public string MessageIdDomain => From.Host;

    /// <summary>Where mail goes, for logs and the start-up banner; never the password.</summary>
    public string Describe() => UsesSmtp
        ? $"SMTP {SmtpHost}:{SmtpPort.ToString(CultureInfo.InvariantCulture)} (TLS {(SmtpTls ? "on" : "off")}" +
          (string.IsNullOrEmpty(SmtpUser) ? ", no login)" : $", as {SmtpUser})")
        : $"pickup folder {MailDirectory}";

    /// <summary>Reads and checks the settings; a bad value is a <see cref="StartupException"/> naming the variable.</summary>
    public static EmailSettings Read(IConfiguration configuration, string contentRoot)
    {
        string? Value(string key) => configuration[key] is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var port = DefaultSmtpPort;
        if (Value(SmtpPortKey) is { } p && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            throw new StartupException($"{SmtpPortKey} must be a port number (1–65535); it is \"{p}\".");

        var tls = true;
        if (Value(SmtpTlsKey) is { } t && !bool.TryParse(t, out tls))
            throw new StartupException($"{SmtpTlsKey} must be true or false; it is \"{t}\".");

        MailAddress from;
        try
        {
            from = new MailAddress(Value(MailFromKey) ?? DefaultMailFrom);
        }
        catch (FormatException)
        {
            throw new StartupException(
                $"{MailFromKey} must be an email address, optionally with a display name (\"Rotations <rotations@example.com>\"); " +
                $"it is \"{Value(MailFromKey)}\".");
        }

        var url = Value(PublicUrlKey) ?? DefaultPublicUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var publicUri) || publicUri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(publicUri.Query) || !string.IsNullOrEmpty(publicUri.Fragment))
            throw new StartupException($"{PublicUrlKey} must be an absolute http(s) address such as https://rotations.example.com; it is \"{url}\".");

        var user = Value(SmtpUserKey);
        var password = configuration[SmtpPasswordKey];
        if (user is not null && string.IsNullOrEmpty(password))
            throw new StartupException($"{SmtpUserKey} is set but {SmtpPasswordKey} is not.");

        return new EmailSettings
        {
            SmtpHost = Value(SmtpHostKey),
            SmtpPort = port,
            SmtpTls = tls,
            SmtpUser = user,
            SmtpPassword = string.IsNullOrEmpty(password) ? null : password,
            From = from,
            PublicUrl = publicUri.GetLeftPart(UriPartial.Path).TrimEnd('/'),
            MailDirectory = Path.GetFullPath(Value(MailDirKey) ?? DefaultMailDir, contentRoot),
        };
    }
}
