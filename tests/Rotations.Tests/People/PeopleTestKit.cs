using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;

namespace Rotations.Tests.People;

/// <summary>Seeding and calling helpers for the people tests.</summary>
internal static class PeopleTestKit
{
    /// <summary>As the API writes JSON: camelCase, enums as strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A new person with <paramref name="roles"/>, signed in through the login page (cookie).</summary>
    public static async Task<(Person Person, HttpClient Client)> SignedInAsync(this RotationsApp app, string who, params string[] roles)
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail(who), roles);
        return (person, await app.SignInAsync(person.Email!));
    }

    public static async Task<Guid> CohortAsync(this RotationsApp app, string? name = null)
    {
        var cohort = new Cohort { Name = name ?? $"Cohort {Guid.NewGuid():N}"[..20], StartDate = new(2027, 1, 4), EndDate = new(2027, 12, 31) };
        await app.WithDbAsync(async db =>
        {
            db.Cohorts.Add(cohort);
            await db.SaveChangesAsync();
        });
        return cohort.Id;
    }

    public static async Task<PersonDto> ReadPersonAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<PersonDto>(body, Json)!;
    }

    /// <summary>The field errors of a 400 problem: field → messages.</summary>
    public static async Task<Dictionary<string, string[]>> FieldErrorsAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>(Json)!;
    }

    public static Task<HttpResponseMessage> PutPersonAsync(this HttpClient client, Guid id, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/people/{id}") { Content = JsonContent.Create(body, options: Json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    /// <summary>The request body that keeps <paramref name="p"/> as it is, to change one thing with a `with`.</summary>
    public static PersonRequest AsRequest(this PersonDto p) => new(p.Email, p.DisplayName, p.Roles, p.ManagerId, p.TimeZone, null,
        p.Leader is { } l ? new LeaderRequest(l.CurrentLevel.ToString(), l.TargetLevel.ToString(), l.CohortId, l.HomeDepartment, l.ProgrammeStart) : null);

    public static async Task<HttpResponseMessage> TokenAsync(this RotationsApp app, string email, string password = RotationsApp.Password) =>
        await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password });

    public static async Task<HttpClient> BearerClientAsync(this RotationsApp app, string email)
    {
        var response = await app.TokenAsync(email);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    public static Task<int> AuditCountAsync(this RotationsApp app) => app.WithDbAsync(db => db.AuditEntries.CountAsync());

    public static Task<Person?> FindPersonAsync(this RotationsApp app, string email) =>
        app.WithDbAsync(db => db.Users.AsNoTracking().Include(p => p.LeaderProfile)
            .SingleOrDefaultAsync(p => p.NormalizedEmail == email.ToUpperInvariant()));

    public static Task<List<string>> RolesOfAsync(this RotationsApp app, Guid personId) =>
        app.WithDbAsync(db => db.UserRoles.Where(ur => ur.UserId == personId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).OrderBy(n => n).ToListAsync());
}
