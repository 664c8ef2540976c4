using Microsoft.Extensions.DependencyInjection.Extensions;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Reminders;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Email;

namespace Rotations.Bench;

/// <summary>
/// The application's services, registered by the application's own extension methods (the same lines as
/// Program.cs), on a given database and a clock the benchmark sets. No web server is started: a benchmark
/// measures the services, not HTTP.
/// </summary>
public sealed class BenchApp : IAsyncDisposable
{
    public BenchClock Clock { get; } = new();
    public WebApplication App { get; }
    public IServiceProvider Services => App.Services;

    public BenchApp(string connectionString, string mailDirectory)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseSettings.Key] = connectionString,
            [EmailSettings.MailDirKey] = mailDirectory,
        });
        // Per-email and per-sweep information lines would measure the console, not the work.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        // A provider rule, so that it outranks the "Default" level of the app's appsettings.json.
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning);

        builder.AddRotationsData();
        builder.AddReminders();
        builder.AddNotifications();
        builder.Services.RemoveAll<TimeProvider>();
        builder.Services.AddSingleton<TimeProvider>(Clock);
        App = builder.Build();
    }

    /// <summary>Runs <paramref name="work"/> with a service from a fresh scope, as one request or one job run would.</summary>
    public async Task<TResult> WithAsync<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<SweepResult> SweepAsync() => WithAsync<ReminderSweep, SweepResult>(s => s.RunAsync(CancellationToken.None));

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
