using System.Net;
using Microsoft.AspNetCore.Builder;

namespace Rotations.Web.Infrastructure.Web;

/// <summary>
/// <c>ROTATIONS_TRUSTED_PROXIES</c>: the addresses and networks (CIDR) whose X-Forwarded-For and X-Forwarded-Proto
/// the app believes, separated by commas, e.g. <c>10.0.0.0/8, 172.16.0.0/12</c>. Unset, only loopback is trusted.
/// </summary>
public static class TrustedProxies
{
    public const string Key = "ROTATIONS_TRUSTED_PROXIES";

    public static void Apply(ForwardedHeadersOptions options, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Contains('/') && System.Net.IPNetwork.TryParse(part, out var network)) options.KnownIPNetworks.Add(network);
            else if (!part.Contains('/') && IPAddress.TryParse(part, out var address)) options.KnownProxies.Add(address);
            else throw new InvalidOperationException(
                $"{Key}: \"{part}\" is neither an IP address nor a network such as 10.0.0.0/8. Separate entries with commas.");
        }
    }
}
