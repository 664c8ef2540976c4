using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Support;

/// <summary>
/// The whole application over HTTP (WebApplicationFactory), on a database of its own.
/// Use as an xunit class fixture, or create one per test where a test needs a pristine app.
/// </summary>
public class RotationsApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "correct horse battery staple";

    // The scheduler stays off unless a test turns it on: a test app that fired the reminder sweep or the
    // outbox delivery on its own would race the test's own calls to them.
    private readonly Dictionary<string, string?> settings = new() { [SchedulerExtensions.EnabledKey] = "off" };
    public string DatabaseName { get; private set; } = "";
    public string ConnectionString => TestDatabase.ConnectionStringFor(DatabaseName);
    public CapturedLogs Logs { get; } = new();
    public TestClock Clock { get; } = new();

    /// <summary>Extra configuration (as environment variables would give it), set before first use.</summary>
    public RotationsApp With(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    private bool ownsDatabase = true;

    public virtual async Task InitializeAsync() => DatabaseName = await TestDatabase.CreateMigratedAsync(GetType().Name);

    /// <summary>
    /// A second node: the same application, its own host, clock and logs, on <paramref name="first"/>'s
    /// database (which stays <paramref name="first"/>'s to drop).
    /// </summary>
    public static T SecondNodeOf<T>(RotationsApp first) where T : RotationsApp, new() =>
        new() { DatabaseName = first.DatabaseName, ownsDatabase = false };

    async Task IAsyncLifetime.DisposeAsync() => await DisposeDatabaseAsync();

    /// <summary>Stops the app and drops its database.</summary>
    public async Task DisposeDatabaseAsync()
    {
        await base.DisposeAsync();
        if (DatabaseName != "" && ownsDatabase) await TestDatabase.DropAsync(DatabaseName);
        DatabaseName = "";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting(DatabaseSettings.Key, ConnectionString);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
        builder.ConfigureLogging(logging =>
        {
            // The capture replaces the console: test output stays readable, and tests search the logs.
            logging.ClearProviders();
            logging.AddProvider(Logs);
            // Everything down to Debug reaches the capture, whatever appsettings filters for the console.
            logging.AddFilter<CapturedLogs>(null, LogLevel.Debug);
        });
    }

    /// <summary>Creates an active person with the given roles and the shared test password.</summary>
    public async Task<Person> CreatePersonAsync(string email, params string[] roles)
    {
        await using var scope = Services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        var person = new Person
        {
            UserName = email, Email = email, EmailConfirmed = true,
            DisplayName = string.Join(' ', email.Split('@')[0].Split('.').Select(w => char.ToUpperInvariant(w[0]) + w[1..])),
        };
        Assert.True((await people.CreateAsync(person, Password)).Succeeded, $"could not create {email}");
        if (roles.Length > 0) Assert.True((await people.AddToRolesAsync(person, roles)).Succeeded);
        return person;
    }

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see them.</summary>
    public HttpClient CreateBrowser() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the real login page, anti-forgery token and all.</summary>
    public async Task<HttpClient> SignInAsync(string email, string password = Password)
    {
        var client = CreateBrowser();
        var response = await PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"sign-in as {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>GETs the page, reads its anti-forgery token, and posts the form fields with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string? formPath = null)
    {
        var page = await client.GetAsync(formPath ?? path);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryToken(html) ?? throw new InvalidOperationException($"No anti-forgery token on {formPath ?? path} ({(int)page.StatusCode}).");
        var body = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(path, new FormUrlEncodedContent(body));
    }

    public static string? AntiforgeryToken(string html)
    {
        var match = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        return match.Success ? match.Groups[1].Value : null;
    }
}
