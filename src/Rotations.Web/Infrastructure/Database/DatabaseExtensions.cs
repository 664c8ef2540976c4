using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Rotations.Web.Features.Audit;
using Rotations.Web.Infrastructure.DataProtection;

namespace Rotations.Web.Infrastructure.Database;

public static class DatabaseExtensions
{
    public static WebApplicationBuilder AddRotationsData(this WebApplicationBuilder builder)
    {
        // Resolved lazily from the final configuration, so hosts and tests can supply ROTATIONS_DB late.
        builder.Services.AddSingleton(sp =>
        {
            var connectionString = DatabaseSettings.GetConnectionString(sp.GetRequiredService<IConfiguration>());
            var dataSource = new NpgsqlDataSourceBuilder(connectionString);
            dataSource.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            return dataSource.Build();
        });
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditActor>();
        builder.Services.AddScoped<AuditInterceptor>();
        builder.Services.AddDbContext<RotationsDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            // The guard first: a refused write adds no audit entry either.
            .AddInterceptors(new TextColumnGuard(), sp.GetRequiredService<AuditInterceptor>())
            // A failed query is reported once, by whoever handles it (the request's exception handler: a 500 with its
            // stack, or one 503 line when PostgreSQL is away; a job's failure in its history), not also by EF
            // itself, which logs each failure three times over (connection, command, query or save) with the stack.
            .ConfigureWarnings(w => w.Log(
                (RelationalEventId.ConnectionError, LogLevel.Debug),
                (RelationalEventId.CommandError, LogLevel.Debug),
                (CoreEventId.QueryIterationFailed, LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, LogLevel.Debug))));

        builder.Services.AddSingleton<Migrations.MigrationRunner>();
        builder.Services.AddDatabaseKeyRing();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }
}
