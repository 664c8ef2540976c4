using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;
using static Rotations.Tests.Catalogue.CatalogueTestSupport;

namespace Rotations.Tests.Catalogue;

/// <summary>/api/v1/tours through HTTP with bearer tokens: reads for everyone, writes for HR and Admins.</summary>
public sealed class ToursApiTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private async Task<(JsonElement Tour, string ETag)> GetTour(HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/v1/tours/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync(), response.Headers.ETag!.ToString());
    }

    private async Task<JsonElement> CreateTour(HttpClient hr, Dictionary<string, object?> body)
    {
        var response = await hr.PostAsJsonAsync("/api/v1/tours", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task List_ShowsTheElevenSeededToursWithTheirCodes_ToAnySignedInPerson()
    {
        var leader = await app.ApiAsAsync(Roles.Leader);

        var response = await leader.GetAsync("/api/v1/tours");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tours = (await response.ReadJsonAsync()).EnumerateArray().ToList();
        var codes = tours.Select(t => t.GetProperty("code").GetString()).ToList();
        Assert.All(SeededCodes, code => Assert.Contains(code, codes));
        var exec = tours.Single(t => t.GetProperty("code").GetString() == "EXEC");
        Assert.Equal("Executive management", exec.GetProperty("name").GetString());
        Assert.Equal(1, exec.GetProperty("capacity").GetInt32());
        Assert.Equal(JsonValueKind.Array, exec.GetProperty("hosts").ValueKind);
        Assert.Equal(12, exec.GetProperty("assignmentWeeks").GetProperty("min").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(exec.GetProperty("outsideIn").GetString()));
    }

    [Fact]
    public async Task Get_ReturnsTheTourWithItsVersionAsTheETag()
    {
        var leader = await app.ApiAsAsync(Roles.Leader);
        var sales = await app.TourAsync("SALES");

        var (tour, etag) = await GetTour(leader, sales.Id);

        Assert.Equal("SALES", tour.GetProperty("code").GetString());
        Assert.Equal($"\"{tour.GetProperty("version").GetUInt32()}\"", etag);
    }

    [Fact]
    public async Task Get_AnUnknownTour_Returns404Problem()
    {
        var leader = await app.ApiAsAsync(Roles.Leader);

        var response = await leader.GetAsync($"/api/v1/tours/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Create_Returns201WithLocationAndTheTour_WithItsHosts()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("hal.host"), Roles.Host);
        var code = NewCode();
        var body = TourBody(code.ToLowerInvariant(), capacity: 3, hostIds: [host.Id]);

        var response = await hr.PostAsJsonAsync("/api/v1/tours", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var tour = await response.ReadJsonAsync();
        var id = tour.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/tours/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(code, tour.GetProperty("code").GetString());
        Assert.Equal(3, tour.GetProperty("capacity").GetInt32());
        Assert.False(tour.GetProperty("isRetired").GetBoolean());
        var hostJson = Assert.Single(tour.GetProperty("hosts").EnumerateArray());
        Assert.Equal(host.Id, hostJson.GetProperty("id").GetGuid());
        Assert.Equal(host.DisplayName, hostJson.GetProperty("displayName").GetString());
        var orientation = tour.GetProperty("orientationWeeks");
        Assert.Equal((1, 2, 4), (orientation.GetProperty("min").GetInt32(), orientation.GetProperty("typical").GetInt32(), orientation.GetProperty("max").GetInt32()));
        var (again, _) = await GetTour(hr, id);
        Assert.Equal("What surprised you?\nWhat would you change?", again.GetProperty("reflectionPrompts").GetString());
    }

    [Fact]
    public async Task Create_WithBadFields_Returns400NamingEveryField_AndWritesNothing()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var notAHost = await app.LeaderAsync();
        var body = TourBody("NO SPACES");
        body["name"] = "  ";
        body["summary"] = new string('x', 4001);
        body["orientationWeeks"] = new { min = 3, typical = 2, max = 4 };
        body["assignmentWeeks"] = new { min = 4, typical = 8, max = 105 };
        body["capacity"] = 0;
        body["hostIds"] = new[] { notAHost.Id };

        var response = await hr.PostAsJsonAsync("/api/v1/tours", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        var fields = errors.EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["assignmentWeeks.max", "capacity", "code", "hostIds", "name", "orientationWeeks", "summary"], fields);
        Assert.Contains("2 to 16 characters", errors.GetProperty("code")[0].GetString());
        Assert.Contains("4,000 characters", errors.GetProperty("summary")[0].GetString());
        Assert.Contains("For an orientation stint, the fewest weeks (3) are more than the typical weeks (2).", errors.GetProperty("orientationWeeks")[0].GetString());
        Assert.Contains($"{notAHost.DisplayName} is not in the Host role", errors.GetProperty("hostIds")[0].GetString());
        Assert.False(await app.WithDbAsync(db => db.Tours.AnyAsync(t => t.Code == "NO SPACES")));
    }

    [Fact]
    public async Task Create_WithMissingFields_NamesThem()
    {
        var hr = await app.ApiAsAsync(Roles.HR);

        var response = await hr.PostAsJsonAsync("/api/v1/tours", new { name = "Half a tour" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await response.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "code", "capacity", "orientationWeeks.min", "orientationWeeks.typical", "orientationWeeks.max", "assignmentWeeks.min" }, fields);
        Assert.DoesNotContain("name", fields);
    }

    [Fact]
    public async Task Create_WithACodeInUse_Returns409NamingTheExistingTour()
    {
        var hr = await app.ApiAsAsync(Roles.HR);

        var response = await hr.PostAsJsonAsync("/api/v1/tours", TourBody("sales"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("The code SALES is already used by the tour Sales.", problem.GetProperty("detail").GetString());
        Assert.Equal("Code", problem.GetProperty("clashes")[0].GetProperty("kind").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Tours.CountAsync(t => t.Code == "SALES")));
    }

    [Fact]
    public async Task Update_ChangesEveryField_AndAnswersTheNewETag()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("hal.host"), Roles.Host);
        var created = await CreateTour(hr, TourBody());
        var id = created.GetProperty("id").GetGuid();
        var (_, etag) = await GetTour(hr, id);
        var code = NewCode();
        var body = new Dictionary<string, object?>
        {
            ["code"] = code, ["name"] = "Renamed", ["summary"] = "New summary", ["outsideIn"] = "New outside",
            ["insideOut"] = "New inside", ["reflectionPrompts"] = "One?",
            ["orientationWeeks"] = new { min = 2, typical = 3, max = 5 }, ["assignmentWeeks"] = new { min = 10, typical = 12, max = 30 },
            ["capacity"] = 5, ["hostIds"] = new[] { host.Id },
        };

        var response = await hr.SendAsync(Put($"/api/v1/tours/{id}", body, etag));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(etag, response.Headers.ETag!.ToString());
        var (tour, newTag) = await GetTour(hr, id);
        Assert.Equal(response.Headers.ETag!.ToString(), newTag);
        Assert.Equal(code, tour.GetProperty("code").GetString());
        Assert.Equal("Renamed", tour.GetProperty("name").GetString());
        Assert.Equal("New summary", tour.GetProperty("summary").GetString());
        Assert.Equal("New outside", tour.GetProperty("outsideIn").GetString());
        Assert.Equal("New inside", tour.GetProperty("insideOut").GetString());
        Assert.Equal("One?", tour.GetProperty("reflectionPrompts").GetString());
        Assert.Equal(3, tour.GetProperty("orientationWeeks").GetProperty("typical").GetInt32());
        Assert.Equal(30, tour.GetProperty("assignmentWeeks").GetProperty("max").GetInt32());
        Assert.Equal(5, tour.GetProperty("capacity").GetInt32());
        Assert.Equal(host.Id, Assert.Single(tour.GetProperty("hosts").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Update_TwoEditorsChangingOnlyHosts_TheSecondGets412_AndTheFirstHostStays()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var x = await app.CreatePersonAsync(TestData.UniqueEmail("xena.host"), Roles.Host);
        var y = await app.CreatePersonAsync(TestData.UniqueEmail("yuri.host"), Roles.Host);
        var id = (await CreateTour(hr, TourBody())).GetProperty("id").GetGuid();
        var (loaded, etag) = await GetTour(hr, id);
        var code = loaded.GetProperty("code").GetString();

        var first = await hr.SendAsync(Put($"/api/v1/tours/{id}", TourBody(code, hostIds: [x.Id]), etag));
        var second = await hr.SendAsync(Put($"/api/v1/tours/{id}", TourBody(code, hostIds: [y.Id]), etag));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(etag, first.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        var (now, _) = await GetTour(hr, id);
        Assert.Equal(x.Id, Assert.Single(now.GetProperty("hosts").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Update_WithAStaleIfMatch_Returns412_AndOverwritesNothing()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var id = (await CreateTour(hr, TourBody())).GetProperty("id").GetGuid();
        var (loaded, etag) = await GetTour(hr, id);
        var code = loaded.GetProperty("code").GetString();
        var first = TourBody(code);
        first["name"] = "First coordinator's name";
        Assert.Equal(HttpStatusCode.OK, (await hr.SendAsync(Put($"/api/v1/tours/{id}", first, etag))).StatusCode);

        var second = TourBody(code, capacity: 9);
        second["name"] = "Second coordinator's name";
        var response = await hr.SendAsync(Put($"/api/v1/tours/{id}", second, etag));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Contains("changed by someone else", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
        var (now, _) = await GetTour(hr, id);
        Assert.Equal("First coordinator's name", now.GetProperty("name").GetString());
        Assert.Equal(2, now.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task Update_WithoutIfMatch_Returns428_AndChangesNothing()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var created = await CreateTour(hr, TourBody());
        var id = created.GetProperty("id").GetGuid();
        var body = TourBody(created.GetProperty("code").GetString());
        body["name"] = "Blind overwrite";

        var response = await hr.SendAsync(Put($"/api/v1/tours/{id}", body, null));

        Assert.Equal((HttpStatusCode)428, response.StatusCode);
        Assert.Contains("If-Match", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal("Customer insight lab", (await GetTour(hr, id)).Tour.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_WithIfMatchStar_OverwritesWhateverIsCurrent()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var created = await CreateTour(hr, TourBody());
        var id = created.GetProperty("id").GetGuid();
        var body = TourBody(created.GetProperty("code").GetString());
        body["name"] = "Deliberate overwrite";

        var response = await hr.SendAsync(Put($"/api/v1/tours/{id}", body, "*"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Deliberate overwrite", (await GetTour(hr, id)).Tour.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_LoweringCapacityBelowWhatIsBookedOnAFutureDay_Returns409NamingTheDaysAndStints()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var tour = await app.NewTourAsync(capacity: 2);
        var monday = app.MondayInWeeks(2);
        var ann = await app.LeaderAsync("ann");
        var bob = await app.LeaderAsync("bob");
        var a = await app.BookAsync(ann.Id, tour.Id, monday, monday.AddDays(13));
        var b = await app.BookAsync(bob.Id, tour.Id, monday.AddDays(7), monday.AddDays(20));
        var (_, etag) = await GetTour(hr, tour.Id);

        var response = await hr.SendAsync(Put($"/api/v1/tours/{tour.Id}", TourBody(tour.Code, capacity: 1), etag));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var clash = Assert.Single((await response.ReadJsonAsync()).GetProperty("clashes").EnumerateArray());
        Assert.Equal("Capacity", clash.GetProperty("kind").GetString());
        Assert.Equal(monday.AddDays(7).ToString("yyyy-MM-dd"), clash.GetProperty("from").GetString());
        Assert.Equal(monday.AddDays(13).ToString("yyyy-MM-dd"), clash.GetProperty("to").GetString());
        Assert.Equal(new[] { a.Id, b.Id }.Order(), clash.GetProperty("stintIds").EnumerateArray().Select(s => s.GetGuid()).Order());
        var message = clash.GetProperty("message").GetString()!;
        Assert.Contains("2 leaders are booked", message);
        Assert.Contains(ann.DisplayName, message);
        Assert.Contains(bob.DisplayName, message);
        Assert.Equal(2, (await GetTour(hr, tour.Id)).Tour.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task Update_LoweringCapacity_IgnoresCrowdedDaysInThePastAndCancelledStints()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var tour = await app.NewTourAsync(capacity: 2);
        var past = new DateOnly(2021, 3, 1);
        await app.BookAsync((await app.LeaderAsync("ann")).Id, tour.Id, past, past.AddDays(13));
        await app.BookAsync((await app.LeaderAsync("bob")).Id, tour.Id, past, past.AddDays(13));
        var monday = app.MondayInWeeks(3);
        await app.BookAsync((await app.LeaderAsync("cat")).Id, tour.Id, monday, monday.AddDays(13));
        var cancelled = await app.BookAsync((await app.LeaderAsync("dan")).Id, tour.Id, monday, monday.AddDays(13));
        await app.WithServiceAsync<SchedulingService, Stint>(s => s.CancelAsync(cancelled.Id, null, "Changed plans"));
        var (_, etag) = await GetTour(hr, tour.Id);

        var response = await hr.SendAsync(Put($"/api/v1/tours/{tour.Id}", TourBody(tour.Code, capacity: 1), etag));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.ReadJsonAsync()).GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task Update_RemovingAHostWhoHostsAStintThatHasNotEnded_Returns409NamingTheStint()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var tour = await app.NewTourAsync();
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("hal.host"), Roles.Host);
        await app.AddHostAsync(tour.Id, host.Id);
        var monday = app.MondayInWeeks(1);
        var stint = await app.BookAsync((await app.LeaderAsync()).Id, tour.Id, monday, monday.AddDays(13), host: host.Id);
        var (_, etag) = await GetTour(hr, tour.Id);

        var response = await hr.SendAsync(Put($"/api/v1/tours/{tour.Id}", TourBody(tour.Code), etag));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var clash = Assert.Single((await response.ReadJsonAsync()).GetProperty("clashes").EnumerateArray());
        Assert.Equal("Host", clash.GetProperty("kind").GetString());
        Assert.Equal(stint.Id, Assert.Single(clash.GetProperty("stintIds").EnumerateArray()).GetGuid());
        Assert.Contains("Give those stints another host first", clash.GetProperty("message").GetString());
        Assert.Single((await GetTour(hr, tour.Id)).Tour.GetProperty("hosts").EnumerateArray());
    }

    [Fact]
    public async Task Retire_HidesTheTourFromTheListAndRefusesNewStints_ReinstateUndoesIt()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var tour = await app.NewTourAsync();
        var leader = await app.LeaderAsync();
        var monday = app.MondayInWeeks(4);

        var retired = await hr.PostAsync($"/api/v1/tours/{tour.Id}/retire", null);

        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.True((await retired.ReadJsonAsync()).GetProperty("isRetired").GetBoolean());
        var listed = (await (await hr.GetAsync("/api/v1/tours")).ReadJsonAsync()).EnumerateArray().Select(t => t.GetProperty("code").GetString());
        Assert.DoesNotContain(tour.Code, listed);
        var all = (await (await hr.GetAsync("/api/v1/tours?includeRetired=true")).ReadJsonAsync()).EnumerateArray().Select(t => t.GetProperty("code").GetString());
        Assert.Contains(tour.Code, all);
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => app.BookAsync(leader.Id, tour.Id, monday, monday.AddDays(13)));
        Assert.Contains("is retired", Assert.Single(refused.Errors["tourId"]));

        var reinstated = await hr.PostAsync($"/api/v1/tours/{tour.Id}/reinstate", null);

        Assert.Equal(HttpStatusCode.OK, reinstated.StatusCode);
        Assert.False((await reinstated.ReadJsonAsync()).GetProperty("isRetired").GetBoolean());
        await app.BookAsync(leader.Id, tour.Id, monday, monday.AddDays(13));
    }

    [Fact]
    public async Task Retire_WithAStaleIfMatch_Returns412()
    {
        var hr = await app.ApiAsAsync(Roles.HR);
        var id = (await CreateTour(hr, TourBody())).GetProperty("id").GetGuid();
        var (tour, etag) = await GetTour(hr, id);
        var renamed = TourBody(tour.GetProperty("code").GetString());
        renamed["name"] = "Renamed meanwhile";
        Assert.Equal(HttpStatusCode.OK, (await hr.SendAsync(Put($"/api/v1/tours/{id}", renamed, etag))).StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tours/{id}/retire");
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await hr.SendAsync(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.False((await GetTour(hr, id)).Tour.GetProperty("isRetired").GetBoolean());
    }

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Host)]
    public async Task Writes_AreForbiddenToEveryoneButHRAndAdmins(string role)
    {
        var client = await app.ApiAsAsync(role);
        var sales = await app.TourAsync("SALES");
        var put = Put($"/api/v1/tours/{sales.Id}", TourBody("SALES", capacity: 50), $"\"{sales.Version}\"");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tours")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/tours", TourBody())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(put)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/tours/{sales.Id}/retire", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/tours/{sales.Id}/reinstate", null)).StatusCode);
        var after = await app.TourAsync("SALES");
        Assert.Equal(sales.Capacity, after.Capacity);
        Assert.False(after.IsRetired);
    }

    [Fact]
    public async Task Writes_AreAllowedToAnAdmin()
    {
        var admin = await app.ApiAsAsync(Roles.Admin);

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/tours", TourBody())).StatusCode);
    }

    [Fact]
    public async Task Anonymous_Gets401_ForReadsAndWrites()
    {
        var anonymous = app.CreateClient();
        var sales = await app.TourAsync("SALES");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/tours")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/tours/{sales.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/tours", TourBody())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/v1/tours/{sales.Id}/retire", null)).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheToursAndCohortsEndpoints()
    {
        var leader = await app.ApiAsAsync(Roles.Leader);

        var doc = await (await leader.GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var paths = doc.GetProperty("paths");
        var tours = paths.GetProperty("/api/v1/tours");
        Assert.True(tours.TryGetProperty("get", out _));
        Assert.True(tours.TryGetProperty("post", out var post));
        Assert.True(post.GetProperty("responses").TryGetProperty("201", out _));
        var one = paths.GetProperty("/api/v1/tours/{id}").GetProperty("put").GetProperty("responses");
        foreach (var status in new[] { "200", "400", "409", "412", "428" }) Assert.True(one.TryGetProperty(status, out _), $"PUT tour lacks {status}");
        Assert.True(paths.TryGetProperty("/api/v1/tours/{id}/retire", out _));
        Assert.True(paths.TryGetProperty("/api/v1/cohorts/{id}", out _));
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("TourDto", out var dto));
        Assert.True(dto.GetProperty("properties").TryGetProperty("orientationWeeks", out _));
    }
}
