using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Tests.Reflections;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Readiness;

namespace Rotations.Tests.Readiness;

/// <summary>Readiness evidence and reviews through the API: the gaps in plain words, drafts, submission, supersession, return for calibration.</summary>
public sealed class ReadinessApiTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task The_evidence_for_a_level_names_every_gap_in_plain_words_and_links_the_records_behind_each_figure()
    {
        var cast = await app.HistoryAsync("evidence");
        var sales = await app.WithDbAsync(db => db.Stints.Where(s => s.LeaderId == cast.Leader.Id && s.TourId == ReadinessKit.Sales).Select(s => s.Id).SingleAsync());

        var vp = await (await cast.ManagerApi.GetAsync($"/api/v1/leaders/{cast.Leader.Id}/readiness")).ReadJsonAsync();
        Assert.Equal("VP", vp.GetProperty("level").GetString()); // the target level when none is named
        var gaps = Strings(vp.GetProperty("gaps"));
        Assert.Contains("Executive management tour missing", gaps);
        Assert.Contains("2 distinct tours completed, needs 7", gaps);
        Assert.Contains("9 weeks served, needs 26", gaps); // SALES 4 weeks (4–29 Jan), CONTACT 5 weeks (1 Feb – 5 Mar)
        Assert.DoesNotContain(gaps, g => g.Contains("reflection")); // CONTACT's is not due until 11 March
        Assert.Contains("Mobilising peers not yet rated, needs 3", gaps);
        Assert.False(vp.GetProperty("meetsCriteria").GetBoolean());

        var coverage = vp.GetProperty("coverage").EnumerateArray().ToDictionary(c => c.GetProperty("tourCode").GetString()!);
        Assert.Equal(("Done", 4), (coverage["SALES"].GetProperty("status").GetString(), coverage["SALES"].GetProperty("weeks").GetInt32()));
        Assert.Equal([sales], coverage["SALES"].GetProperty("stintIds").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal("Missing", coverage["EXEC"].GetProperty("status").GetString());
        Assert.True(coverage["EXEC"].GetProperty("required").GetBoolean());

        var reflections = vp.GetProperty("reflections");
        Assert.Equal((2, 1, 0, 1), (reflections.GetProperty("due").GetInt32(), reflections.GetProperty("onTime").GetInt32(),
            reflections.GetProperty("late").GetInt32(), reflections.GetProperty("missing").GetInt32()));
        Assert.Equal([cast.Stint.Id], reflections.GetProperty("missingStintIds").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal(1.0, reflections.GetProperty("onTimeRate").GetDouble()); // CONTACT's is not due until 11 March
        var feedback = vp.GetProperty("feedback");
        Assert.Equal((1, 3.0), (feedback.GetProperty("count").GetInt32(), feedback.GetProperty("average").GetDouble()));
        var acumen = vp.GetProperty("competencies").EnumerateArray().Single(c => c.GetProperty("competencyId").GetGuid() == ReadinessKit.Competency(2));
        Assert.Equal("Priced the renewal against the discount.", acumen.GetProperty("evidence")[0].GetProperty("evidence").GetString());
        Assert.Equal(sales, acumen.GetProperty("evidence")[0].GetProperty("stintId").GetGuid());

        // Another level, another yardstick; a level readiness is not judged for is refused naming the field.
        var head = await (await cast.LeaderApi.GetAsync($"/api/v1/leaders/{cast.Leader.Id}/readiness?level=HeadOf")).ReadJsonAsync();
        Assert.DoesNotContain("Executive management tour missing", Strings(head.GetProperty("gaps")));
        Assert.Contains("Customer insight and storytelling not yet rated, needs 3", Strings(head.GetProperty("gaps")));
        foreach (var bad in new[] { "Manager", "Boss", "2" })
        {
            var refused = await cast.ManagerApi.GetAsync($"/api/v1/leaders/{cast.Leader.Id}/readiness?level={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("level", out _), bad);
        }
    }

    [Fact]
    public async Task A_manager_drafts_and_submits_a_review_a_later_one_supersedes_it_and_the_ratings_close_the_gaps()
    {
        var cast = await app.HistoryAsync("review");
        var opened = await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "VP", ReadinessKit.Ratings(3, count: 9, peers: 2));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var draft = await opened.ReadJsonAsync();
        var id = draft.GetProperty("id").GetGuid();
        Assert.Equal("Draft", draft.GetProperty("status").GetString());

        // The leader never sees a draft, not even that it exists.
        Assert.Equal(HttpStatusCode.NotFound, (await cast.LeaderApi.GetAsync($"/api/v1/reviews/{id}")).StatusCode);
        Assert.Empty((await (await cast.LeaderApi.GetAsync($"/api/v1/leaders/{cast.Leader.Id}/reviews")).ReadJsonAsync()).EnumerateArray());
        // A second draft for the level is refused, naming the first.
        var second = await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "VP");
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains(id.ToString(), await second.Content.ReadAsStringAsync());

        // Submitting needs every competency rated: the tenth is missing.
        var incomplete = await cast.ManagerApi.PostAsync($"/api/v1/reviews/{id}/submit", null);
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("One-company vocabulary", (await incomplete.ReadJsonAsync()).GetProperty("errors").GetProperty("ratings")[0].GetString());
        var submitted = await cast.ManagerApi.PostAsJsonAsync($"/api/v1/reviews/{id}/submit",
            new { decision = "Ready1To2Years", rationale = "Strong with customers; the executive tour is next.", ratings = ReadinessKit.Ratings(3, peers: 2) }, ApiClients.Json);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var first = await submitted.ReadJsonAsync();
        Assert.Equal(("Submitted", "Ready in 1–2 years", true), (first.GetProperty("status").GetString(), first.GetProperty("decisionLabel").GetString(), first.GetProperty("isCurrent").GetBoolean()));

        var evidence = await (await cast.LeaderApi.GetAsync($"/api/v1/leaders/{cast.Leader.Id}/readiness")).ReadJsonAsync();
        var gaps = Strings(evidence.GetProperty("gaps"));
        Assert.Contains("Mobilising peers rated 2, needs 3", gaps);
        Assert.DoesNotContain(gaps, g => g.StartsWith("Customer insight", StringComparison.Ordinal));
        Assert.Equal("Ready1To2Years", evidence.GetProperty("currentDecision").GetProperty("decision").GetString());

        // A submitted review never changes: not through the API, not even straight in the database.
        var changed = await cast.ManagerApi.PutJsonAsync($"/api/v1/reviews/{id}", new { decision = "ReadyNow", rationale = "Changed my mind", ratings = ReadinessKit.Ratings(4) });
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        var direct = await Assert.ThrowsAsync<PostgresException>(() => app.WithDbAsync(db =>
            db.Database.ExecuteSqlAsync($"update readiness_reviews set decision = 'ReadyNow' where id = {id}")));
        Assert.Contains("cannot change", direct.MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => app.WithDbAsync(db =>
            db.Database.ExecuteSqlAsync($"update review_ratings set rating = 4 where review_id = {id}")));
        Assert.Contains("never deleted", (await Assert.ThrowsAsync<PostgresException>(() => app.WithDbAsync(db =>
            db.Database.ExecuteSqlAsync($"delete from readiness_reviews where id = {id}")))).MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => app.WithDbAsync(db =>
            db.Database.ExecuteSqlAsync($"update readiness_reviews set status = 'Draft', submitted_at = null, decision_label = null where id = {id}")));

        // A later review supersedes it; the history keeps both, and the leader reads them.
        cast = await cast.AtAsync(app, ReflectionKitLater);
        var later = await (await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "VP", ReadinessKit.Ratings(3), decision: "ReadyNow", rationale: "Peers now follow.")).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await cast.ManagerApi.PostAsync($"/api/v1/reviews/{later.GetProperty("id").GetGuid()}/submit", null)).StatusCode);
        var history = (await (await cast.LeaderApi.GetAsync($"/api/v1/leaders/{cast.Leader.Id}/reviews")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal((later.GetProperty("id").GetGuid(), true), (history[0].GetProperty("id").GetGuid(), history[0].GetProperty("isCurrent").GetBoolean()));
        Assert.Equal((id, false, later.GetProperty("id").GetGuid()),
            (history[1].GetProperty("id").GetGuid(), history[1].GetProperty("isCurrent").GetBoolean(), history[1].GetProperty("supersededById").GetGuid()));
        Assert.Equal("Ready in 1–2 years", history[1].GetProperty("decisionLabel").GetString());
        Assert.DoesNotContain("Mobilising peers rated 2, needs 3",
            Strings((await (await cast.LeaderApi.GetAsync($"/api/v1/leaders/{cast.Leader.Id}/readiness")).ReadJsonAsync()).GetProperty("gaps")));
    }

    private static readonly DateTimeOffset ReflectionKitLater = new(2027, 4, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Hr_returns_a_submitted_review_for_calibration_which_keeps_it_and_opens_a_new_draft_from_it()
    {
        var cast = await app.HistoryAsync("calibration");
        var hr = await app.HrApiAsync();
        var review = await (await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "Director", decision: "ReadyNow")).ReadJsonAsync();
        var id = review.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await cast.ManagerApi.PostAsync($"/api/v1/reviews/{id}/submit", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await cast.ManagerApi.PostAsJsonAsync($"/api/v1/reviews/{id}/return", new { comment = "x" })).StatusCode);
        var noComment = await hr.PostAsJsonAsync($"/api/v1/reviews/{id}/return", new { comment = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noComment.StatusCode);
        Assert.True((await noComment.ReadJsonAsync()).GetProperty("errors").TryGetProperty("comment", out _));

        var returned = await hr.PostAsJsonAsync($"/api/v1/reviews/{id}/return", new { comment = "Ready now without the executive tour? Compare with the cohort." });
        Assert.Equal(HttpStatusCode.Created, returned.StatusCode);
        var draft = await returned.ReadJsonAsync();
        Assert.Equal(("Draft", id, "ReadyNow"), (draft.GetProperty("status").GetString(), draft.GetProperty("returnedFromId").GetGuid(), draft.GetProperty("decision").GetString()));
        Assert.Equal(10, draft.GetProperty("ratings").GetArrayLength());
        Assert.Equal(cast.Manager.Id, draft.GetProperty("authorId").GetGuid());

        var original = await (await cast.ManagerApi.GetAsync($"/api/v1/reviews/{id}")).ReadJsonAsync();
        Assert.Equal(("Returned", "Ready now", false), (original.GetProperty("status").GetString(), original.GetProperty("decisionLabel").GetString(), original.GetProperty("isCurrent").GetBoolean()));
        Assert.Contains("Compare with the cohort", original.GetProperty("returnComment").GetString());
        // Returned once is returned: a second return is refused; the leader sees the returned one, not the new draft.
        Assert.Equal(HttpStatusCode.Conflict, (await hr.PostAsJsonAsync($"/api/v1/reviews/{id}/return", new { comment = "again" })).StatusCode);
        var seen = (await (await cast.LeaderApi.GetAsync($"/api/v1/leaders/{cast.Leader.Id}/reviews")).ReadJsonAsync()).EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.Equal(["Returned"], seen);
        var evidence = await (await cast.ManagerApi.GetAsync($"/api/v1/leaders/{cast.Leader.Id}/readiness?level=Director")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, evidence.GetProperty("currentDecision").ValueKind);

        // The manager reworks the draft and submits: that decision counts now.
        var reworked = await cast.ManagerApi.PostAsJsonAsync($"/api/v1/reviews/{draft.GetProperty("id").GetGuid()}/submit",
            new { decision = "Ready1To2Years", rationale = "Calibrated with HR: the executive tour first.", ratings = ReadinessKit.Ratings(3) }, ApiClients.Json);
        Assert.Equal(HttpStatusCode.OK, reworked.StatusCode);
        evidence = await (await cast.ManagerApi.GetAsync($"/api/v1/leaders/{cast.Leader.Id}/readiness?level=Director")).ReadJsonAsync();
        Assert.Equal("Ready1To2Years", evidence.GetProperty("currentDecision").GetProperty("decision").GetString());
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_each_field_and_nothing_is_stored()
    {
        var cast = await app.HistoryAsync("review-bad");
        var response = await cast.ManagerApi.PostAsJsonAsync($"/api/v1/leaders/{cast.Leader.Id}/reviews", new
        {
            level = "VP", decision = "Maybe", rationale = new string('r', ReadinessReview.MaxRationaleLength + 1),
            ratings = new object[]
            {
                new { competencyId = ReadinessKit.Competency(1), rating = 5, comment = "" },
                new { competencyId = ReadinessKit.Competency(2), rating = 3, comment = "" },
                new { competencyId = ReadinessKit.Competency(2), rating = 3, comment = "" },
                new { competencyId = Guid.NewGuid(), rating = 3, comment = "" },
                new { competencyId = ReadinessKit.Competency(3), rating = 3, comment = new string('c', ReviewRating.MaxCommentLength + 1) },
            },
        }, ApiClients.Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["decision", "ratings[0].rating", "ratings[2].competencyId", "ratings[3].competencyId", "ratings[4].comment", "rationale"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("ReadyNow", errors.GetProperty("decision")[0].GetString());
        Assert.Equal(0, await app.ReviewCountAsync(cast.Leader.Id));

        var noLevel = await cast.ManagerApi.PostAsJsonAsync($"/api/v1/leaders/{cast.Leader.Id}/reviews", new { rationale = "x" });
        Assert.True((await noLevel.ReadJsonAsync()).GetProperty("errors").TryGetProperty("level", out _));

        // A stale save is refused and changes nothing.
        var draft = await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "VP");
        var etag = draft.Headers.ETag!.Tag;
        var id = (await draft.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await cast.ManagerApi.PutJsonAsync($"/api/v1/reviews/{id}", new { decision = "NotYet", rationale = "first", ratings = ReadinessKit.Ratings(2) }, etag)).StatusCode);
        var stale = await cast.ManagerApi.PutJsonAsync($"/api/v1/reviews/{id}", new { decision = "ReadyNow", rationale = "second", ratings = ReadinessKit.Ratings(4) }, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("first", await app.WithDbAsync(db => db.ReadinessReviews.Where(r => r.Id == id).Select(r => r.Rationale).SingleAsync()));
        // A draft can be discarded.
        Assert.Equal(HttpStatusCode.NoContent, (await cast.ManagerApi.DeleteAsync($"/api/v1/reviews/{id}")).StatusCode);
        Assert.Equal(0, await app.ReviewCountAsync(cast.Leader.Id));

        // Nobody reviews themself, nor calibrates their own review, not even from HR.
        var (hrLeader, hrLeaderApi) = await app.ApiPersonAsync("review-hr-leader", Roles.HR, Roles.Leader);
        await app.ProfileAsync(hrLeader.Id, Web.Features.People.Level.Director);
        Assert.Equal(HttpStatusCode.Forbidden, (await hrLeaderApi.OpenReviewAsync(hrLeader.Id, "Director")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cast.ManagerApi.OpenReviewAsync(hrLeader.Id, "Director")).StatusCode); // not their report
        var hr = await app.HrApiAsync();
        var draftOfHrLeader = (await (await hr.OpenReviewAsync(hrLeader.Id, "Director")).ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await hrLeaderApi.GetAsync($"/api/v1/reviews/{draftOfHrLeader}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsync($"/api/v1/reviews/{draftOfHrLeader}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hrLeaderApi.PostAsJsonAsync($"/api/v1/reviews/{draftOfHrLeader}/return", new { comment = "not me" })).StatusCode);
        Assert.Equal(ReviewStatus.Submitted, await app.WithDbAsync(db => db.ReadinessReviews.Where(r => r.Id == draftOfHrLeader).Select(r => r.Status).SingleAsync()));
    }

    [Fact]
    public async Task Only_the_leader_their_manager_and_hr_see_readiness_and_reviews_and_only_reviewers_write()
    {
        var cast = await app.HistoryAsync("review-access");
        var submitted = await (await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "VP")).ReadJsonAsync();
        var submittedId = submitted.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await cast.ManagerApi.PostAsync($"/api/v1/reviews/{submittedId}/submit", null)).StatusCode);
        var draftId = (await (await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "CCO")).ReadJsonAsync()).GetProperty("id").GetGuid();

        var (_, otherLeader) = await app.ApiPersonAsync("access-otherleader", Roles.Leader);
        var (_, otherManager) = await app.ApiPersonAsync("access-othermanager", Roles.Manager);
        var (_, admin) = await app.ApiPersonAsync("access-admin", Roles.Admin);
        var hr = await app.HrApiAsync();
        var leaderId = cast.Leader.Id;
        var outsiders = new Dictionary<string, HttpClient> { ["host"] = cast.HostApi, ["other leader"] = otherLeader, ["other manager"] = otherManager, ["admin"] = admin };
        var wrong = new List<string>();
        void Expect(string what, HttpStatusCode expected, HttpStatusCode actual) { if (expected != actual) wrong.Add($"{what}: {(int)actual}, expected {(int)expected}"); }

        foreach (var (who, api) in outsiders)
        {
            Expect($"{who} readiness", HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/leaders/{leaderId}/readiness")).StatusCode);
            Expect($"{who} reviews", HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/leaders/{leaderId}/reviews")).StatusCode);
            Expect($"{who} submitted review", HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/reviews/{submittedId}")).StatusCode);
            Expect($"{who} draft", HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/reviews/{draftId}")).StatusCode);
            Expect($"{who} opens", HttpStatusCode.NotFound, (await api.OpenReviewAsync(leaderId, "HeadOf")).StatusCode);
            Expect($"{who} saves", HttpStatusCode.NotFound, (await api.PutJsonAsync($"/api/v1/reviews/{draftId}", new { rationale = "mine" })).StatusCode);
            Expect($"{who} submits", HttpStatusCode.NotFound, (await api.PostAsync($"/api/v1/reviews/{draftId}/submit", null)).StatusCode);
            Expect($"{who} returns", HttpStatusCode.NotFound, (await api.PostAsJsonAsync($"/api/v1/reviews/{submittedId}/return", new { comment = "x" })).StatusCode);
        }
        // The leader reads their evidence and submitted review; the draft does not exist for them; they write nothing.
        Expect("leader readiness", HttpStatusCode.OK, (await cast.LeaderApi.GetAsync($"/api/v1/leaders/{leaderId}/readiness")).StatusCode);
        Expect("leader submitted review", HttpStatusCode.OK, (await cast.LeaderApi.GetAsync($"/api/v1/reviews/{submittedId}")).StatusCode);
        Expect("leader draft", HttpStatusCode.NotFound, (await cast.LeaderApi.GetAsync($"/api/v1/reviews/{draftId}")).StatusCode);
        Expect("leader opens", HttpStatusCode.Forbidden, (await cast.LeaderApi.OpenReviewAsync(leaderId, "HeadOf")).StatusCode);
        Expect("leader saves", HttpStatusCode.NotFound, (await cast.LeaderApi.PutJsonAsync($"/api/v1/reviews/{draftId}", new { rationale = "mine" })).StatusCode);
        Expect("leader returns", HttpStatusCode.Forbidden, (await cast.LeaderApi.PostAsJsonAsync($"/api/v1/reviews/{submittedId}/return", new { comment = "x" })).StatusCode);
        // HR reads and writes everyone's.
        Expect("hr draft", HttpStatusCode.OK, (await hr.GetAsync($"/api/v1/reviews/{draftId}")).StatusCode);
        Expect("hr saves", HttpStatusCode.OK, (await hr.PutJsonAsync($"/api/v1/reviews/{draftId}", new { decision = "NotYet", rationale = "HR's view", ratings = ReadinessKit.Ratings(2) })).StatusCode);
        Expect("anonymous", HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync($"/api/v1/leaders/{leaderId}/readiness")).StatusCode);

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        Assert.Equal(2, await app.ReviewCountAsync(leaderId));
        Assert.Equal("HR's view", await app.WithDbAsync(db => db.ReadinessReviews.Where(r => r.Id == draftId).Select(r => r.Rationale).SingleAsync()));
    }
}
