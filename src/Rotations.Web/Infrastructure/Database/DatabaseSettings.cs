using Npgsql;

namespace Rotations.Web.Infrastructure.Database;

/// <summary>Reads ROTATIONS_DB and explains, without its secrets, what is wrong with it.</summary>
public static class DatabaseSettings
{
    public const string Key = "ROTATIONS_DB";

    public static string GetConnectionString(IConfiguration configuration)
    {
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value))
            throw new StartupException(
                $"{Key} is not set. Set it to a PostgreSQL connection string, for example " +
                $"\"Host=127.0.0.1;Port=5432;Database=rotations;Username=rotations;Password=…\" " +
                "(./run.sh sets it for its own local database).");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException ex)
        {
            throw new StartupException($"{Key} is not a valid PostgreSQL connection string: {ex.Message}");
        }
        return value;
    }

    /// <summary>Host, port, database and user: enough to find the problem, never the password.</summary>
    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"Host={b.Host};Port={b.Port};Database={b.Database};Username={b.Username}";
    }

    public static async Task EnsureReachableAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StartupException(
                $"Cannot reach the PostgreSQL database named by {Key} ({Describe(dataSource.ConnectionString)}): " +
                $"{ex.Message}. Check {Key} and that the server is running.");
        }
    }
}

/// <summary>A start-up problem whose message tells the operator what to fix; printed without a stack trace.</summary>
public sealed class StartupException(string message) : Exception(message);
