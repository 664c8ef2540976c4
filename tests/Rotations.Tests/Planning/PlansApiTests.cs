using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Reflections;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Planning;

namespace Rotations.Tests.Planning;

/// <summary>The auto-planner through the API: a proposal for a cohort, pins and removals, a commit that re-checks every rule.</summary>
public sealed class PlansApiTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly DateOnly From = new(2027, 1, 4);
    private static readonly DateOnly To = new(2027, 12, 31);
    private static readonly Guid Contact = new("00000000-0000-0000-0000-0000000b0003");

    private async Task<(Guid CohortId, List<Guid> Leaders)> CohortAsync(string name, int leaders)
    {
        var cohort = await app.CohortAsync(name);
        var ids = new List<Guid>();
        for (var i = 0; i < leaders; i++)
        {
            var leader = await app.QuietLeaderAsync($"{name}{i}");
            await app.JoinCohortAsync(leader.Id, cohort.Id); // target: Head of CX (CONTACT required, 3 tours, 8 weeks)
            ids.Add(leader.Id);
        }
        return (cohort.Id, ids);
    }

    private static List<JsonElement> Items(JsonElement plan) => plan.GetProperty("assignments").EnumerateArray().ToList();

    [Fact]
    public async Task Hr_plans_a_cohort_every_leader_gets_the_tours_their_level_still_needs_without_a_clash_and_the_same_input_gives_the_same_plan()
    {
        var (cohortId, leaders) = await CohortAsync("plan", 4);
        var hr = await app.HrApiAsync();
        var response = await hr.PostAsJsonAsync("/api/v1/plans", new { cohortId, from = From, to = To }, ApiClients.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var plan = await response.ReadJsonAsync();
        var items = Items(plan);
        Assert.Empty(plan.GetProperty("unplaced").EnumerateArray());
        foreach (var leader in leaders)
        {
            var mine = items.Where(i => i.GetProperty("leaderId").GetGuid() == leader).OrderBy(i => i.GetProperty("startDate").GetString()).ToList();
            Assert.True(mine.Count >= 3, $"{mine.Count} stints for a leader who needs 3 tours");
            Assert.Contains(mine, i => i.GetProperty("tourId").GetGuid() == Contact);
            for (var k = 1; k < mine.Count; k++)
                Assert.True(DateOnly.Parse(mine[k].GetProperty("startDate").GetString()!) > DateOnly.Parse(mine[k - 1].GetProperty("endDate").GetString()!).AddDays(7));
            Assert.All(mine, i => Assert.Equal(DayOfWeek.Monday, DateOnly.Parse(i.GetProperty("startDate").GetString()!).DayOfWeek));
        }
        var metrics = plan.GetProperty("metrics");
        Assert.True(DateOnly.Parse(metrics.GetProperty("lowerBound").GetString()!) <= DateOnly.Parse(metrics.GetProperty("makespan").GetString()!));

        var again = await (await hr.PostAsJsonAsync("/api/v1/plans", new { cohortId, from = From, to = To }, ApiClients.Json)).ReadJsonAsync();
        string Shape(JsonElement p) => string.Join('|', Items(p).Select(i => $"{i.GetProperty("leaderId")}/{i.GetProperty("tourId")}/{i.GetProperty("startDate")}/{i.GetProperty("endDate")}"));
        Assert.Equal(Shape(plan), Shape(again));
    }

    [Fact]
    public async Task A_horizon_too_short_leaves_items_unplaced_each_with_the_reason_and_what_would_fix_it()
    {
        var (cohortId, _) = await CohortAsync("short", 2);
        var hr = await app.HrApiAsync();
        var plan = await (await hr.PostAsJsonAsync("/api/v1/plans", new { cohortId, from = From, to = From.AddDays(20) }, ApiClients.Json)).ReadJsonAsync();
        var unplaced = plan.GetProperty("unplaced").EnumerateArray().ToList();
        Assert.NotEmpty(unplaced);
        Assert.All(unplaced, u =>
        {
            Assert.False(string.IsNullOrWhiteSpace(u.GetProperty("reason").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(u.GetProperty("fix").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(u.GetProperty("leaderName").GetString()));
        });

        var listed = (await (await hr.GetAsync("/api/v1/plans")).ReadJsonAsync()).EnumerateArray()
            .Single(p => p.GetProperty("id").GetGuid() == plan.GetProperty("id").GetGuid());
        Assert.Equal(unplaced.Count, listed.GetProperty("unplaced").GetInt32());

        var bad = await hr.PostAsJsonAsync("/api/v1/plans", new { cohortId = Guid.NewGuid(), from = To, to = From }, ApiClients.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("to", out _));
    }

    [Fact]
    public async Task Commit_books_every_item_once_and_a_booking_made_meanwhile_fails_it_naming_the_clash_with_nothing_written()
    {
        var (cohortId, leaders) = await CohortAsync("commit", 2);
        var hr = await app.HrApiAsync();
        var plan = await (await hr.PostAsJsonAsync("/api/v1/plans", new { cohortId, from = From, to = To }, ApiClients.Json)).ReadJsonAsync();
        var id = plan.GetProperty("id").GetGuid();
        var first = Items(plan)[0];

        // Someone books the first leader into the very days of the first item.
        var clash = await app.BookAsync(first.GetProperty("leaderId").GetGuid(), await ToursOtherThan(first.GetProperty("tourId").GetGuid()),
            DateOnly.Parse(first.GetProperty("startDate").GetString()!), DateOnly.Parse(first.GetProperty("startDate").GetString()!).AddDays(11));
        var refused = await hr.PostAsync($"/api/v1/plans/{id}/commit", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("overlaps", (await refused.ReadJsonAsync()).GetProperty("clashes")[0].GetProperty("message").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Stints.CountAsync(s => leaders.Contains(s.LeaderId))));
        Assert.Equal(PlanStatus.Proposed, await app.WithDbAsync(db => db.Plans.Where(p => p.Id == id).Select(p => p.Status).SingleAsync()));

        // Cancelled again, the plan commits: each item becomes a stint, once.
        await app.WithDbAsync(db => db.Stints.Where(s => s.Id == clash.Id).ExecuteDeleteAsync());
        var committed = await hr.PostAsync($"/api/v1/plans/{id}/commit", null);
        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
        var done = await committed.ReadJsonAsync();
        Assert.Equal("Committed", done.GetProperty("status").GetString());
        Assert.All(Items(done), i => Assert.NotEqual(JsonValueKind.Null, i.GetProperty("stintId").ValueKind));
        Assert.Equal(Items(plan).Count, await app.WithDbAsync(db => db.Stints.CountAsync(s => leaders.Contains(s.LeaderId))));
        Assert.Equal(HttpStatusCode.Conflict, (await hr.PostAsync($"/api/v1/plans/{id}/commit", null)).StatusCode);
        Assert.Equal(Items(plan).Count, await app.WithDbAsync(db => db.Stints.CountAsync(s => leaders.Contains(s.LeaderId))));
    }

    private Task<Guid> ToursOtherThan(Guid tourId) =>
        app.WithDbAsync(db => db.Tours.Where(t => t.Id != tourId && !t.IsRetired && t.Code != "EXEC").OrderBy(t => t.Code).Select(t => t.Id).FirstAsync());

    [Fact]
    public async Task Hr_pins_one_item_removes_another_and_plans_again_around_them()
    {
        var (cohortId, _) = await CohortAsync("pins", 2);
        var hr = await app.HrApiAsync();
        var plan = await (await hr.PostAsJsonAsync("/api/v1/plans", new { cohortId, from = From, to = To }, ApiClients.Json)).ReadJsonAsync();
        var id = plan.GetProperty("id").GetGuid();
        var items = Items(plan);
        var pinned = items[0];
        var removed = items[1];
        Assert.Equal(HttpStatusCode.OK, (await hr.PutJsonAsync($"/api/v1/plans/{id}/items/{pinned.GetProperty("position").GetInt32()}", new { pinned = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hr.PutJsonAsync($"/api/v1/plans/{id}/items/{removed.GetProperty("position").GetInt32()}", new { removed = true })).StatusCode);

        var replanned = await (await hr.PostAsync($"/api/v1/plans/{id}/replan", null)).ReadJsonAsync();
        var after = Items(replanned);
        var keptPin = after.Single(i => i.GetProperty("pinned").GetBoolean());
        Assert.Equal((pinned.GetProperty("tourId").GetGuid(), pinned.GetProperty("startDate").GetString()),
            (keptPin.GetProperty("tourId").GetGuid(), keptPin.GetProperty("startDate").GetString()));
        var gone = after.Where(i => i.GetProperty("leaderId").GetGuid() == removed.GetProperty("leaderId").GetGuid()
                                    && i.GetProperty("tourId").GetGuid() == removed.GetProperty("tourId").GetGuid()).ToList();
        Assert.True(gone.All(i => i.GetProperty("removed").GetBoolean()), "the removed need came back");

        // Only HR plans: a manager and a leader are refused.
        var (_, manager) = await app.ApiPersonAsync("plan-manager", Roles.Manager);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsJsonAsync("/api/v1/plans", new { cohortId, from = From, to = To }, ApiClients.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync($"/api/v1/plans/{id}")).StatusCode);
    }

    [Fact]
    public async Task Two_replans_of_the_same_version_at_once_apply_one_and_refuse_the_other_leaving_one_whole_proposal()
    {
        var (cohortId, _) = await CohortAsync("replan-race", 3);
        var hr = await app.HrApiAsync();
        var created = await hr.PostAsJsonAsync("/api/v1/plans", new { cohortId, from = From, to = To }, ApiClients.Json);
        var etag = created.Headers.ETag!.Tag;
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();

        HttpRequestMessage Replan()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/plans/{id}/replan");
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            return request;
        }
        var answers = await Task.WhenAll(hr.SendAsync(Replan()), hr.SendAsync(Replan()));
        var codes = answers.Select(a => a.StatusCode).OrderBy(c => c).ToList();
        Assert.Equal(HttpStatusCode.OK, codes[0]);
        Assert.Equal(HttpStatusCode.PreconditionFailed, codes[1]);

        // The plan holds exactly the winner's items: numbered 1..n once, none left of the old proposal or of the other run.
        var winner = Items(await answers.Single(a => a.StatusCode == HttpStatusCode.OK).ReadJsonAsync());
        var stored = await app.WithDbAsync(db => db.PlanItems.Where(i => i.PlanId == id).OrderBy(i => i.Position)
            .Select(i => new { i.Position, i.LeaderId, i.TourId, i.StartDate }).ToListAsync());
        Assert.Equal(Enumerable.Range(1, stored.Count), stored.Select(i => i.Position));
        Assert.Equal(winner.Select(i => (i.GetProperty("leaderId").GetGuid(), i.GetProperty("tourId").GetGuid(), i.GetProperty("startDate").GetString())),
            stored.Select(i => (i.LeaderId, i.TourId, (string?)i.StartDate.ToString("yyyy-MM-dd"))));
    }

    [Fact]
    public async Task A_leaders_unavailable_period_is_kept_free_and_a_bad_period_is_refused_naming_the_field()
    {
        var (cohortId, leaders) = await CohortAsync("away", 1);
        var hr = await app.HrApiAsync();
        var away = (From: new DateOnly(2027, 1, 4), To: new DateOnly(2027, 4, 30));
        var added = await hr.PostAsJsonAsync($"/api/v1/people/{leaders[0]}/unavailability", new { from = away.From, to = away.To, reason = "Parental leave" }, ApiClients.Json);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var bad = await hr.PostAsJsonAsync($"/api/v1/people/{leaders[0]}/unavailability", new { from = away.To, to = away.From }, ApiClients.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("to", out _));
        Assert.Single((await (await hr.GetAsync($"/api/v1/people/{leaders[0]}/unavailability")).ReadJsonAsync()).EnumerateArray());

        var plan = await (await hr.PostAsJsonAsync("/api/v1/plans", new { cohortId, from = From, to = To }, ApiClients.Json)).ReadJsonAsync();
        var items = Items(plan);
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.True(DateOnly.Parse(i.GetProperty("startDate").GetString()!) > away.To,
            $"{i.GetProperty("tourCode")} starts {i.GetProperty("startDate")}, inside the leave"));
        var (_, leader) = await app.ApiPersonAsync("away-leader", Roles.Leader);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync($"/api/v1/people/{leaders[0]}/unavailability")).StatusCode);
    }
}
