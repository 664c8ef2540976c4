using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Support;

/// <summary>API callers with bearer tokens, and the JSON settings the API speaks (camelCase, enums as strings).</summary>
public static class ApiClients
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A client carrying a bearer token for the person, obtained from POST /api/v1/auth/token.</summary>
    public static async Task<HttpClient> ApiClientAsync(this RotationsApp app, string email)
    {
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = RotationsApp.Password });
        Assert.True(response.IsSuccessStatusCode, $"no token for {email}: {(int)response.StatusCode}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>A new person with the roles, and an API client signed in as them.</summary>
    public static async Task<(Person Person, HttpClient Api)> ApiPersonAsync(this RotationsApp app, string name, params string[] roles)
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail(name), roles);
        return (person, await app.ApiClientAsync(person.Email!));
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, Json);

    /// <summary>A stint booked through the service, as HR would: the fastest way to seed one.</summary>
    public static Task<Stint> BookAsync(this RotationsApp app, Guid leaderId, Guid tourId, DateOnly start, DateOnly end,
        StintKind kind = StintKind.Orientation, Guid? hostId = null) =>
        app.WithServiceAsync<SchedulingService, Stint>(s => s.BookAsync(new StintRequest(leaderId, tourId, hostId, start, end, kind, "")));
}
