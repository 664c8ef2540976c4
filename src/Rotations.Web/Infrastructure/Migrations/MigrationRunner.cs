using System.Diagnostics;
using Npgsql;

namespace Rotations.Web.Infrastructure.Migrations;

public sealed record MigrationResult(IReadOnlyList<string> Applied, int AlreadyApplied);

/// <summary>
/// Applies migrations/*.sql in order: one transaction per script, recorded in schema_migrations with a
/// checksum, under a PostgreSQL advisory lock so that migrators started together apply each script once.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    /// <summary>Arbitrary, fixed: every migrator of every version takes the same lock.</summary>
    internal const long AdvisoryLockKey = 0x526f746174696f6e; // "Rotation"

    public const string HistoryTable = "schema_migrations";

    public async Task<MigrationResult> RunAsync(IReadOnlyList<MigrationScript> scripts, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, $"select pg_advisory_lock({AdvisoryLockKey})", ct);
        try
        {
            await ExecuteAsync(connection, $"""
                create table if not exists {HistoryTable} (
                    name text primary key,
                    checksum text not null,
                    applied_at timestamptz not null default now()
                )
                """, ct);

            var applied = await ReadAppliedAsync(connection, ct);
            CheckHistory(scripts, applied);

            var done = new List<string>();
            foreach (var script in scripts.Where(s => !applied.ContainsKey(s.Name)))
            {
                await ApplyAsync(connection, script, ct);
                done.Add(script.Name);
            }
            if (done.Count == 0)
                logger.LogInformation("Database schema is up to date ({Count} scripts applied earlier)", applied.Count);
            return new MigrationResult(done, applied.Count);
        }
        finally
        {
            // Closing the connection would release it too; unlocking keeps a pooled connection clean.
            if (connection.State == System.Data.ConnectionState.Open)
                await ExecuteAsync(connection, $"select pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>Names of scripts this build has that the database has not applied yet.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(IReadOnlyList<MigrationScript> scripts, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var exists = new NpgsqlCommand("select to_regclass(@t) is not null", connection);
        exists.Parameters.AddWithValue("t", HistoryTable);
        if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            return scripts.Select(s => s.Name).ToList();
        var applied = await ReadAppliedAsync(connection, ct);
        return scripts.Where(s => !applied.ContainsKey(s.Name)).Select(s => s.Name).ToList();
    }

    private static void CheckHistory(IReadOnlyList<MigrationScript> scripts, Dictionary<string, string> applied)
    {
        var byName = scripts.ToDictionary(s => s.Name);
        foreach (var (name, checksum) in applied.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!byName.TryGetValue(name, out var script))
                throw new MigrationException(
                    $"The database has applied migrations/{name}, which this build does not contain. " +
                    "It was migrated by a newer version of Rotations: run that version, or restore a matching backup.");
            if (script.Checksum != checksum)
                throw new MigrationException(
                    $"migrations/{name} was edited after it was applied to this database " +
                    $"(applied checksum {Abbreviated(checksum)}, file checksum {Abbreviated(script.Checksum)}). " +
                    "An applied script is never edited: revert the edit and put the change in a new script.");
        }
    }

    /// <summary>Enough to tell two checksums apart; whatever a hand edit left in the table is shown whole.</summary>
    private static string Abbreviated(string checksum) => checksum.Length > 12 ? $"{checksum[..12]}…" : checksum;

    private async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken ct)
    {
        logger.LogInformation("Applying migration {Script}", script.Name);
        var clock = Stopwatch.StartNew();
        await using var tx = await connection.BeginTransactionAsync(ct);
        SqlStatement? current = null;
        try
        {
            // One statement per command, so that an error's position can be mapped to the script's line.
            foreach (var statement in SqlStatements.Split(script.Sql))
            {
                current = statement;
                await using var command = new NpgsqlCommand(statement.Text, connection, tx) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync(ct);
            }
            current = null;
            await using (var record = new NpgsqlCommand(
                $"insert into {HistoryTable} (name, checksum) values (@name, @checksum)", connection, tx))
            {
                record.Parameters.AddWithValue("name", script.Name);
                record.Parameters.AddWithValue("checksum", script.Checksum);
                await record.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        catch (PostgresException ex)
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw new MigrationException(
                $"migrations/{script.Name} failed{LineOf(script.Sql, current, ex.Position)} and was rolled back whole: " +
                $"{ex.SqlState}: {ex.MessageText}", ex);
        }
        logger.LogInformation("Applied migration {Script} in {ElapsedMs} ms", script.Name, clock.ElapsedMilliseconds);
    }

    /// <summary>Where PostgreSQL points inside the failing statement, else where that statement starts.</summary>
    private static string LineOf(string sql, SqlStatement? statement, int position)
    {
        if (statement is not { } failed) return "";
        var offset = position > 0 && position <= failed.Text.Length ? failed.Start + position - 1 : failed.Start;
        return $" at line {1 + sql.AsSpan(0, offset).Count('\n')}";
    }

    private static async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand($"select name, checksum from {HistoryTable}", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            applied[reader.GetString(0)] = reader.GetString(1);
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
