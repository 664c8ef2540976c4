using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Rotations.Web.Infrastructure.Database;

/// <summary>Opens a connection and runs a trivial query: what a load balancer needs to know.</summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("PostgreSQL answered.");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The exception text can name hosts; the description is public, so keep it generic.
            return HealthCheckResult.Unhealthy("PostgreSQL did not answer.");
        }
    }
}
