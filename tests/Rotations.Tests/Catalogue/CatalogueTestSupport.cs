using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Tests.Catalogue;

/// <summary>API clients with bearer tokens, bookings and HTML parsing for the catalogue and cohort tests.</summary>
internal static class CatalogueTestSupport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>
    /// A person with the role and an HttpClient carrying their bearer token. One per role and app: hashing
    /// passwords is the slow part of these tests, and no test depends on who the person is.
    /// </summary>
    public static Task<HttpClient> ApiAsAsync(this RotationsApp app, string role) =>
        Shared(app, "api:" + role, async () =>
        {
            var email = TestData.UniqueEmail(role.ToLowerInvariant());
            await app.CreatePersonAsync(email, role);
            return await app.ApiForAsync(email);
        });

    public static async Task<HttpClient> ApiForAsync(this RotationsApp app, string email)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = RotationsApp.Password });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>A valid tour body for the API, with a fresh code unless one is given.</summary>
    public static Dictionary<string, object?> TourBody(string? code = null, int capacity = 2, IEnumerable<Guid>? hostIds = null) => new()
    {
        ["code"] = code ?? NewCode(),
        ["name"] = "Customer insight lab",
        ["summary"] = "Work with the research team.",
        ["outsideIn"] = "Hear customers in their own words.",
        ["insideOut"] = "See how research reaches decisions.",
        ["reflectionPrompts"] = "What surprised you?\nWhat would you change?",
        ["orientationWeeks"] = new { min = 1, typical = 2, max = 4 },
        ["assignmentWeeks"] = new { min = 4, typical = 8, max = 26 },
        ["capacity"] = capacity,
        ["hostIds"] = (hostIds ?? []).ToArray(),
    };

    public static string NewCode() => ("T_" + Guid.NewGuid().ToString("N"))[..12].ToUpperInvariant();

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public static HttpRequestMessage Put(string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    public static Task<Stint> BookAsync(this RotationsApp app, Guid leader, Guid tour, DateOnly start, DateOnly end,
        StintKind kind = StintKind.Orientation, Guid? host = null) =>
        app.WithServiceAsync<SchedulingService, Stint>(s => s.BookAsync(new StintRequest(leader, tour, host, start, end, kind, "")));

    /// <summary>A Monday some weeks after today, so bookings are in the future whatever day the tests run.</summary>
    public static DateOnly MondayInWeeks(this RotationsApp app, int weeks)
    {
        var today = app.Clock.Today();
        return today.AddDays(7 - ((int)today.DayOfWeek + 6) % 7 + (weeks - 1) * 7);
    }

    public static async Task<IHtmlDocument> HtmlAsync(this HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>A signed-in cookie client for a person with the role; one per role and app, like <see cref="ApiAsAsync"/>.</summary>
    public static Task<HttpClient> BrowserAsAsync(this RotationsApp app, string role) =>
        Shared(app, "browser:" + role, async () =>
        {
            var email = TestData.UniqueEmail(role.ToLowerInvariant());
            await app.CreatePersonAsync(email, role);
            return await app.SignInAsync(email);
        });

    private static readonly ConditionalWeakTable<RotationsApp, ConcurrentDictionary<string, Lazy<Task<HttpClient>>>> Clients = new();

    private static Task<HttpClient> Shared(RotationsApp app, string key, Func<Task<HttpClient>> create) =>
        Clients.GetValue(app, _ => new()).GetOrAdd(key, _ => new Lazy<Task<HttpClient>>(create)).Value;

    public static readonly string[] SeededCodes =
        ["SALES", "SERVICE", "CONTACT", "FIELD", "DEPOT", "SELF", "PRODUCT", "MARKETING", "DIGITAL", "WAREHOUSE", "EXEC"];
}
