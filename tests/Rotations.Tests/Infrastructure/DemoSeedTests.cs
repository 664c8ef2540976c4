using Npgsql;
using Rotations.Tests.Support;
using Rotations.Web.Features.Demo;

namespace Rotations.Tests.Infrastructure;

public sealed class DemoSeedTests
{
    private static async Task<string> Snapshot(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("""
            select string_agg(p.email || ':' || p.password_hash || ':' || p.security_stamp || ':' || r.name, '|' order by p.email, r.name)
            from people p join person_roles pr on pr.user_id = p.id join roles r on r.id = pr.role_id
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task SeedCommand_RunTwice_CreatesTheDemoPeopleOnceAndChangesNothingTheSecondTime()
    {
        var database = await TestDatabase.CreateMigratedAsync("seed");
        var connectionString = TestDatabase.ConnectionStringFor(database);
        var env = new Dictionary<string, string?>
        {
            ["ROTATIONS_DB"] = connectionString,
            [DemoSeeder.PasswordKey] = "demo passphrase for tests",
        };
        try
        {
            var first = await AppProcess.RunAsync("seed", env);
            Assert.True(first.ExitCode == 0, first.Output);
            var afterFirst = await Snapshot(connectionString);
            foreach (var person in DemoSeeder.People) Assert.Contains(person.Email, afterFirst);
            Assert.DoesNotContain("skipped", first.Output);

            var second = await AppProcess.RunAsync("seed", env);
            Assert.True(second.ExitCode == 0, second.Output);
            Assert.Equal(afterFirst, await Snapshot(connectionString));
            Assert.Contains($"0 people created, {DemoSeeder.People.Count} already present", second.Output);
            Assert.Contains("Demo programme already present", second.Output);
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await using var count = dataSource.CreateCommand("select count(*) from stints");
            Assert.Equal((long)DemoSeeder.Stints.Count, (long)(await count.ExecuteScalarAsync())!);
        }
        finally { await TestDatabase.DropAsync(database); }
    }
}
