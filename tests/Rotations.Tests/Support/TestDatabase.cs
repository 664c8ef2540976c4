using Npgsql;
using Rotations.Web.Infrastructure.Migrations;

namespace Rotations.Tests.Support;

/// <summary>
/// Real PostgreSQL for every test that touches data. ./test.sh starts a throwaway cluster and passes its
/// administrative connection string in ROTATIONS_TEST_DB. The migrations run once per test process into a
/// template database; each test (or class) gets its own copy, so no test sees another's rows.
/// </summary>
public static class TestDatabase
{
    public const string Variable = "ROTATIONS_TEST_DB";

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);
    private static readonly string RunId = $"{Environment.ProcessId}_{Random.Shared.Next(1000, 9999)}";
    private static int counter;

    /// <summary>The cluster's administrative connection string (database "postgres").</summary>
    public static string ServerConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
                throw new InvalidOperationException(
                    $"{Variable} is not set. Run the tests with ./test.sh, which starts a throwaway PostgreSQL, " +
                    $"or set {Variable} to an administrative connection string (Host=…;Port=…;Username=postgres;Password=…).");
            return new NpgsqlConnectionStringBuilder(value) { Database = "postgres", Pooling = false }.ConnectionString;
        }
    }

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = true }.ConnectionString;

    /// <summary>A new, fully migrated database of its own.</summary>
    public static async Task<string> CreateMigratedAsync(string purpose)
    {
        var template = await Template.Value;
        var name = NewName(purpose);
        await ExecuteOnServerAsync($"create database \"{name}\" template \"{template}\"");
        return name;
    }

    /// <summary>A new database with nothing in it.</summary>
    public static async Task<string> CreateEmptyAsync(string purpose)
    {
        var name = NewName(purpose);
        await ExecuteOnServerAsync($"create database \"{name}\"");
        return name;
    }

    public static async Task DropAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"drop database if exists \"{database}\" with (force)");
    }

    public static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string NewName(string purpose)
    {
        var clean = new string(purpose.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());
        if (clean.Length > 30) clean = clean[..30];
        return $"t_{RunId}_{Interlocked.Increment(ref counter)}_{clean}";
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var name = $"tpl_{RunId}";
        await ExecuteOnServerAsync($"create database \"{name}\"");
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = false };
        await using (var dataSource = NpgsqlDataSource.Create(builder.ConnectionString))
        {
            var runner = new MigrationRunner(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<MigrationRunner>.Instance);
            await runner.RunAsync(MigrationScript.Embedded());
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { ExecuteOnServerAsync($"drop database if exists \"{name}\" with (force)").GetAwaiter().GetResult(); }
            catch (NpgsqlException) { /* the throwaway cluster may already be gone */ }
        };
        return name;
    }
}
