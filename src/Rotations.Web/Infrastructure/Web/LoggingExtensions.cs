using Microsoft.Extensions.Logging.Console;

namespace Rotations.Web.Infrastructure.Web;

public static class LoggingExtensions
{
    /// <summary>
    /// Structured JSON on the console by default (appsettings.json: Logging:Console:FormatterName), for
    /// containers and log shippers; run.sh switches to the simple formatter for a person at a terminal.
    /// Nothing logs request bodies, headers or connection strings: EF's sensitive-data logging stays off.
    /// </summary>
    public static WebApplicationBuilder AddRotationsLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        return builder;
    }
}
