using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Web.Features.Demo;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Migrations;

namespace Rotations.Web.Infrastructure.Cli;

/// <summary>
/// The verbs of the one binary: serve (the default), migrate, seed and model-sql.
/// The same code runs from ./run.sh, the compose migrate service and the tests.
/// </summary>
public static class RotationsCommands
{
    private const string Usage = """
        usage: Rotations.Web [command]
          serve      run the web application (default); refuses to start on an unmigrated database
          migrate    apply migrations/*.sql that the database has not applied yet
          seed       add the demo people (idempotent); ROTATIONS_DEMO_PASSWORD sets their password
          model-sql  print the EF model's create script, to compare with a new migration
        """;

    public static async Task<int> RunCommandAsync(this WebApplication app, string[] args)
    {
        var command = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=')) ?? "serve";
        try
        {
            switch (command)
            {
                case "serve":
                    await EnsureDatabaseReadyAsync(app.Services);
                    await app.RunAsync();
                    return 0;
                case "migrate":
                    return await MigrateAsync(app.Services);
                case "seed":
                    await EnsureDatabaseReadyAsync(app.Services);
                    await using (var scope = app.Services.CreateAsyncScope())
                        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(app.Configuration);
                    return 0;
                case "model-sql":
                    await using (var scope = app.Services.CreateAsyncScope())
                        Console.WriteLine(scope.ServiceProvider.GetRequiredService<RotationsDbContext>().Database.GenerateCreateScript());
                    return 0;
                case "help" or "--help" or "-h":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"rotations: unknown command '{command}'.\n{Usage}");
                    return 2;
            }
        }
        catch (Exception ex) when (ex is StartupException or MigrationException)
        {
            await Console.Error.WriteLineAsync($"rotations: {ex.Message}");
            return 1;
        }
        catch (Quartz.SchedulerException ex)
        {
            // The scheduler starts with the host, so a node never serves without it (see SchedulerStartGate).
            await Console.Error.WriteLineAsync($"rotations: the scheduler could not start: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> MigrateAsync(IServiceProvider services)
    {
        var dataSource = GetDataSource(services);
        await DatabaseSettings.EnsureReachableAsync(dataSource);
        var result = await services.GetRequiredService<MigrationRunner>().RunAsync(MigrationScript.Embedded());
        Console.WriteLine(result.Applied.Count == 0
            ? $"rotations: database is up to date ({result.AlreadyApplied} migrations)."
            : $"rotations: applied {string.Join(", ", result.Applied)}.");
        return 0;
    }

    /// <summary>Reachable and fully migrated, or a message that says what to fix.</summary>
    private static async Task EnsureDatabaseReadyAsync(IServiceProvider services)
    {
        var dataSource = GetDataSource(services);
        await DatabaseSettings.EnsureReachableAsync(dataSource);
        var pending = await services.GetRequiredService<MigrationRunner>().PendingAsync(MigrationScript.Embedded());
        if (pending.Count > 0)
            throw new StartupException(
                $"The database ({DatabaseSettings.Describe(dataSource.ConnectionString)}) lacks {pending.Count} migration(s): " +
                $"{string.Join(", ", pending)}. Run the migrate command first (./run.sh and the compose migrate service do).");
    }

    private static NpgsqlDataSource GetDataSource(IServiceProvider services) =>
        services.GetRequiredService<NpgsqlDataSource>();
}
