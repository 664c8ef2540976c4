using System.Net;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Reflections;

/// <summary>Host feedback, the glossary and the learning log through the API.</summary>
public sealed class FeedbackGlossaryLogApiTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly object FullRatings = new { engagement = 4, curiosity = 3, collaboration = 3, impact = 2, comments = "Asked the right questions.", submit = true };

    [Fact]
    public async Task The_host_drafts_then_submits_feedback_and_only_then_the_leader_and_manager_read_it()
    {
        var cast = await app.CastAsync("feedback");
        var draft = await cast.HostApi.PutJsonAsync(cast.Feedback, new { engagement = 4, comments = "Draft thoughts" });
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        Assert.Equal("Draft", (await draft.ReadJsonAsync()).GetProperty("status").GetString());

        foreach (var reader in new[] { cast.LeaderApi, cast.ManagerApi })
        {
            var seen = await (await reader.GetAsync(cast.Feedback)).ReadJsonAsync();
            Assert.Equal("Draft", seen.GetProperty("status").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, seen.GetProperty("engagement").ValueKind);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, seen.GetProperty("comments").ValueKind);
        }

        var missing = await cast.HostApi.PutJsonAsync(cast.Feedback, new { engagement = 4, curiosity = 5, comments = "Kept", submit = true });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await missing.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["collaboration", "curiosity", "impact"], errors.EnumerateObject().Select(e => e.Name).Order().ToArray());
        Assert.Contains("1 (not yet shown)", errors.GetProperty("curiosity")[0].GetString());

        var submitted = await cast.HostApi.PutJsonAsync(cast.Feedback, FullRatings);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var read = await (await cast.LeaderApi.GetAsync(cast.Feedback)).ReadJsonAsync();
        Assert.Equal("Submitted", read.GetProperty("status").GetString());
        Assert.Equal(2, read.GetProperty("impact").GetInt32());
        Assert.Equal(3.0, read.GetProperty("average").GetDouble());
        Assert.Equal("Asked the right questions.", read.GetProperty("comments").GetString());

        // Submitted feedback can be corrected but keeps all four ratings.
        var unrate = await cast.HostApi.PutJsonAsync(cast.Feedback, new { engagement = 4, curiosity = 3, collaboration = 3, comments = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, unrate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cast.LeaderApi.PutJsonAsync(cast.Feedback, FullRatings)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cast.ManagerApi.PutJsonAsync(cast.Feedback, FullRatings)).StatusCode);
    }

    [Fact]
    public async Task Feedback_opens_in_the_last_week_of_the_stint()
    {
        var cast = await (await app.CastAsync("feedback-early")).AtAsync(app, new DateTimeOffset(2027, 2, 15, 12, 0, 0, TimeSpan.Zero));
        var early = await cast.HostApi.PutJsonAsync(cast.Feedback, FullRatings);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("Sat 27 Feb 2027", (await early.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_glossary_holds_the_terms_of_submitted_reflections_by_tour_without_their_authors()
    {
        var submitted = await app.CastAsync("glossary-a");
        Assert.Equal(HttpStatusCode.OK, (await submitted.LeaderApi.PostJsonAsync(submitted.Reflection + "/submit", ReflectionKit.Complete(term: "Wrap-up time"))).StatusCode);
        var draft = await app.CastAsync("glossary-b", ReflectionKit.Exec);
        Assert.Equal(HttpStatusCode.OK, (await draft.LeaderApi.PutJsonAsync(draft.Reflection, ReflectionKit.Complete(term: "Opex draft term"))).StatusCode);

        var (_, anyone) = await app.ApiPersonAsync("glossary-reader", Roles.Host);
        var all = await anyone.GetAsync("/api/v1/glossary");
        Assert.True(all.StatusCode == HttpStatusCode.OK, await all.Content.ReadAsStringAsync());
        var body = await all.Content.ReadAsStringAsync();
        Assert.Contains("Wrap-up time", body);
        Assert.DoesNotContain("Opex draft term", body);
        Assert.DoesNotContain(submitted.Leader.DisplayName, body);
        Assert.DoesNotContain(submitted.Stint.Id.ToString(), body);
        Assert.DoesNotContain("Customers wait 14 minutes", body); // the reflection's text is not in the glossary

        var found = await (await anyone.GetAsync("/api/v1/glossary?q=wrap-UP")).ReadJsonAsync();
        var term = Assert.Single(found.GetProperty("terms").EnumerateArray(), t => t.GetProperty("term").GetString() == "Wrap-up time");
        Assert.Equal("CONTACT", term.GetProperty("tourCode").GetString());
        Assert.Equal("How quickly I am rushed off the phone.", term.GetProperty("meanings")[0].GetProperty("customerMeaning").GetString());
        var byMeaning = await (await anyone.GetAsync("/api/v1/glossary?q=rushed%20off")).ReadJsonAsync();
        Assert.Contains(byMeaning.GetProperty("terms").EnumerateArray(), t => t.GetProperty("term").GetString() == "Wrap-up time");
        var otherTour = await (await anyone.GetAsync("/api/v1/glossary?tour=exec&q=wrap")).ReadJsonAsync();
        Assert.Equal(0, otherTour.GetProperty("terms").GetArrayLength());
        var wildcard = await (await anyone.GetAsync("/api/v1/glossary?q=%25")).ReadJsonAsync();
        Assert.Equal(0, wildcard.GetProperty("terms").GetArrayLength());

        var unknown = await anyone.GetAsync("/api/v1/glossary?tour=NOPE");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.ReadJsonAsync()).GetProperty("errors").TryGetProperty("tour", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/glossary")).StatusCode);
    }

    [Fact]
    public async Task The_learning_log_searches_the_leaders_reflections_and_shows_drafts_only_to_the_leader()
    {
        var cast = await app.CastAsync("log");
        await cast.LeaderApi.PostJsonAsync(cast.Reflection + "/submit", ReflectionKit.Complete("The callers were patient but the queue music was unbearable."));
        var second = await app.StintAsync(cast.Leader.Id, ReflectionKit.Exec, null, new DateOnly(2027, 3, 8), new DateOnly(2027, 3, 12));
        await cast.LeaderApi.PutJsonAsync($"/api/v1/stints/{second.Id}/reflection", new { customerSide = "Board papers mention churn only twice." });

        var path = $"/api/v1/leaders/{cast.Leader.Id}/learning-log";
        var own = await (await cast.LeaderApi.GetAsync(path + "?q=churn")).ReadJsonAsync();
        Assert.Equal(2, own.GetProperty("entries").GetArrayLength());
        var hit = Assert.Single(own.GetProperty("hits").EnumerateArray());
        Assert.Equal(second.Id, hit.GetProperty("stintId").GetGuid());
        Assert.Contains("\u0001churn\u0002", hit.GetProperty("snippet").GetString());
        // Stemming: "callers" finds "caller".
        var stemmed = await (await cast.LeaderApi.GetAsync(path + "?q=caller")).ReadJsonAsync();
        Assert.Equal(cast.Stint.Id, Assert.Single(stemmed.GetProperty("hits").EnumerateArray()).GetProperty("stintId").GetGuid());

        var manager = await (await cast.ManagerApi.GetAsync(path + "?q=churn")).ReadJsonAsync();
        Assert.Empty(manager.GetProperty("hits").EnumerateArray()); // the draft is the leader's own
        var entries = manager.GetProperty("entries").EnumerateArray().ToList();
        var draftEntry = entries.Single(e => e.GetProperty("stintId").GetGuid() == second.Id);
        Assert.Equal("Draft", draftEntry.GetProperty("reflectionStatus").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, draftEntry.GetProperty("reflection").ValueKind);
        var submittedEntry = entries.Single(e => e.GetProperty("stintId").GetGuid() == cast.Stint.Id);
        Assert.Contains("queue music", submittedEntry.GetProperty("reflection").GetProperty("customerSide").GetString());

        var bad = await cast.LeaderApi.GetAsync(path + "?q=" + new string('a', 201));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        // Search syntax that is not valid for to_tsquery is still accepted by websearch_to_tsquery.
        Assert.Equal(HttpStatusCode.OK, (await cast.LeaderApi.GetAsync(path + "?q=%22queue%20music%22%20-or%20%26%7C!(")).StatusCode);
    }
}
