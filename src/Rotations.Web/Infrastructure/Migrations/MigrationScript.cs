using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Rotations.Web.Infrastructure.Migrations;

/// <summary>One ordered SQL script from migrations/. Its checksum ignores line-ending style only.</summary>
public sealed partial record MigrationScript(string Name, string Sql)
{
    // Computed from Sql on each read, so that a `with { Sql = … }` copy cannot carry its original's checksum.
    public string Checksum => Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    [GeneratedRegex(@"^\d{4}_[a-z0-9_]+\.sql$")]
    private static partial Regex NamePattern();

    /// <summary>The scripts compiled into this build (migrations/*.sql are embedded resources), in order.</summary>
    public static IReadOnlyList<MigrationScript> Embedded()
    {
        var assembly = typeof(MigrationScript).Assembly;
        const string prefix = "migrations/";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..];
            if (!NamePattern().IsMatch(name))
                throw new MigrationException($"migrations/{name}: a script's name must look like 0001_what_it_does.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new MigrationScript(name, reader.ReadToEnd()));
        }
        return scripts.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }
}

/// <summary>A migration problem whose message names the script and what to do.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
