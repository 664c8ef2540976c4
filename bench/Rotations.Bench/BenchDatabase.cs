using Npgsql;
using Rotations.Web.Infrastructure.Migrations;

namespace Rotations.Bench;

/// <summary>
/// A fresh database per run on the server named by ROTATIONS_BENCH_DB (an administrative connection
/// string), migrated with the app's own runner, dropped afterwards unless asked to keep it.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public const string Variable = "ROTATIONS_BENCH_DB";

    private readonly string server;
    public string Name { get; }
    public string ConnectionString { get; }
    public bool Keep { get; init; }

    private BenchDatabase(string server, string name)
    {
        this.server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true, MaxPoolSize = 50 }.ConnectionString;
    }

    public static string ServerFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
            throw new BenchException(
                $"{Variable} is not set. Run bench/reminders.sh, which starts a throwaway PostgreSQL, or set {Variable} " +
                "to an administrative connection string (Host=…;Port=…;Username=postgres;Password=…).");
        return new NpgsqlConnectionStringBuilder(value) { Database = "postgres", Pooling = false }.ConnectionString;
    }

    public static async Task<BenchDatabase> CreateMigratedAsync(string server, string purpose, bool keep)
    {
        var name = $"bench_{purpose}_{Environment.ProcessId}_{Random.Shared.Next(1000, 9999)}";
        await ExecuteAsync(server, $"create database \"{name}\"");
        var db = new BenchDatabase(server, name) { Keep = keep };
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var runner = new MigrationRunner(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<MigrationRunner>.Instance);
        await runner.RunAsync(MigrationScript.Embedded());
        return db;
    }

    public static async Task<string> ServerVersionAsync(string server)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("show server_version", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Keep)
        {
            Console.Error.WriteLine($"bench: kept database {Name}");
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"drop database if exists \"{Name}\" with (force)");
    }
}

/// <summary>A problem the operator can fix, or a failed correctness check: printed without a stack trace, exit 1.</summary>
public sealed class BenchException(string message) : Exception(message);
