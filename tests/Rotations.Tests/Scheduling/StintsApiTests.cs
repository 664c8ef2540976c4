using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Scheduling;

/// <summary>/api/v1/stints: booking, rescheduling with versions, cancelling, confirming and objectives.</summary>
public sealed class StintsApiTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly DateOnly Jan4 = new(2027, 1, 4);

    private Task<HttpClient> Hr() => app.HrApiAsync();

    private static object Booking(Guid leader, Guid tour, DateOnly start, DateOnly end, string kind = "Orientation", Guid? host = null) =>
        new { leaderId = leader, tourId = tour, hostId = host, startDate = start, endDate = end, kind };

    private static HttpRequestMessage Put(string path, object body, string? ifMatch) => WithIfMatch(HttpMethod.Put, path, body, ifMatch);

    private static HttpRequestMessage WithIfMatch(HttpMethod method, string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: ApiClients.Json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    [Fact]
    public async Task Post_AsHR_Returns201WithLocationETagAndTheStint()
    {
        var hr = await Hr();
        var leader = await app.QuietLeaderAsync("lena");
        var tour = await app.NewTourAsync();
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("harriet.host"), Roles.Host);
        await app.AddHostAsync(tour.Id, host.Id);

        var response = await hr.PostJsonAsync("/api/v1/stints",
            new { leaderId = leader.Id, tourId = tour.Id, hostId = host.Id, startDate = "2027-01-04", endDate = "2027-01-17", kind = "Orientation", objectives = "Listen to ten calls" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stint = await response.ReadAsync<StintDto>();
        Assert.Equal($"/api/v1/stints/{stint.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal($"\"{stint.Version}\"", response.Headers.ETag!.Tag);
        Assert.Equal((leader.Id, leader.DisplayName, tour.Id, tour.Code, tour.Name, host.Id, host.DisplayName),
            (stint.LeaderId, stint.LeaderName, stint.TourId, stint.TourCode, stint.TourName, stint.HostId, stint.HostName));
        Assert.Equal((Jan4, Jan4.AddDays(13), StintKind.Orientation, StintStatus.Planned, "Listen to ten calls"),
            (stint.StartDate, stint.EndDate, stint.Kind, stint.Status, stint.Objectives));
        var json = await response.ReadJsonAsync();
        Assert.Equal("2027-01-04", json.GetProperty("startDate").GetString());
        Assert.Equal("Planned", json.GetProperty("status").GetString());
        Assert.Equal("Orientation", json.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Post_WithNothingFilledIn_Returns400NamingEveryMissingField()
    {
        var hr = await Hr();

        var response = await hr.PostJsonAsync("/api/v1/stints", new { });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["endDate", "kind", "leaderId", "startDate", "tourId"],
            errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Enter the first day of the stint.", errors.GetProperty("startDate")[0].GetString());
    }

    [Fact]
    public async Task Post_EndingBeforeItStarts_Returns400OnTheEndDate()
    {
        var hr = await Hr();
        var leader = await app.QuietLeaderAsync();
        var tour = await app.NewTourAsync();

        var response = await hr.PostJsonAsync("/api/v1/stints", Booking(leader.Id, tour.Id, Jan4, Jan4.AddDays(-3)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal("The last day (2027-01-01) is before the first day (2027-01-04).", errors.GetProperty("endDate")[0].GetString());
    }

    [Fact]
    public async Task Post_WithAnUnreadableDateOrKind_Returns400ProblemNamingTheField()
    {
        var hr = await Hr();
        var leader = await app.QuietLeaderAsync();
        var tour = await app.NewTourAsync();

        foreach (var (body, field) in new[]
                 {
                     ((object)new { leaderId = leader.Id, tourId = tour.Id, startDate = "2027-02-30", endDate = "2027-03-10", kind = "Orientation" }, "startDate"),
                     (new { leaderId = leader.Id, tourId = tour.Id, startDate = "2027-02-01", endDate = "2027-02-10", kind = "Holiday" }, "kind"),
                 })
        {
            var response = await hr.PostJsonAsync("/api/v1/stints", body);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var errors = (await response.ReadJsonAsync()).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), $"{field} is not named: {errors}");
            Assert.Equal(field == "kind" ? "Use one of: Orientation, Assignment." : "Write a real calendar day as YYYY-MM-DD.",
                messages[0].GetString());
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Stints.CountAsync(s => s.TourId == tour.Id)));
    }

    [Fact]
    public async Task Post_OverlappingTheLeadersOtherStint_Returns409WhoseClashesNameIt()
    {
        var hr = await Hr();
        var leader = await app.QuietLeaderAsync("lena");
        var first = await app.BookAsync(leader.Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));
        var other = await app.NewTourAsync();

        var response = await hr.PostJsonAsync("/api/v1/stints", Booking(leader.Id, other.Id, Jan4.AddDays(7), Jan4.AddDays(20)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.ReadJsonAsync();
        var clash = Assert.Single(problem.GetProperty("clashes").EnumerateArray());
        Assert.Equal("Overlap", clash.GetProperty("kind").GetString());
        Assert.Equal(first.Id, Assert.Single(clash.GetProperty("stintIds").EnumerateArray()).GetGuid());
        Assert.Equal("2027-01-11", clash.GetProperty("from").GetString());
        Assert.Equal("2027-01-17", clash.GetProperty("to").GetString());
        Assert.Contains($"{leader.DisplayName} already has Test tour", clash.GetProperty("message").GetString());
        Assert.Contains("already has", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_WhenTheTourIsFull_Returns409NamingTheCapacityAndTheOccupants()
    {
        var hr = await Hr();
        var tour = await app.NewTourAsync(capacity: 1);
        var ann = await app.QuietLeaderAsync("ann");
        var taken = await app.BookAsync(ann.Id, tour.Id, Jan4, Jan4.AddDays(13));
        var bob = await app.QuietLeaderAsync("bob");

        var response = await hr.PostJsonAsync("/api/v1/stints", Booking(bob.Id, tour.Id, Jan4.AddDays(7), Jan4.AddDays(20)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var clash = Assert.Single((await response.ReadJsonAsync()).GetProperty("clashes").EnumerateArray());
        Assert.Equal("Capacity", clash.GetProperty("kind").GetString());
        Assert.Equal(taken.Id, Assert.Single(clash.GetProperty("stintIds").EnumerateArray()).GetGuid());
        Assert.Contains($"1 of 1 place taken by {ann.DisplayName}", clash.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Post_ByALeaderOrAManager_Returns403AndBooksNothing()
    {
        var tour = await app.NewTourAsync();
        foreach (var role in new[] { Roles.Leader, Roles.Manager, Roles.Host })
        {
            var (me, api) = await app.ApiPersonAsync("someone", role);
            var leader = role == Roles.Leader ? me : await app.QuietLeaderAsync();

            var response = await api.PostJsonAsync("/api/v1/stints", Booking(leader.Id, tour.Id, Jan4, Jan4.AddDays(13)));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Stints.CountAsync(s => s.TourId == tour.Id)));
    }

    [Fact]
    public async Task Get_WithoutSigningIn_Returns401()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/stints");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetById_ReturnsTheStintWithItsVersionAsETag()
    {
        var hr = await Hr();
        var stint = await app.BookAsync((await app.QuietLeaderAsync()).Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));

        var response = await hr.GetAsync($"/api/v1/stints/{stint.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"\"{stint.Version}\"", response.Headers.ETag!.Tag);
        Assert.Equal(stint.Version, (await response.ReadAsync<StintDto>()).Version);
        Assert.Equal(HttpStatusCode.NotFound, (await hr.GetAsync($"/api/v1/stints/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Put_WithoutIfMatch_Returns428AndChangesNothing()
    {
        var hr = await Hr();
        var stint = await app.BookAsync((await app.QuietLeaderAsync()).Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));

        var response = await hr.SendAsync(Put($"/api/v1/stints/{stint.Id}",
            new { startDate = Jan4.AddDays(7), endDate = Jan4.AddDays(20), kind = "Orientation" }, ifMatch: null));

        Assert.Equal(HttpStatusCode.PreconditionRequired, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Jan4, await app.WithDbAsync(db => db.Stints.Where(s => s.Id == stint.Id).Select(s => s.StartDate).SingleAsync()));
    }

    [Fact]
    public async Task Put_WithTheCurrentETag_MovesTheStint_AndTheOldETagIsThenStale()
    {
        var hr = await Hr();
        var stint = await app.BookAsync((await app.QuietLeaderAsync()).Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));
        var etag = (await hr.GetAsync($"/api/v1/stints/{stint.Id}")).Headers.ETag!.Tag;

        var moved = await hr.SendAsync(Put($"/api/v1/stints/{stint.Id}",
            new { startDate = Jan4.AddDays(7), endDate = Jan4.AddDays(20), kind = "Orientation" }, etag));

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var dto = await moved.ReadAsync<StintDto>();
        Assert.Equal((Jan4.AddDays(7), Jan4.AddDays(20)), (dto.StartDate, dto.EndDate));
        Assert.NotEqual(etag, moved.Headers.ETag!.Tag);
        Assert.Equal($"\"{dto.Version}\"", moved.Headers.ETag!.Tag);

        var stale = await hr.SendAsync(Put($"/api/v1/stints/{stint.Id}",
            new { startDate = Jan4.AddDays(14), endDate = Jan4.AddDays(27), kind = "Orientation" }, etag));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("changed by someone else", (await stale.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(Jan4.AddDays(7), await app.WithDbAsync(db => db.Stints.Where(s => s.Id == stint.Id).Select(s => s.StartDate).SingleAsync()));
    }

    [Fact]
    public async Task Put_IntoAnotherStintsDates_Returns409AndKeepsTheOldDates()
    {
        var hr = await Hr();
        var leader = await app.QuietLeaderAsync();
        var tour = await app.NewTourAsync();
        var first = await app.BookAsync(leader.Id, tour.Id, Jan4, Jan4.AddDays(13));
        var second = await app.BookAsync(leader.Id, tour.Id, Jan4.AddDays(28), Jan4.AddDays(41));

        var response = await hr.SendAsync(Put($"/api/v1/stints/{second.Id}",
            new { startDate = Jan4.AddDays(7), endDate = Jan4.AddDays(20), kind = "Orientation" }, $"\"{second.Version}\""));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var clash = Assert.Single((await response.ReadJsonAsync()).GetProperty("clashes").EnumerateArray());
        Assert.Equal(first.Id, clash.GetProperty("stintIds")[0].GetGuid());
        Assert.Equal(Jan4.AddDays(28), await app.WithDbAsync(db => db.Stints.Where(s => s.Id == second.Id).Select(s => s.StartDate).SingleAsync()));
    }

    [Fact]
    public async Task Cancel_NeedsAReason_ThenCancels_AndASecondCancelIs409()
    {
        var hr = await Hr();
        var stint = await app.BookAsync((await app.QuietLeaderAsync()).Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));

        var noReason = await hr.PostJsonAsync($"/api/v1/stints/{stint.Id}/cancel", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.ReadJsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));

        var cancelled = await hr.PostJsonAsync($"/api/v1/stints/{stint.Id}/cancel", new { reason = "She moved to a new role" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var dto = await cancelled.ReadAsync<StintDto>();
        Assert.Equal((StintStatus.Cancelled, "She moved to a new role"), (dto.Status, dto.CancelReason));
        Assert.NotNull(dto.CancelledAt);

        var again = await hr.PostJsonAsync($"/api/v1/stints/{stint.Id}/cancel", new { reason = "Twice" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Cancel_WithAStaleIfMatch_Returns412AndLeavesItBooked()
    {
        var hr = await Hr();
        var stint = await app.BookAsync((await app.QuietLeaderAsync()).Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));

        var response = await hr.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/stints/{stint.Id}/cancel", new { reason = "No" }, "\"12345\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.Stints.Where(s => s.Id == stint.Id).Select(s => s.CancelledAt).SingleAsync()));
    }

    [Fact]
    public async Task Confirm_ByTheHost_Confirms_ByTheLeader403_ByAnotherHost404()
    {
        var tour = await app.NewTourAsync();
        var (host, hostApi) = await app.ApiPersonAsync("hugo.host", Roles.Host);
        await app.AddHostAsync(tour.Id, host.Id);
        var (leader, leaderApi) = await app.ApiPersonAsync("lena", Roles.Leader);
        var (_, otherHostApi) = await app.ApiPersonAsync("olga.host", Roles.Host);
        var stint = await app.BookAsync(leader.Id, tour.Id, Jan4, Jan4.AddDays(13), hostId: host.Id);

        Assert.Equal(HttpStatusCode.NotFound, (await otherHostApi.PostAsync($"/api/v1/stints/{stint.Id}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leaderApi.PostAsync($"/api/v1/stints/{stint.Id}/confirm", null)).StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.Stints.Where(s => s.Id == stint.Id).Select(s => s.ConfirmedAt).SingleAsync()));

        var confirmed = await hostApi.PostAsync($"/api/v1/stints/{stint.Id}/confirm", null);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var dto = await confirmed.ReadAsync<StintDto>();
        Assert.Equal(StintStatus.Confirmed, dto.Status);
        Assert.NotNull(dto.ConfirmedAt);
        Assert.Equal(host.Id, await app.WithDbAsync(db => db.Stints.Where(s => s.Id == stint.Id).Select(s => s.ConfirmedById).SingleAsync()));
    }

    [Fact]
    public async Task Confirm_ByHR_Confirms_ButACancelledStintCannotBeConfirmed()
    {
        var hr = await Hr();
        var leader = await app.QuietLeaderAsync();
        var tour = await app.NewTourAsync();
        var stint = await app.BookAsync(leader.Id, tour.Id, Jan4, Jan4.AddDays(13));
        var other = await app.BookAsync(leader.Id, tour.Id, Jan4.AddDays(28), Jan4.AddDays(41));
        await hr.PostJsonAsync($"/api/v1/stints/{other.Id}/cancel", new { reason = "Budget" });

        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsync($"/api/v1/stints/{stint.Id}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await hr.PostAsync($"/api/v1/stints/{other.Id}/confirm", null)).StatusCode);
    }

    [Fact]
    public async Task Objectives_AreSetByTheLeaderOrHR_NotByTheirManager()
    {
        var (manager, managerApi) = await app.ApiPersonAsync("max.manager", Roles.Manager);
        var leader = await app.LeaderAsync("lena", managerId: manager.Id);
        var leaderApi = await app.ApiClientAsync(leader.Email!);
        var hr = await Hr();
        var stint = await app.BookAsync(leader.Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));

        var byManager = await managerApi.PutAsJsonAsync($"/api/v1/stints/{stint.Id}/objectives", new { objectives = "Manager's idea" });
        Assert.Equal(HttpStatusCode.Forbidden, byManager.StatusCode);

        var byLeader = await leaderApi.PutAsJsonAsync($"/api/v1/stints/{stint.Id}/objectives", new { objectives = "Sit with three agents" });
        Assert.Equal(HttpStatusCode.OK, byLeader.StatusCode);
        Assert.Equal("Sit with three agents", (await byLeader.ReadAsync<StintDto>()).Objectives);

        var byHr = await hr.PutAsJsonAsync($"/api/v1/stints/{stint.Id}/objectives", new { objectives = "Agreed with HR" });
        Assert.Equal(HttpStatusCode.OK, byHr.StatusCode);
        Assert.Equal("Agreed with HR", await app.WithDbAsync(db => db.Stints.Where(s => s.Id == stint.Id).Select(s => s.Objectives).SingleAsync()));
    }

    [Fact]
    public async Task ReschedulingOrCancelling_ByTheLeaderThemself_Returns403()
    {
        var (leader, leaderApi) = await app.ApiPersonAsync("lena", Roles.Leader);
        var stint = await app.BookAsync(leader.Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));

        var put = await leaderApi.SendAsync(Put($"/api/v1/stints/{stint.Id}",
            new { startDate = Jan4.AddDays(7), endDate = Jan4.AddDays(20), kind = "Orientation" }, $"\"{stint.Version}\""));
        var cancel = await leaderApi.PostJsonAsync($"/api/v1/stints/{stint.Id}/cancel", new { reason = "I'd rather not" });

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        var stored = await app.WithDbAsync(db => db.Stints.AsNoTracking().SingleAsync(s => s.Id == stint.Id));
        Assert.Equal((Jan4, (DateTimeOffset?)null), (stored.StartDate, stored.CancelledAt));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheStintsEndpoints()
    {
        var hr = await Hr();

        var doc = await (await hr.GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/stints", out var list));
        Assert.True(list.TryGetProperty("get", out _) && list.TryGetProperty("post", out _));
        foreach (var path in new[] { "/api/v1/stints/{id}", "/api/v1/stints/{id}/cancel", "/api/v1/stints/{id}/confirm", "/api/v1/stints/{id}/objectives" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        Assert.True(doc.GetProperty("components").GetProperty("schemas").TryGetProperty("StintDto", out _));
    }
}
