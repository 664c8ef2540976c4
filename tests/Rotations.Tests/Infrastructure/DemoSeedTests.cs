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
            Assert.Contains($"Demo learning: {DemoLearning.Reflections.Count} reflections written", first.Output);
            Assert.Contains($"Demo readiness: {DemoLearning.Reviews.Count} reviews submitted", first.Output);

            var second = await AppProcess.RunAsync("seed", env);
            Assert.True(second.ExitCode == 0, second.Output);
            Assert.Equal(afterFirst, await Snapshot(connectionString));
            Assert.Contains($"0 people created, {DemoSeeder.People.Count} already present", second.Output);
            Assert.Contains("Demo programme already present", second.Output);
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await using var count = dataSource.CreateCommand("select count(*) from stints");
            Assert.Equal((long)DemoSeeder.Stints.Count, (long)(await count.ExecuteScalarAsync())!);
            // The demo reflections: submitted once, dated after their stints ended, with the hosts' feedback; written once.
            Assert.Contains("Demo learning: 0 reflections written", second.Output);
            Assert.Contains("Demo readiness: 0 reviews submitted", second.Output);
            await using var learning = dataSource.CreateCommand("""
                select (select count(*) from reflections r join stints s on s.id = r.stint_id
                        where r.submitted_at is not null and r.submitted_at::date > s.end_date and r.revision = 1),
                       (select count(*) from reflection_versions),
                       (select count(*) from host_feedback where submitted_at is not null),
                       (select count(*) from reflection_terms)
                """);
            await using var reader = await learning.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(((long)DemoLearning.Reflections.Count, (long)DemoLearning.Reflections.Count,
                    (long)DemoLearning.Reflections.Count(r => r.Feedback is not null), (long)DemoLearning.Reflections.Sum(r => r.Vocabulary.Length)),
                (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }
        finally { await TestDatabase.DropAsync(database); }
    }
}
