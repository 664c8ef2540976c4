using Npgsql;
using Quartz;

namespace Rotations.Web.Infrastructure.Scheduler;

/// <summary>
/// Quartz on the application's PostgreSQL, clustered: every node that serves runs a scheduler, and each
/// firing runs on exactly one of them (Quartz's row lock in quartz.qrtz_locks decides). The schema is
/// migrations/0005; Quartz only validates it at start-up.
/// </summary>
public static class SchedulerExtensions
{
    public const string EnabledKey = "ROTATIONS_SCHEDULER";
    public const string SchedulerName = "Rotations";
    /// <summary>Quartz's tables live in their own schema; the prefix carries the schema qualifier.</summary>
    public const string TablePrefix = "quartz.qrtz_";
    /// <summary>How often a node records that it is alive; the jobs page shows it.</summary>
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(5);
    /// <summary>How long past a missed check-in the others wait before taking over a node's firings.</summary>
    public static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(20);

    public static WebApplicationBuilder AddRotationsScheduler(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = SchedulerName;
                o.GenerateInstanceId = true;
            });
            q.UseInstanceIdGenerator(new NodeIdGenerator());
            // Quartz compares check-ins across nodes: real time, whatever clock the features are given.
            q.UseTimeProvider(TimeProvider.System);
            q.UsePersistentStore(store =>
            {
                // The app's own data source: one connection string (ROTATIONS_DB), read late like the rest.
                store.UsePostgres(ds => ds.DataSourceFactory = sp => sp.GetRequiredService<NpgsqlDataSource>());
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = TablePrefix;
                    // migrations/0005 creates the tables; a web node never runs DDL. Validate refuses a
                    // database that lacks them, naming what is missing.
                    o.SchemaProvisioning = SchemaProvisioning.Validate;
                });
                store.UseClustering(c =>
                {
                    c.CheckinInterval = CheckinInterval;
                    c.CheckinMisfireThreshold = CheckinMisfireThreshold;
                });
                store.UseExecutionHistory();
            });
            RotationsJobs.Register(q);
        });
        services.AddQuartzExecutionHistory(o =>
        {
            // Successes for three days, failures for a month; a job that runs every 15 seconds cannot push
            // out the rest (failures are exempt from the per-job cap).
            o.Retention = TimeSpan.FromDays(3);
            o.RetentionByResult[JobRunResult.Failed] = TimeSpan.FromDays(30);
            o.MaxEntriesPerJob = 500;
            o.MaxEntriesPerScheduler = 5000;
        });

        // Off: the node serves pages and the jobs page (which reads and manages the cluster through the
        // database) but fires nothing. The migrate and seed commands never start hosted services at all.
        switch (Enabled(builder.Configuration))
        {
            case true:
                services.AddSingleton(new SchedulerStartPatience(TimeSpan.FromSeconds(30)));
                // Registered before Quartz's service: hosted services start in order.
                services.AddHostedService<SchedulerStartGate>();
                services.AddQuartzHostedService(o =>
                {
                    o.WaitForJobsToComplete = true;
                    o.AwaitApplicationStarted = false;
                });
                break;
            case null:
                // Reported when the node starts serving, like a bad ROTATIONS_DB, not while configuring.
                services.AddHostedService<InvalidSchedulerSetting>();
                break;
        }
        return builder;
    }

    /// <summary>ROTATIONS_SCHEDULER: "on" (the default) or "off"; null for anything else.</summary>
    public static bool? Enabled(IConfiguration configuration) => configuration[EnabledKey]?.Trim().ToLowerInvariant() switch
    {
        null or "" or "on" => true,
        "off" => false,
        _ => null,
    };

    private sealed class InvalidSchedulerSetting(IConfiguration configuration) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) =>
            throw new Database.StartupException($"{EnabledKey} is \"{configuration[EnabledKey]}\"; set it to on or off.");

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }

    /// <summary>
    /// AUTO instance ids that cannot collide: Quartz's default (host name plus the current millisecond) gives two
    /// nodes started in the same millisecond on one host the same id, and two nodes sharing an id each take the
    /// other's check-ins for their own. Host name first, so the jobs page still says which machine it is.
    /// </summary>
    private sealed class NodeIdGenerator : Quartz.Extensibility.IInstanceIdGenerator
    {
        public ValueTask<string> GenerateInstanceId(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult($"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
    }
}
