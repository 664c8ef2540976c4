using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Rotations.Web.Infrastructure.Errors;

/// <summary>
/// PostgreSQL cannot be reached or is going away (a restart, a fail-over, a full server): the request answers
/// 503 with Retry-After — problem details for the API, a short page for people — instead of a 500, with one
/// warning line in the log rather than a stack trace per request.
/// </summary>
internal sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, NpgsqlDataSource dataSource,
    ILogger<DatabaseUnavailableHandler> log) : IExceptionHandler
{
    /// <summary>How long a caller is asked to wait: a restart of PostgreSQL takes a few seconds.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (DatabaseUnavailable.Reason(exception) is not { } reason) return false;
        log.LogWarning("PostgreSQL is unavailable, {Method} {Path} answered 503: {Reason}",
            http.Request.Method, http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path.Value, reason);
        // Connections idle in the pool may point at the server that went away; they are dropped now rather than
        // each failing one more request after it is back. Connections in use are discarded when returned.
        dataSource.Clear();

        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        http.Response.Headers.CacheControl = "no-store";
        if (Web.WebExtensions.IsApi(http))
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "The database is unavailable",
                    Detail = $"The service cannot reach its database just now. Nothing was changed by this request unless it said so; try again in {RetryAfterSeconds} seconds.",
                },
                Exception = exception,
            });

        // Not the Razor error page: its layout reads the inbox and re-running authentication may read the
        // person again, and both need the database that is missing. A static page needs nothing.
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(Page, ct);
        return true;
    }

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>Temporarily unavailable · Rotations</title>
            <link rel="stylesheet" href="/css/site.css" />
        </head>
        <body>
        <main id="main" class="page">
        <section class="auth-card">
            <h1>Temporarily unavailable</h1>
            <p>Rotations cannot reach its database just now. Wait a few seconds, then reload the page.</p>
            <a class="button" href="/">Back to the home page</a>
        </section>
        </main>
        </body>
        </html>
        """;
}

/// <summary>Tells a database outage (a connection that failed or was cut) from every other failure.</summary>
public static class DatabaseUnavailable
{
    /// <summary>A short reason when <paramref name="exception"/> or one it wraps says PostgreSQL is unreachable; null otherwise.</summary>
    public static string? Reason(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // Only the server saying it is going away or refusing connections; a constraint, a deadlock or a
                    // serialization failure is the request's own business, not an outage.
                    return pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                        or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
                        || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                        ? $"{pg.SqlState} {pg.MessageText}" : null;
                case NpgsqlException { IsTransient: true } npgsql:
                    return npgsql.InnerException is { } inner ? $"{npgsql.Message} ({inner.GetType().Name}: {inner.Message})" : npgsql.Message;
                case SocketException socket:
                    return $"{socket.SocketErrorCode}: {socket.Message}";
                case RetryLimitExceededException:
                    continue; // its inner exception is the last failure
            }
        }
        return null;
    }

    public static bool Is(Exception? exception) => Reason(exception) is not null;
}
