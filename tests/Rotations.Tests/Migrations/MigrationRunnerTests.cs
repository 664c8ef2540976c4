using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Rotations.Web.Infrastructure.Migrations;

namespace Rotations.Tests.Migrations;

public sealed class MigrationRunnerTests
{
    /// <summary>Remove this skip once MigrationRunner sends one statement at a time (see the helper-migr report).</summary>
    private static MigrationRunner Runner(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<MigrationRunner>.Instance);

    private static Task<List<string>> HistoryAsync(ScratchDatabase db) =>
        db.RowsAsync($"select name, checksum from {MigrationRunner.HistoryTable} order by name");

    [Fact]
    public async Task Run_EmbeddedScriptsOnEmptyDatabase_CreatesTablesAndRecordsEachScriptOnceWithItsChecksum()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));
        var scripts = MigrationScript.Embedded();
        Assert.Contains(scripts, s => s.Name == "0001_foundation.sql");

        var result = await Runner(db.NewDataSource()).RunAsync(scripts);

        Assert.Equal(scripts.Select(s => s.Name), result.Applied);
        Assert.Equal(0, result.AlreadyApplied);
        Assert.Equal(scripts.Select(s => $"{s.Name}|{s.Checksum}"), await HistoryAsync(db));
        foreach (var table in new[] { "people", "roles", "person_roles", "person_claims", "person_logins", "person_tokens", "role_claims", "data_protection_keys" })
            Assert.True(await db.TableExistsAsync(table), $"table {table} was not created");
        Assert.Equal(5L, await db.ScalarAsync<long>("select count(*) from roles"));
    }

    [Fact]
    public async Task Run_Twice_SecondRunAppliesNothingAndLeavesHistoryAsItWas()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));
        var scripts = MigrationScript.Embedded();
        await Runner(db.NewDataSource()).RunAsync(scripts);
        var historyBefore = await db.RowsAsync($"select name, checksum, applied_at from {MigrationRunner.HistoryTable} order by name");

        var second = await Runner(db.NewDataSource()).RunAsync(scripts);

        Assert.Empty(second.Applied);
        Assert.Equal(scripts.Count, second.AlreadyApplied);
        Assert.Equal(historyBefore, await db.RowsAsync($"select name, checksum, applied_at from {MigrationRunner.HistoryTable} order by name"));
        Assert.Equal(5L, await db.ScalarAsync<long>("select count(*) from roles"));
    }

    [Fact]
    public async Task Run_SixRunnersStartedTogether_ApplyEachScriptExactlyOnceAndNoneThrows()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));
        // A runner that read the history before another committed would apply a script a second time:
        // the inserts count applications, and the sleep keeps 0002's transaction open long enough to overlap.
        MigrationScript[] scripts =
        [
            new("0001_applied.sql", "create table applied (n int not null);\ninsert into applied values (1);"),
            new("0002_slow.sql", "select pg_sleep(0.3);\ninsert into applied values (2);"),
            new("0003_fast.sql", "insert into applied values (3);"),
        ];
        const int runners = 6;
        var dataSources = Enumerable.Range(0, runners).Select(_ => db.NewDataSource()).ToList();
        // Open every pool's first connection before the start line, so the runners really start together.
        foreach (var dataSource in dataSources)
            await using (await dataSource.OpenConnectionAsync()) { }
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var runs = dataSources.Select(async dataSource =>
        {
            await start.Task;
            try { return (Result: await Runner(dataSource).RunAsync(scripts), Error: (Exception?)null); }
            catch (Exception ex) { return (Result: (MigrationResult?)null, Error: ex); }
        }).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(20));

        var errors = outcomes.Where(o => o.Error is not null).Select(o => o.Error!.Message).ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} of {runners} runners threw:\n" + string.Join("\n", errors));
        Assert.Equal(["1|1", "2|1", "3|1"], await db.RowsAsync("select n, count(*) from applied group by n order by n"));
        Assert.Equal(["0001_applied.sql|1", "0002_slow.sql|1", "0003_fast.sql|1"],
            await db.RowsAsync($"select name, count(*) from {MigrationRunner.HistoryTable} group by name order by name"));
        // Exactly one runner did the work; the others found it done.
        Assert.Equal(scripts.Select(s => s.Name), outcomes.Select(o => o.Result!).Single(r => r.Applied.Count > 0).Applied);
        Assert.Equal(runners - 1, outcomes.Count(o => o.Result!.Applied.Count == 0 && o.Result.AlreadyApplied == scripts.Length));
    }

    [Fact]
    public async Task Run_WhenAnAppliedScriptWasEdited_RefusesNamingItAndAppliesNothingAfterIt()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));
        var original = new MigrationScript("0001_people.sql", "create table people (id int primary key);");
        await Runner(db.NewDataSource()).RunAsync([original]);
        MigrationScript[] edited =
        [
            new(original.Name, "create table people (id int primary key, name text);"),
            new("0002_teams.sql", "create table teams (id int primary key);"),
        ];

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(db.NewDataSource()).RunAsync(edited));

        Assert.Contains("migrations/0001_people.sql", error.Message);
        Assert.Contains("edited", error.Message);
        Assert.Contains(original.Checksum[..12], error.Message);
        Assert.False(await db.TableExistsAsync("teams"), "0002 ran although 0001 was refused");
        Assert.Equal([$"0001_people.sql|{original.Checksum}"], await HistoryAsync(db));
    }

    [Fact]
    public async Task Run_WhenOnlyLineEndingsDiffer_DoesNotCountTheScriptAsEdited()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));
        var unix = new MigrationScript("0001_people.sql", "create table people (\n    id int primary key\n);\n");
        await Runner(db.NewDataSource()).RunAsync([unix]);

        var windows = new MigrationScript(unix.Name, unix.Sql.ReplaceLineEndings("\r\n"));
        Assert.NotEqual(unix.Sql, windows.Sql);

        var result = await Runner(db.NewDataSource()).RunAsync([windows]);

        Assert.Empty(result.Applied);
        Assert.Equal(1, result.AlreadyApplied);
    }

    /// <summary>Valid statements on lines 2-4, a syntax error on line 5, another statement after it.</summary>
    private static readonly MigrationScript[] ScriptsWithABrokenSecond =
    [
        new("0001_kept.sql", "create table kept (id int primary key);"),
        new("0002_broken.sql", """
            -- valid statements first: they must not survive the failure
            create table doomed (id int primary key);
            insert into doomed values (1);
            insert into kept values (1);
            create tabel misspelt (id int);
            create table never_reached (id int);
            """),
        new("0003_after.sql", "create table after_broken (id int);"),
    ];

    [Fact]
    public async Task Run_WhenAScriptFails_RollsItBackWholeNamingScriptAndPostgresError()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(db.NewDataSource()).RunAsync(ScriptsWithABrokenSecond));

        Assert.Contains("migrations/0002_broken.sql", error.Message);
        Assert.Contains("42601: syntax error at or near \"tabel\"", error.Message);
        Assert.Contains("rolled back", error.Message);
        Assert.IsType<Npgsql.PostgresException>(error.InnerException);
        Assert.False(await db.TableExistsAsync("doomed"), "a table from the failed script survived");
        Assert.False(await db.TableExistsAsync("after_broken"), "a script after the failed one ran");
        Assert.True(await db.TableExistsAsync("kept"), "the script before the failed one was undone");
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from kept"));
        Assert.Equal(["0001_kept.sql"], await db.RowsAsync($"select name from {MigrationRunner.HistoryTable} order by name"));
    }

    [Fact]
    public async Task Run_WhenAScriptFails_NamesTheLineOfTheErrorInTheScript()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(db.NewDataSource()).RunAsync(ScriptsWithABrokenSecond));

        Assert.True(error.Message.Contains("0002_broken.sql failed at line 5 "), error.Message);
    }

    [Fact]
    public async Task Run_WhenAScriptFailsAfterSemicolonsInQuotesAndComments_StillNamesTheRightLine()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));
        // Every quoting form PostgreSQL has, each holding a semicolon that does not end a statement.
        MigrationScript[] scripts =
        [
            new("0001_tricky.sql", """
                create table notes (body text); -- a comment; with a semicolon
                /* a block; comment /* nested; */ still comment; */
                insert into notes values ('it''s; quoted'), (E'escaped \'; quote'), ($tag$dollar; quoted$tag$);
                create function note_count() returns bigint language plpgsql as $$
                begin
                    return (select count(*) from notes);
                end;
                $$;
                create table "odd;name" (id int);
                select nosuchcolumn from notes;
                """),
        ];

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(db.NewDataSource()).RunAsync(scripts));

        Assert.True(error.Message.Contains("0001_tricky.sql failed at line 10 "), error.Message);
        Assert.Contains("42703", error.Message);
        Assert.False(await db.TableExistsAsync("notes"));
    }

    [Fact]
    public async Task Run_WhenAScriptFailsAtRunTime_NamesTheScriptAndPostgresErrorAndRollsBack()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));
        MigrationScript[] scripts =
        [
            new("0001_people.sql", "create table people (id int primary key);\ninsert into people values (1), (1);"),
        ];

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(db.NewDataSource()).RunAsync(scripts));

        Assert.Contains("migrations/0001_people.sql", error.Message);
        Assert.Contains("23505", error.Message);
        Assert.False(await db.TableExistsAsync("people"));
        Assert.Empty(await db.RowsAsync($"select name from {MigrationRunner.HistoryTable}"));
    }

    [Fact]
    public async Task Run_WhenAStatementFailsAtRunTime_NamesTheLineWhereThatStatementStarts()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));
        // A unique violation has no position in the statement: the statement's first line is the best there is.
        MigrationScript[] scripts =
        [
            new("0001_people.sql", "create table people (id int primary key);\n\ninsert into people\nvalues (1), (1);"),
        ];

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(db.NewDataSource()).RunAsync(scripts));

        Assert.True(error.Message.Contains("0001_people.sql failed at line 3 "), error.Message);
    }

    [Fact]
    public async Task Run_AfterAFailure_ReleasesTheLockSoAnotherMigratorCanApplyTheFixedScript()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));
        var broken = new MigrationScript("0001_people.sql", "create tabel people (id int);");
        await Assert.ThrowsAsync<MigrationException>(() => Runner(db.NewDataSource()).RunAsync([broken]));

        // Another data source means another session: it would wait forever on a lock left behind.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await Runner(db.NewDataSource()).RunAsync([new(broken.Name, "create table people (id int);")], timeout.Token);

        Assert.Equal(["0001_people.sql"], result.Applied);
    }

    [Fact]
    public async Task Run_WhenDatabaseHasAScriptThisBuildLacks_RefusesSayingANewerVersionMigratedIt()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrationRunnerTests));
        var first = new MigrationScript("0001_people.sql", "create table people (id int primary key);");
        var newer = new MigrationScript("0002_teams.sql", "create table teams (id int primary key);");
        await Runner(db.NewDataSource()).RunAsync([first, newer]);

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(db.NewDataSource()).RunAsync([first]));

        Assert.Contains("migrations/0002_teams.sql", error.Message);
        Assert.Contains("newer version", error.Message);
        Assert.Equal(["0001_people.sql", "0002_teams.sql"], await db.RowsAsync($"select name from {MigrationRunner.HistoryTable} order by name"));
    }
}
