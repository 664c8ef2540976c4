using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Scheduling;

/// <summary>Two coordinators booking the last place at once: exactly one succeeds, through the API.</summary>
public sealed class LastPlaceConcurrencyTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private const int Bookings = 20;

    [Fact]
    public async Task TwentyParallelBookings_ForTheLastPlace_OneIs201_NineteenAre409_AndNoDayIsOverCapacity()
    {
        var start = new DateOnly(2027, 3, 1);
        var end = start.AddDays(13);
        var tour = await app.NewTourAsync(capacity: 2);
        var first = await app.QuietLeaderAsync("first");
        await app.BookAsync(first.Id, tour.Id, start.AddDays(-7), end.AddDays(7));
        var leaders = new List<Guid>();
        for (var i = 0; i < Bookings; i++) leaders.Add((await app.QuietLeaderAsync($"racer{i}")).Id);
        // Two coordinators, each firing half of the requests.
        var coordinators = new[] { (await app.ApiPersonAsync("hr.one", Roles.HR)).Api, (await app.ApiPersonAsync("hr.two", Roles.HR)).Api };

        using var go = new ManualResetEventSlim();
        var requests = leaders.Select((leader, i) => Task.Run(async () =>
        {
            go.Wait();
            var response = await coordinators[i % 2].PostJsonAsync("/api/v1/stints",
                new { leaderId = leader, tourId = tour.Id, startDate = start, endDate = end, kind = "Orientation" });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToList();
        go.Set();
        var results = await Task.WhenAll(requests);

        var unexpected = results.Where(r => r.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict)).ToList();
        Assert.True(unexpected.Count == 0, "unexpected answers:\n" + string.Join("\n", unexpected.Select(r => $"{(int)r.StatusCode} {r.Body}")));
        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(Bookings - 1, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.All(results.Where(r => r.StatusCode == HttpStatusCode.Conflict),
            r => Assert.Contains("\"kind\":\"Capacity\"", r.Body));

        Assert.Empty(await DaysOverCapacityAsync());
        Assert.Equal(2, await app.WithDbAsync(db => db.Stints.CountAsync(s => s.TourId == tour.Id)));
    }

    /// <summary>Every (tour, day) on which more leaders are booked than the tour has places, counted in SQL.</summary>
    private async Task<List<string>> DaysOverCapacityAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select t.code, d::date, count(*), t.capacity
            from stints s
            join tours t on t.id = s.tour_id
            cross join lateral generate_series(s.start_date, s.end_date, interval '1 day') as d
            where s.cancelled_at is null
            group by t.code, t.capacity, d
            having count(*) > t.capacity
            order by t.code, d
            """, connection);
        var days = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            days.Add($"{reader.GetString(0)} {reader.GetDateTime(1):yyyy-MM-dd}: {reader.GetInt64(2)} of {reader.GetInt32(3)}");
        return days;
    }
}
