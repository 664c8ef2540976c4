using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Web.Features.Demo;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Migrations;

namespace Rotations.Web.Infrastructure.Cli;

/// <summary>
/// The verbs of the one binary: serve (the default), migrate, seed, deliver and model-sql.
/// The same code runs from ./run.sh, the compose migrate service and the tests.
/// </summary>
public static class RotationsCommands
{
    private const string Usage = """
        usage: Rotations.Web [command]
          serve      run the web application (default); refuses to start on an unmigrated database
          migrate    apply migrations/*.sql that the database has not applied yet
          seed       add the demo people (idempotent); ROTATIONS_DEMO_PASSWORD sets their password
          deliver    send every email in the outbox that is due now, then exit (the delivery job does this every 15 seconds)
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
                    using (ShutdownWatchdog.Arm(app))
                        await app.RunAsync();
                    return 0;
                case "migrate":
                    return await MigrateAsync(app.Services);
                case "seed":
                    await EnsureDatabaseReadyAsync(app.Services);
                    await using (var scope = app.Services.CreateAsyncScope())
                        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(app.Configuration);
                    return 0;
                case "deliver":
                    await EnsureDatabaseReadyAsync(app.Services);
                    return await DeliverAsync(app.Services, CancellationToken.None);
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

    /// <summary>Passes until one finds nothing due: retries that back off are left for later runs.</summary>
    private static async Task<int> DeliverAsync(IServiceProvider services, CancellationToken ct)
    {
        int sent = 0, retrying = 0, failed = 0, cancelled = 0;
        while (true)
        {
            await using var scope = services.CreateAsyncScope();
            var pass = await scope.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverDueAsync(ct);
            if (pass.Handled == 0) break;
            (sent, retrying, failed, cancelled) = (sent + pass.Sent, retrying + pass.Retrying, failed + pass.Failed, cancelled + pass.Cancelled);
        }
        var settings = services.GetRequiredService<Infrastructure.Email.EmailSettings>();
        Console.WriteLine($"rotations: outbox delivered through {settings.Describe()}: {sent} sent, {retrying} to retry later, " +
                          $"{failed} failed, {cancelled} no longer wanted.");
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
