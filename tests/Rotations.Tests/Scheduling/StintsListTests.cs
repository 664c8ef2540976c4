using System.Net;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Scheduling;

/// <summary>GET /api/v1/stints: filters by leader, tour, cohort, date range and status; paging; order.</summary>
public sealed class StintsListTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly DateOnly Mar1 = new(2027, 3, 1);

    private async Task<Paged<StintDto>> List(HttpClient api, string query)
    {
        var response = await api.GetAsync($"/api/v1/stints?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadAsync<Paged<StintDto>>();
    }

    private Task<HttpClient> Hr() => app.HrApiAsync();

    [Fact]
    public async Task FilterByTourAndLeader_ReturnsTheirStintsInOrderOfTheFirstDay()
    {
        var hr = await Hr();
        var tour = await app.NewTourAsync(capacity: 3);
        var ann = await app.QuietLeaderAsync("ann");
        var bob = await app.QuietLeaderAsync("bob");
        var annLate = await app.BookAsync(ann.Id, tour.Id, Mar1.AddDays(28), Mar1.AddDays(41));
        var annEarly = await app.BookAsync(ann.Id, tour.Id, Mar1, Mar1.AddDays(13));
        var bobs = await app.BookAsync(bob.Id, tour.Id, Mar1.AddDays(7), Mar1.AddDays(20));
        await app.BookAsync(ann.Id, (await app.NewTourAsync()).Id, Mar1.AddDays(56), Mar1.AddDays(69));

        var byTour = await List(hr, $"tourId={tour.Id}");
        var byTourAndLeader = await List(hr, $"tourId={tour.Id}&leaderId={ann.Id}");
        var byLeader = await List(hr, $"leaderId={ann.Id}");

        Assert.Equal([annEarly.Id, bobs.Id, annLate.Id], byTour.Items.Select(s => s.Id));
        Assert.Equal(3, byTour.Total);
        Assert.Equal([annEarly.Id, annLate.Id], byTourAndLeader.Items.Select(s => s.Id));
        Assert.Equal(3, byLeader.Total);
        Assert.All(byLeader.Items, s => Assert.Equal(ann.Id, s.LeaderId));
    }

    [Fact]
    public async Task FilterByCohort_ReturnsOnlyStintsOfTheCohortsLeaders()
    {
        var hr = await Hr();
        var tour = await app.NewTourAsync(capacity: 3);
        var cohort = await app.CohortAsync("Spring intake");
        var inCohort = await app.QuietLeaderAsync("ann");
        await app.JoinCohortAsync(inCohort.Id, cohort.Id);
        var outside = await app.QuietLeaderAsync("bob");
        await app.JoinCohortAsync(outside.Id, (await app.CohortAsync("Autumn intake")).Id);
        var theirs = await app.BookAsync(inCohort.Id, tour.Id, Mar1, Mar1.AddDays(13));
        await app.BookAsync(outside.Id, tour.Id, Mar1, Mar1.AddDays(13));

        var page = await List(hr, $"cohortId={cohort.Id}");

        Assert.Equal([theirs.Id], page.Items.Select(s => s.Id));
    }

    [Fact]
    public async Task FilterByDates_ReturnsStintsThatOverlapTheRange_BothEndsIncluded()
    {
        var hr = await Hr();
        var tour = await app.NewTourAsync(capacity: 5);
        var before = await app.BookAsync((await app.QuietLeaderAsync()).Id, tour.Id, Mar1, Mar1.AddDays(13));          // 1–14 Mar
        var touching = await app.BookAsync((await app.QuietLeaderAsync()).Id, tour.Id, Mar1.AddDays(7), Mar1.AddDays(20)); // 8–21 Mar
        var inside = await app.BookAsync((await app.QuietLeaderAsync()).Id, tour.Id, Mar1.AddDays(21), Mar1.AddDays(27)); // 22–28 Mar
        var after = await app.BookAsync((await app.QuietLeaderAsync()).Id, tour.Id, Mar1.AddDays(35), Mar1.AddDays(48)); // 5–18 Apr

        var page = await List(hr, $"tourId={tour.Id}&from=2027-03-21&to=2027-04-04");

        Assert.Equal([touching.Id, inside.Id], page.Items.Select(s => s.Id));
        Assert.DoesNotContain(before.Id, page.Items.Select(s => s.Id));
        Assert.DoesNotContain(after.Id, page.Items.Select(s => s.Id));
        Assert.Equal([before.Id, touching.Id], (await List(hr, $"tourId={tour.Id}&to=2027-03-08")).Items.Select(s => s.Id));
        Assert.Equal([after.Id], (await List(hr, $"tourId={tour.Id}&from=2027-04-18")).Items.Select(s => s.Id));
    }

    [Fact]
    public async Task FilterByStatus_JudgesInProgressAndCompletedByTodaysDate()
    {
        var hr = await Hr();
        var today = app.Today();
        var tour = await app.NewTourAsync(capacity: 5);
        var completed = await app.BookAsync((await app.QuietLeaderAsync()).Id, tour.Id, today.AddDays(-30), today.AddDays(-17));
        var inProgress = await app.BookAsync((await app.QuietLeaderAsync()).Id, tour.Id, today.AddDays(-3), today.AddDays(10));
        var confirmed = await app.BookAsync((await app.QuietLeaderAsync()).Id, tour.Id, today.AddDays(20), today.AddDays(33));
        await hr.PostAsync($"/api/v1/stints/{confirmed.Id}/confirm", null);
        var planned = await app.BookAsync((await app.QuietLeaderAsync()).Id, tour.Id, today.AddDays(40), today.AddDays(53));
        var cancelled = await app.BookAsync((await app.QuietLeaderAsync()).Id, tour.Id, today.AddDays(1), today.AddDays(14));
        await hr.PostJsonAsync($"/api/v1/stints/{cancelled.Id}/cancel", new { reason = "Not now" });

        foreach (var (status, expected) in new[]
                 {
                     (StintStatus.Completed, completed.Id), (StintStatus.InProgress, inProgress.Id), (StintStatus.Confirmed, confirmed.Id),
                     (StintStatus.Planned, planned.Id), (StintStatus.Cancelled, cancelled.Id),
                 })
        {
            var page = await List(hr, $"tourId={tour.Id}&status={status}");
            var only = Assert.Single(page.Items);
            Assert.Equal((expected, status), (only.Id, only.Status));
        }
        Assert.Equal(5, (await List(hr, $"tourId={tour.Id}")).Total);
    }

    [Fact]
    public async Task Paging_SplitsTheOrderedListAndCountsTheWhole()
    {
        var hr = await Hr();
        var tour = await app.NewTourAsync(capacity: 1);
        var leader = await app.QuietLeaderAsync();
        var booked = new List<Guid>();
        for (var i = 0; i < 5; i++) booked.Add((await app.BookAsync(leader.Id, tour.Id, Mar1.AddDays(14 * i), Mar1.AddDays(14 * i + 6))).Id);

        var first = await List(hr, $"tourId={tour.Id}&page=1&pageSize=2");
        var third = await List(hr, $"tourId={tour.Id}&page=3&pageSize=2");
        var beyond = await List(hr, $"tourId={tour.Id}&page=4&pageSize=2");

        Assert.Equal((1, 2, 5), (first.Page, first.PageSize, first.Total));
        Assert.Equal(booked[..2], first.Items.Select(s => s.Id));
        Assert.Equal([booked[4]], third.Items.Select(s => s.Id));
        Assert.Empty(beyond.Items);
        Assert.Equal(5, beyond.Total);
    }

    [Theory]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("from=2027-05-01&to=2027-04-01", "to")]
    [InlineData("status=Sleeping", "status")]
    [InlineData("from=2027-02-30", "from")]
    public async Task BadQuery_Returns400NamingTheParameter(string query, string field)
    {
        var hr = await Hr();

        var response = await hr.GetAsync($"/api/v1/stints?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _),
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PageSizeOf500_IsAllowed()
    {
        var page = await List(await Hr(), "pageSize=500");

        Assert.Equal(500, page.PageSize);
    }
}
