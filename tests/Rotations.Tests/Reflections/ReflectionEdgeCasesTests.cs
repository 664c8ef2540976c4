using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Reflections;

/// <summary>The corners: a host replaced mid-feedback, a leader as their own host, time zones far from UTC, rows that shift.</summary>
public sealed class ReflectionEdgeCasesTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly object Ratings = new { engagement = 3, curiosity = 3, collaboration = 3, impact = 3, comments = "Old host's view", submit = true };

    [Fact]
    public async Task A_host_who_replaces_another_never_sees_their_draft_and_never_overwrites_their_submitted_feedback()
    {
        var cast = await app.CastAsync("host-change");
        var (newHost, newHostApi) = await app.ApiPersonAsync("host-change-new", Roles.Host);
        Assert.Equal(HttpStatusCode.OK, (await cast.HostApi.PutJsonAsync(cast.Feedback, new { engagement = 2, comments = "Draft by the first host" })).StatusCode);
        await app.WithDbAsync(db => db.Stints.Where(s => s.Id == cast.Stint.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.HostId, newHost.Id)));

        var seen = await newHostApi.GetAsync(cast.Feedback);
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        var body = await seen.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Draft by the first host", body);
        Assert.Equal("NotStarted", (await seen.ReadJsonAsync()).GetProperty("status").GetString());
        // The new host starts afresh and submits; the first host's draft is replaced, not merged.
        Assert.Equal(HttpStatusCode.OK, (await newHostApi.PutJsonAsync(cast.Feedback, Ratings)).StatusCode);
        var stored = await app.WithDbAsync(db => db.HostFeedback.SingleAsync(f => f.StintId == cast.Stint.Id));
        Assert.Equal((newHost.Id, "Old host's view"), (stored.AuthorId, stored.Comments));

        // Back to the first host: the submitted feedback is someone else's now, and stays theirs.
        await app.WithDbAsync(db => db.Stints.Where(s => s.Id == cast.Stint.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.HostId, cast.Host.Id)));
        var overwrite = await cast.HostApi.PutJsonAsync(cast.Feedback, new { engagement = 1, curiosity = 1, collaboration = 1, impact = 1, comments = "mine", submit = true });
        Assert.Equal(HttpStatusCode.Conflict, overwrite.StatusCode);
        Assert.Equal("Old host's view", await app.WithDbAsync(db => db.HostFeedback.Where(f => f.StintId == cast.Stint.Id).Select(f => f.Comments).SingleAsync()));
    }

    [Fact]
    public async Task A_leader_is_never_booked_as_the_host_of_their_own_stint()
    {
        var hr = await app.HrApiAsync();
        var (leader, _) = await app.ApiPersonAsync("own-host", Roles.Leader, Roles.Host);
        var tour = await app.NewTourAsync();
        await app.AddHostAsync(tour.Id, leader.Id);
        var response = await hr.PostJsonAsync("/api/v1/stints", new
        {
            leaderId = leader.Id, tourId = tour.Id, hostId = leader.Id, startDate = "2027-06-07", endDate = "2027-06-18", kind = "Orientation",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("does not host their own stint", (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("hostId")[0].GetString());
        Assert.False(await app.WithDbAsync(db => db.Stints.AnyAsync(s => s.LeaderId == leader.Id)));
    }

    [Fact]
    public async Task On_time_is_judged_on_the_leaders_own_calendar_and_the_day_before_the_overdue_reminder()
    {
        // Due 11 March (the overdue reminder goes on the 12th). At 12:00 UTC on the 11th it is already the 12th in Auckland.
        var cast = await app.CastAsync("auckland");
        await app.WithDbAsync(db => db.Users.Where(p => p.Id == cast.Leader.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.TimeZone, "Pacific/Auckland")));
        var london = await app.CastAsync("london");
        foreach (var c in new[] { cast, london })
            Assert.Equal(HttpStatusCode.OK, (await c.LeaderApi.PutJsonAsync(c.Reflection, ReflectionKit.Complete())).StatusCode);

        cast = await cast.AtAsync(app, new DateTimeOffset(2027, 3, 11, 12, 0, 0, TimeSpan.Zero));
        london = await london.AtAsync(app, new DateTimeOffset(2027, 3, 11, 12, 0, 0, TimeSpan.Zero));
        var late = await (await cast.LeaderApi.PostAsync($"{cast.Reflection}/submit", null)).ReadJsonAsync();
        var onTime = await (await london.LeaderApi.PostAsync($"{london.Reflection}/submit", null)).ReadJsonAsync();
        Assert.Equal(("2027-03-11", false), (late.GetProperty("dueOn").GetString(), late.GetProperty("onTime").GetBoolean()));
        Assert.Equal(("2027-03-11", true), (onTime.GetProperty("dueOn").GetString(), onTime.GetProperty("onTime").GetBoolean()));
    }

    [Fact]
    public async Task Saving_a_submitted_reflection_unchanged_makes_no_new_version_whatever_the_order_of_its_competencies()
    {
        var cast = await app.CastAsync("same-order");
        var two = new
        {
            customerSide = "Queues", insideOut = "Targets", vocabulary = Array.Empty<object>(), peopleMet = "", frictionAndIdeas = "",
            competencies = new[]
            {
                new { competencyId = ReflectionKit.InternalEngagement, evidence = "Told the floor what changed." },
                new { competencyId = ReflectionKit.CustomerInsight, evidence = "Played the calls." },
            },
        };
        Assert.Equal(HttpStatusCode.OK, (await cast.LeaderApi.PostAsJsonAsync($"{cast.Reflection}/submit", two)).StatusCode);
        var again = await cast.LeaderApi.PutJsonAsync(cast.Reflection, two);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await again.ReadJsonAsync()).GetProperty("revision").GetInt32());
        Assert.Equal(1, await app.WithDbAsync(db => db.ReflectionVersions.CountAsync(v => v.StintId == cast.Stint.Id)));
    }

    [Fact]
    public async Task A_submission_names_the_row_as_it_was_sent_even_after_a_blank_one()
    {
        var cast = await app.CastAsync("rows");
        var response = await cast.LeaderApi.PostAsJsonAsync($"{cast.Reflection}/submit", new
        {
            customerSide = "Queues", insideOut = "",
            vocabulary = new[] { new { term = "", meaning = "", customerMeaning = "" }, new { term = "FCR", meaning = "", customerMeaning = "Solved at once." } },
            competencies = new[] { new { competencyId = ReflectionKit.CustomerInsight, evidence = "" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["competencies[0].evidence", "insideOut", "vocabulary[1].meaning"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.False(await app.WithDbAsync(db => db.Reflections.AnyAsync(r => r.StintId == cast.Stint.Id)));
    }
}
