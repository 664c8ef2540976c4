using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Competencies;

/// <summary>The competency framework: ten seeded, read by everyone on the programme, replaced by HR as a whole.</summary>
public sealed class CompetenciesApiTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    internal const string Path = "/api/v1/competencies";

    [Fact]
    public async Task The_ten_seeded_competencies_are_read_by_anyone_signed_in_with_the_tours_that_develop_them()
    {
        var (_, leader) = await app.ApiPersonAsync("lena", Roles.Leader);
        var response = await leader.GetAsync(Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var list = (await response.ReadJsonAsync()).GetProperty("competencies").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 10), list.Select(c => c.GetProperty("position").GetInt32()));
        var c3 = list[2];
        Assert.Equal("Mobilising the C-suite", c3.GetProperty("name").GetString());
        Assert.Contains(c3.GetProperty("tours").EnumerateArray(), t => t.GetProperty("code").GetString() == "EXEC");
        Assert.Contains(list[0].GetProperty("tours").EnumerateArray(), t => t.GetProperty("code").GetString() == "CONTACT");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(Path)).StatusCode);
    }

    [Fact]
    public async Task Only_hr_replaces_the_framework_with_if_match_and_bad_input_names_each_field_and_changes_nothing()
    {
        var (_, leader) = await app.ApiPersonAsync("lena", Roles.Leader, Roles.Manager);
        var hr = await app.HrApiAsync();
        var (etag, list) = await ReadAsync(hr);
        var body = new { competencies = list.Select(c => new { id = c.GetProperty("id").GetGuid(), name = c.GetProperty("name").GetString(), description = "", tourIds = Array.Empty<Guid>() }).ToList() };

        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PutAsJsonAsync(Path, body)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await hr.PutAsJsonAsync(Path, body)).StatusCode);

        var bad = new
        {
            competencies = new object[]
            {
                new { id = list[0].GetProperty("id").GetGuid(), name = "Storytelling", description = "", tourIds = new[] { Guid.NewGuid() } },
                new { id = (Guid?)null, name = " storytelling ", description = new string('x', 1001), tourIds = Array.Empty<Guid>() },
                new { id = (Guid?)Guid.NewGuid(), name = "", description = "", tourIds = Array.Empty<Guid>() },
            },
        };
        var refused = await SendAsync(hr, bad, etag);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.ReadJsonAsync()).GetProperty("errors");
        Assert.Contains("No such tour", errors.GetProperty("competencies[0].tourIds")[0].GetString());
        Assert.Contains("already in the framework", errors.GetProperty("competencies[1].name")[0].GetString());
        Assert.Contains("At most 1000", errors.GetProperty("competencies[1].description")[0].GetString());
        Assert.Contains("no competency with this id", errors.GetProperty("competencies[2].id")[0].GetString());
        Assert.Contains("Enter the competency's name", errors.GetProperty("competencies[2].name")[0].GetString());
        Assert.Equal(10, await app.WithDbAsync(db => db.Competencies.CountAsync(c => !c.IsRetired)));
    }

    internal static async Task<(string ETag, List<JsonElement> List)> ReadAsync(HttpClient client)
    {
        var response = await client.GetAsync(Path);
        return (response.Headers.ETag!.Tag, (await response.ReadJsonAsync()).GetProperty("competencies").EnumerateArray().ToList());
    }

    internal static Task<HttpResponseMessage> SendAsync(HttpClient client, object body, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return client.SendAsync(request);
    }
}

/// <summary>HR changing the framework, on a database of its own (the other tests read the seeded one).</summary>
public sealed class CompetencyFrameworkEditTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private const string Path = CompetenciesApiTests.Path;
    private static Task<(string ETag, List<JsonElement> List)> ReadAsync(HttpClient client) => CompetenciesApiTests.ReadAsync(client);
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, object body, string etag) => CompetenciesApiTests.SendAsync(client, body, etag);

    [Fact]
    public async Task Hr_renames_reorders_adds_and_retires_and_a_stale_version_is_refused()
    {
        var hr = await app.HrApiAsync();
        var (etag, list) = await ReadAsync(hr);
        var exec = (await (await hr.GetAsync("/api/v1/tours")).ReadJsonAsync()).EnumerateArray().Single(t => t.GetProperty("code").GetString() == "EXEC").GetProperty("id").GetGuid();
        // The last one moves to the top and is renamed, the ninth leaves, a new one arrives last.
        var kept = list.Take(8).Select(c => (object)new { id = c.GetProperty("id").GetGuid(), name = c.GetProperty("name").GetString(), description = c.GetProperty("description").GetString(), tourIds = c.GetProperty("tours").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToArray() });
        var body = new
        {
            competencies = new object[] { new { id = list[9].GetProperty("id").GetGuid(), name = "One vocabulary", description = "Terms and KPIs of every function.", tourIds = new[] { exec } } }
                .Concat(kept)
                .Append(new { id = (Guid?)null, name = "Data literacy", description = "Reads a dashboard critically.", tourIds = Array.Empty<Guid>() })
                .ToList(),
        };
        var saved = await SendAsync(hr, body, etag);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var (_, now) = await ReadAsync(hr);
        Assert.Equal(["One vocabulary", "Customer insight and storytelling"], now.Take(2).Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("Data literacy", now[^1].GetProperty("name").GetString());
        Assert.Equal(10, now.Count);
        Assert.Equal(["EXEC"], now[0].GetProperty("tours").EnumerateArray().Select(t => t.GetProperty("code").GetString()));
        var all = (await (await hr.GetAsync(Path + "?includeRetired=true")).ReadJsonAsync()).GetProperty("competencies").EnumerateArray().ToList();
        var retired = Assert.Single(all, c => c.GetProperty("retired").GetBoolean());
        Assert.Equal("Resilience and persistence", retired.GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(hr, body, etag)).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == "Competency")));
    }
}
