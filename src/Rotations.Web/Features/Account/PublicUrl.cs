namespace Rotations.Web.Features.Account;

/// <summary>
/// Where people reach the app from outside, for links in emails. Read here until the email settings
/// (Infrastructure/Email) own ROTATIONS_PUBLIC_URL; both read the same key.
/// </summary>
public static class PublicUrl
{
    public const string Key = "ROTATIONS_PUBLIC_URL";
    public const string Default = "http://127.0.0.1:5080";

    /// <summary>The base URL without a trailing slash.</summary>
    public static string Base(IConfiguration configuration)
    {
        var value = configuration[Key];
        return (string.IsNullOrWhiteSpace(value) ? Default : value.Trim()).TrimEnd('/');
    }

    /// <summary>An absolute link to <paramref name="pathAndQuery"/> (which starts with '/').</summary>
    public static string Link(IConfiguration configuration, string pathAndQuery) => Base(configuration) + pathAndQuery;

    /// <summary>The right-hand side of Message-IDs: the public host, or a fixed name when the URL has none.</summary>
    public static string MessageDomain(IConfiguration configuration) =>
        Uri.TryCreate(Base(configuration), UriKind.Absolute, out var uri) && uri.Host != "" ? uri.Host : "rotations.local";
}
