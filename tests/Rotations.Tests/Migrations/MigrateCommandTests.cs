using Npgsql;
using Rotations.Tests.Support;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Migrations;

namespace Rotations.Tests.Migrations;

/// <summary>The migrate and serve verbs of the real binary, as ./run.sh and the compose migrate service run them.</summary>
public sealed class MigrateCommandTests
{
    private const string Secret = "some-secret-value";

    private static Dictionary<string, string?> EnvironmentFor(string? connectionString) => new()
    {
        [DatabaseSettings.Key] = connectionString,
        // Should serve get past its checks by mistake, it must not collide with anything on a fixed port.
        ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
    };

    private static Task<ProcessResult> RunAsync(string command, string? connectionString) =>
        AppProcess.RunAsync(command, EnvironmentFor(connectionString), TimeSpan.FromSeconds(30));

    /// <summary>Both verbs at once: they share the start-up checks, and the machine has cores to spare while one waits.</summary>
    private static async Task<(string Command, ProcessResult Result)[]> RunMigrateAndServeAsync(string? connectionString) =>
        await Task.WhenAll(new[] { "migrate", "serve" }.Select(async command => (command, await RunAsync(command, connectionString))));

    private static string Describe(string command, ProcessResult result) =>
        $"{command}: exit {result.ExitCode}\n--- stdout\n{result.Stdout}\n--- stderr\n{result.Stderr}";

    /// <summary>A refusal is advice on stderr with exit code 1, not a crash with a stack trace.</summary>
    private static void AssertRefused(ProcessResult result, string command, params string[] expected)
    {
        Assert.True(result.ExitCode == 1, Describe(command, result));
        Assert.StartsWith("rotations: ", result.Stderr);
        foreach (var text in expected) Assert.True(result.Stderr.Contains(text), $"stderr lacks \"{text}\"\n{Describe(command, result)}");
        Assert.DoesNotContain("Unhandled exception", result.Output);
        Assert.DoesNotMatch(@"\n\s+at \S+\(", result.Output);
    }

    [Fact]
    public async Task Migrate_OnEmptyDatabase_AppliesEveryScriptThenSaysUpToDateWhenRunAgain()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrateCommandTests));
        var names = MigrationScript.Embedded().Select(s => s.Name).ToList();

        var first = await RunAsync("migrate", db.ConnectionString);
        var second = await RunAsync("migrate", db.ConnectionString);

        Assert.True(first.ExitCode == 0, Describe("migrate", first));
        Assert.True(first.Stdout.Contains($"rotations: applied {string.Join(", ", names)}."), Describe("migrate", first));
        Assert.Equal(names, await db.RowsAsync($"select name from {MigrationRunner.HistoryTable} order by name"));
        Assert.True(second.ExitCode == 0, Describe("migrate", second));
        Assert.True(second.Stdout.Contains($"rotations: database is up to date ({names.Count} migrations)."), Describe("migrate", second));
        Assert.DoesNotContain("applied 0001", second.Stdout);
    }

    [Fact]
    public async Task Migrate_WhenTheAppliedChecksumOfFoundationChanged_Exits1NamingTheScriptAsEdited()
    {
        await using var db = await ScratchDatabase.MigratedAsync(nameof(MigrateCommandTests));
        var otherChecksum = new MigrationScript("0001_foundation.sql", "-- some other text").Checksum;
        await db.ExecuteAsync($"update {MigrationRunner.HistoryTable} set checksum = '{otherChecksum}' where name = '0001_foundation.sql'");

        var result = await RunAsync("migrate", db.ConnectionString);

        AssertRefused(result, "migrate", "0001_foundation.sql", "edited");
        Assert.Equal([$"0001_foundation.sql|{otherChecksum}"],
            await db.RowsAsync($"select name, checksum from {MigrationRunner.HistoryTable} where name = '0001_foundation.sql'"));
    }

    [Fact]
    public async Task Migrate_WhenTheAppliedChecksumWasHandEditedToAShortValue_StillExits1NamingTheScriptAsEdited()
    {
        await using var db = await ScratchDatabase.MigratedAsync(nameof(MigrateCommandTests));
        await db.ExecuteAsync($"update {MigrationRunner.HistoryTable} set checksum = 'tampered' where name = '0001_foundation.sql'");

        var result = await RunAsync("migrate", db.ConnectionString);

        AssertRefused(result, "migrate", "0001_foundation.sql", "edited");
    }

    [Fact]
    public async Task MigrateAndServe_WithRotationsDbUnset_Exit1SayingToSetRotationsDb()
    {
        foreach (var (command, result) in await RunMigrateAndServeAsync(connectionString: null))
            AssertRefused(result, command, "ROTATIONS_DB is not set");
    }

    [Fact]
    public async Task MigrateAndServe_WithUnreachableDatabase_Exit1NamingRotationsDbWithoutThePassword()
    {
        var unreachable = $"Host=127.0.0.1;Port=1;Database=rotations;Username=rotations;Password={Secret};Timeout=3";

        foreach (var (command, result) in await RunMigrateAndServeAsync(unreachable))
        {
            AssertRefused(result, command, "Cannot reach", "ROTATIONS_DB", "(Host=127.0.0.1;Port=1;Database=rotations;Username=rotations)");
            Assert.DoesNotContain(Secret, result.Output);
        }
    }

    [Fact]
    public async Task MigrateAndServe_WithWrongPassword_Exit1NamingRotationsDbWithoutThePassword()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrateCommandTests));
        var wrongPassword = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Password = Secret }.ConnectionString;

        foreach (var (command, result) in await RunMigrateAndServeAsync(wrongPassword))
        {
            AssertRefused(result, command, "ROTATIONS_DB", "28P01");
            Assert.DoesNotContain(Secret, result.Output);
        }
        Assert.False(await db.TableExistsAsync(MigrationRunner.HistoryTable));
    }

    [Fact]
    public async Task Serve_OnUnmigratedDatabase_ExitsSayingToRunMigrate()
    {
        await using var db = await ScratchDatabase.EmptyAsync(nameof(MigrateCommandTests));

        var result = await RunAsync("serve", db.ConnectionString);

        AssertRefused(result, "serve", "lacks", "0001_foundation.sql", "Run the migrate command first");
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(db.ConnectionString).Password!, result.Output);
        Assert.False(await db.TableExistsAsync("people"), "serve changed the schema");
    }
}
