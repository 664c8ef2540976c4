using Npgsql;
using Rotations.Tests.Support;

namespace Rotations.Tests.Migrations;

/// <summary>
/// A database of one test's own (empty or migrated), with the few queries the migration tests need.
/// Disposing it closes its data sources and drops it.
/// </summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly List<NpgsqlDataSource> dataSources = [];

    private ScratchDatabase(string name) => Name = name;

    public string Name { get; }
    public string ConnectionString => TestDatabase.ConnectionStringFor(Name);

    public static async Task<ScratchDatabase> EmptyAsync(string purpose) => new(await TestDatabase.CreateEmptyAsync(purpose));

    public static async Task<ScratchDatabase> MigratedAsync(string purpose) => new(await TestDatabase.CreateMigratedAsync(purpose));

    /// <summary>A data source (and so a connection pool) of its own, as a separate process would have.</summary>
    public NpgsqlDataSource NewDataSource()
    {
        var dataSource = NpgsqlDataSource.Create(ConnectionString);
        lock (dataSources) dataSources.Add(dataSource);
        return dataSource;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Each row's columns joined with '|', in the query's order.</summary>
    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    public Task<bool> TableExistsAsync(string table) => ScalarAsync<bool>($"select to_regclass('public.{table}') is not null");

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in dataSources) await dataSource.DisposeAsync();
        await TestDatabase.DropAsync(Name);
    }
}
