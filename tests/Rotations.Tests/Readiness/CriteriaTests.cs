using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Competencies;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Readiness;

namespace Rotations.Tests.Readiness;

/// <summary>The seeded criteria and bands, read by everyone signed in and written by HR alone (this class changes nothing).</summary>
public sealed class CriteriaTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    internal const string Path = "/api/v1/readiness/criteria";
    internal const string BandsPath = "/api/v1/readiness/bands";

    [Fact]
    public async Task The_seeded_defaults_ask_more_of_broader_levels_and_vp_and_cco_require_executive_management()
    {
        var (_, leader) = await app.ApiPersonAsync("lena", Roles.Leader);
        var response = await leader.GetAsync(Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.ReadJsonAsync();
        var levels = json.GetProperty("levels").EnumerateArray().ToList();
        Assert.Equal(["HeadOf", "Director", "VP", "CCO"], levels.Select(l => l.GetProperty("level").GetString()));
        Assert.Equal(["Head of CX", "Director", "Vice President", "Chief Customer Officer"], levels.Select(l => l.GetProperty("name").GetString()));

        var tours = levels.Select(l => Codes(l.GetProperty("requiredTours"))).ToList();
        Assert.DoesNotContain("EXEC", tours[0]);
        Assert.DoesNotContain("EXEC", tours[1]);
        Assert.Contains("EXEC", tours[2]);
        Assert.Contains("EXEC", tours[3]);
        for (var i = 1; i < 4; i++)
        {
            Assert.True(levels[i].GetProperty("minDistinctTours").GetInt32() > levels[i - 1].GetProperty("minDistinctTours").GetInt32(), $"level {i} tours");
            Assert.True(levels[i].GetProperty("minTotalWeeks").GetInt32() > levels[i - 1].GetProperty("minTotalWeeks").GetInt32(), $"level {i} weeks");
            Assert.Superset(tours[i - 1].ToHashSet(), tours[i].ToHashSet());
            Assert.True(levels[i].GetProperty("minRatings").GetArrayLength() >= levels[i - 1].GetProperty("minRatings").GetArrayLength());
        }
        Assert.All(levels, l => Assert.True(l.GetProperty("requireAllReflected").GetBoolean()));
        var cco = levels[3].GetProperty("minRatings").EnumerateArray().First();
        Assert.Equal("Customer insight and storytelling", cco.GetProperty("name").GetString());
        Assert.Equal(4, cco.GetProperty("rating").GetInt32());
        Assert.Equal("Role model", cco.GetProperty("ratingLabel").GetString());

        var bands = json.GetProperty("bands").GetProperty("bands").EnumerateArray().Select(b => b.GetProperty("label").GetString()).ToList();
        Assert.Equal(["Ready now", "Ready in 1–2 years", "Ready in 3+ years", "Not yet"], bands);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(Path)).StatusCode);
    }

    [Fact]
    public async Task One_level_travels_by_name_with_its_etag_and_an_unknown_level_is_404_naming_it()
    {
        var (_, leader) = await app.ApiPersonAsync("lena", Roles.Leader);
        var vp = await leader.GetAsync(Path + "/vp");
        Assert.Equal(HttpStatusCode.OK, vp.StatusCode);
        Assert.NotNull(vp.Headers.ETag);
        Assert.Equal("VP", (await vp.ReadJsonAsync()).GetProperty("level").GetString());
        foreach (var level in new[] { "Manager", "1", "Chief" })
        {
            var missing = await leader.GetAsync($"{Path}/{level}");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains($"“{level}”", (await missing.ReadJsonAsync()).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_leader_or_manager_reads_the_criteria_and_bands_but_may_not_change_them()
    {
        var (_, leader) = await app.ApiPersonAsync("lena", Roles.Leader, Roles.Manager);
        var level = await leader.GetAsync(Path + "/HeadOf");
        var body = new { minDistinctTours = 1, minTotalWeeks = 1, requireAllReflected = false, requiredTourIds = Array.Empty<Guid>(), minRatings = Array.Empty<object>() };
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(leader, Path + "/HeadOf", body, level.Headers.ETag!.Tag)).StatusCode);

        var bands = await leader.GetAsync(BandsPath);
        Assert.Equal(HttpStatusCode.OK, bands.StatusCode);
        var bandsBody = new { bands = new[] { new { code = "ReadyNow", label = "Go", retired = false } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(leader, BandsPath, bandsBody, bands.Headers.ETag!.Tag)).StatusCode);

        var stored = await app.WithDbAsync(db => db.ReadinessCriteria.AsNoTracking().SingleAsync(c => c.Level == Level.HeadOf));
        Assert.Equal(3, stored.MinDistinctTours);
        Assert.Equal("Ready now", await app.WithDbAsync(db => db.ReadinessBands.Where(b => b.Code == "ReadyNow").Select(b => b.Label).SingleAsync()));
    }

    internal static List<string> Codes(JsonElement tours) => tours.EnumerateArray().Select(t => t.GetProperty("code").GetString()!).ToList();

    internal static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, object body, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        return client.SendAsync(request);
    }
}

/// <summary>HR replacing one level's criteria, on a database of its own.</summary>
public sealed class CriteriaEditTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private const string Path = CriteriaTests.Path;

    private async Task<Guid> TourIdAsync(string code) => (await app.TourAsync(code)).Id;

    private Task<Guid> CompetencyIdAsync(int position) =>
        app.WithDbAsync(db => db.Competencies.Where(c => c.Position == position && !c.IsRetired).Select(c => c.Id).SingleAsync());

    [Fact]
    public async Task Hr_replaces_a_level_as_a_whole_the_trail_records_it_and_a_stale_version_is_refused()
    {
        var hr = await app.HrApiAsync();
        var before = await hr.GetAsync(Path + "/HeadOf");
        var etag = before.Headers.ETag!.Tag;
        var (contact, service) = (await TourIdAsync("CONTACT"), await TourIdAsync("SERVICE"));
        var (insight, teams) = (await CompetencyIdAsync(1), await CompetencyIdAsync(5));
        var body = new
        {
            minDistinctTours = 4, minTotalWeeks = 10, requireAllReflected = false,
            requiredTourIds = new[] { service, contact },
            minRatings = new[] { new { competencyId = insight, rating = 4 }, new { competencyId = teams, rating = 2 } },
        };
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await CriteriaTests.SendAsync(hr, Path + "/HeadOf", body, null)).StatusCode);

        var saved = await CriteriaTests.SendAsync(hr, Path + "/HeadOf", body, etag);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.NotEqual(etag, saved.Headers.ETag!.Tag);

        var now = await (await hr.GetAsync(Path + "/HeadOf")).ReadJsonAsync();
        Assert.Equal(4, now.GetProperty("minDistinctTours").GetInt32());
        Assert.Equal(10, now.GetProperty("minTotalWeeks").GetInt32());
        Assert.False(now.GetProperty("requireAllReflected").GetBoolean());
        Assert.Equal(["CONTACT", "SERVICE"], CriteriaTests.Codes(now.GetProperty("requiredTours")));
        var ratings = now.GetProperty("minRatings").EnumerateArray().Select(r => (r.GetProperty("competencyId").GetGuid(), r.GetProperty("rating").GetInt32())).ToList();
        Assert.Equal([(insight, 4), (teams, 2)], ratings); // "Results and urgency" (3) is no longer asked

        var trail = await app.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityKey.StartsWith("HeadOf") && (a.EntityType == "ReadinessCriteria" || a.EntityType == "RequiredTour" || a.EntityType == "MinRating"))
            .ToListAsync());
        var level = Assert.Single(trail, a => a.EntityType == "ReadinessCriteria");
        Assert.Equal(("HeadOf", "Changed"), (level.EntityKey, level.Action));
        var changed = level.Changes.RootElement.GetProperty("minDistinctTours");
        Assert.Equal((3, 4), (changed.GetProperty("from").GetInt32(), changed.GetProperty("to").GetInt32()));
        Assert.Contains(trail, a => a.EntityType == "RequiredTour" && a.EntityKey == $"HeadOf/{service}" && a.Action == "Created");
        Assert.Contains(trail, a => a.EntityType == "MinRating" && a.EntityKey == $"HeadOf/{insight}" && a.Action == "Changed");
        Assert.Contains(trail, a => a.EntityType == "MinRating" && a.Action == "Deleted");

        // A second editor still holding the first version overwrites nothing.
        var stale = await CriteriaTests.SendAsync(hr, Path + "/HeadOf", body with { minDistinctTours = 7 }, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(4, await app.WithDbAsync(db => db.ReadinessCriteria.Where(c => c.Level == Level.HeadOf).Select(c => c.MinDistinctTours).SingleAsync()));
    }

    [Fact]
    public async Task Every_refused_field_is_named_and_nothing_is_stored()
    {
        var hr = await app.HrApiAsync();
        var retiredTour = await app.NewTourAsync();
        await app.WithDbAsync(db => db.Tours.Where(t => t.Id == retiredTour.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.IsRetired, true)));
        var activeTours = await app.WithDbAsync(db => db.Tours.CountAsync(t => !t.IsRetired));
        var exec = await TourIdAsync("EXEC");
        var insight = await CompetencyIdAsync(1);
        var before = await hr.GetAsync(Path + "/VP");
        var beforeJson = (await before.ReadJsonAsync()).GetRawText();

        var body = new
        {
            minDistinctTours = activeTours + 1, minTotalWeeks = 1001, requireAllReflected = true,
            requiredTourIds = new[] { exec, exec, Guid.NewGuid(), retiredTour.Id },
            minRatings = new object[]
            {
                new { competencyId = insight, rating = 3 },
                new { competencyId = await CompetencyIdAsync(2), rating = 5 },
                new { competencyId = Guid.NewGuid(), rating = 2 },
                new { competencyId = insight, rating = 2 },
                new { competencyId = await CompetencyIdAsync(3), rating = 0 },
            },
        };
        var refused = await CriteriaTests.SendAsync(hr, Path + "/VP", body, before.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.ReadJsonAsync()).GetProperty("errors");
        string Error(string field) => errors.TryGetProperty(field, out var e) ? e[0].GetString()! : $"(no error for {field})";
        Assert.Contains($"has {activeTours} active tours", Error("minDistinctTours"));
        Assert.Contains("from 0 to 1000", Error("minTotalWeeks"));
        Assert.Contains("listed twice", Error("requiredTourIds[1]"));
        Assert.Contains("no tour with this id", Error("requiredTourIds[2]"));
        Assert.Contains("is retired", Error("requiredTourIds[3]"));
        Assert.Contains("from 1 (Not yet shown) to 4 (Role model)", Error("minRatings[1].rating"));
        Assert.Contains("no competency with this id", Error("minRatings[2].competencyId"));
        Assert.Contains("listed twice", Error("minRatings[3].competencyId"));
        Assert.Contains("from 1 (Not yet shown) to 4", Error("minRatings[4].rating"));
        Assert.Equal(9, errors.EnumerateObject().Count());

        var numbers = await CriteriaTests.SendAsync(hr, Path + "/VP", new { minDistinctTours = -1, minTotalWeeks = (int?)null, requireAllReflected = (bool?)null }, before.Headers.ETag!.Tag);
        var missing = (await numbers.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["minDistinctTours", "minRatings", "minTotalWeeks", "requireAllReflected", "requiredTourIds"], missing.EnumerateObject().Select(p => p.Name).Order());

        var after = await hr.GetAsync(Path + "/VP");
        Assert.Equal(before.Headers.ETag!.Tag, after.Headers.ETag!.Tag);
        Assert.Equal(beforeJson, (await after.ReadJsonAsync()).GetRawText());
    }

    [Fact]
    public async Task A_retired_competency_keeps_its_minimum_but_cannot_be_given_a_new_one()
    {
        var hr = await app.HrApiAsync();
        var (kept, fresh) = await app.WithDbAsync(async db =>
        {
            var a = new Competency { Name = $"Retired kept {Guid.NewGuid():N}", Position = 90, IsRetired = true };
            var b = new Competency { Name = $"Retired new {Guid.NewGuid():N}", Position = 91, IsRetired = true };
            db.Competencies.AddRange(a, b);
            await db.SaveChangesAsync();
            db.MinRatings.Add(new MinRating { Level = Level.Director, CompetencyId = a.Id, Rating = 2 });
            await db.SaveChangesAsync();
            return (a.Id, b.Id);
        });
        var current = await hr.GetAsync(Path + "/Director");
        var json = await current.ReadJsonAsync();
        var ratings = json.GetProperty("minRatings").EnumerateArray()
            .Select(r => new { competencyId = r.GetProperty("competencyId").GetGuid(), rating = r.GetProperty("rating").GetInt32() }).ToList();
        Assert.Contains(json.GetProperty("minRatings").EnumerateArray(), r => r.GetProperty("competencyId").GetGuid() == kept && r.GetProperty("retired").GetBoolean());
        object Body(IEnumerable<object> minRatings) => new
        {
            minDistinctTours = 5, minTotalWeeks = 16, requireAllReflected = true,
            requiredTourIds = json.GetProperty("requiredTours").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToArray(),
            minRatings,
        };

        var added = await CriteriaTests.SendAsync(hr, Path + "/Director", Body(ratings.Append(new { competencyId = fresh, rating = 2 })), current.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.BadRequest, added.StatusCode);
        Assert.Contains("is retired", (await added.ReadJsonAsync()).GetProperty("errors").GetProperty($"minRatings[{ratings.Count}].competencyId")[0].GetString());

        var keptToo = await CriteriaTests.SendAsync(hr, Path + "/Director", Body(ratings.Select(r => r.competencyId == kept ? r with { rating = 3 } : r)), current.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, keptToo.StatusCode);
        Assert.Equal(3, await app.WithDbAsync(db => db.MinRatings.Where(r => r.Level == Level.Director && r.CompetencyId == kept).Select(r => r.Rating).SingleAsync()));
        // Only a rating changed, yet the level's version moved: the old ETag is stale.
        Assert.NotEqual(current.Headers.ETag!.Tag, keptToo.Headers.ETag!.Tag);
        var stale = await CriteriaTests.SendAsync(hr, Path + "/Director", Body(ratings), current.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
    }
}

/// <summary>The decision bands: HR renames, reorders, adds and retires them; submitted reviews keep their words.</summary>
public sealed class BandsTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private const string Path = CriteriaTests.BandsPath;

    private static object Band(string code, string label, bool retired = false) => new { code, label, retired };

    [Fact]
    public async Task Renaming_adding_and_retiring_bands_never_relabels_a_submitted_review()
    {
        var hr = await app.HrApiAsync();
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail("marcus"), Roles.Manager);
        var leader = await app.LeaderAsync("lena", manager.Id);
        var reviewId = await app.WithDbAsync(async db =>
        {
            var review = new ReadinessReview
            {
                LeaderId = leader.Id, Level = Level.HeadOf, Status = ReviewStatus.Submitted, AuthorId = manager.Id,
                Decision = "ReadyNow", DecisionLabel = "Ready now", Rationale = "Ran the contact centre's winter peak.",
                SubmittedAt = DateTimeOffset.UtcNow, SubmittedById = manager.Id,
            };
            db.ReadinessReviews.Add(review);
            await db.SaveChangesAsync();
            return review.Id;
        });

        var before = await hr.GetAsync(Path);
        var etag = before.Headers.ETag!.Tag;
        var body = new
        {
            bands = new[]
            {
                Band("ReadyNow", "Ready today"),
                Band("ReadyWithSupport", "Ready with support"),
                Band("Ready1To2Years", "Ready in 1–2 years"),
                Band("Ready3PlusYears", "Ready in 3+ years", retired: true),
                Band("NotYet", "Not yet"),
            },
        };
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await CriteriaTests.SendAsync(hr, Path, body, null)).StatusCode);
        var saved = await CriteriaTests.SendAsync(hr, Path, body, etag);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var bands = (await (await hr.GetAsync(Path)).ReadJsonAsync()).GetProperty("bands").EnumerateArray()
            .Select(b => (b.GetProperty("code").GetString(), b.GetProperty("label").GetString(), b.GetProperty("position").GetInt32(), b.GetProperty("retired").GetBoolean()))
            .ToList();
        Assert.Equal(
            [("ReadyNow", "Ready today", 1, false), ("ReadyWithSupport", "Ready with support", 2, false), ("Ready1To2Years", "Ready in 1–2 years", 3, false),
             ("Ready3PlusYears", "Ready in 3+ years", 4, true), ("NotYet", "Not yet", 5, false)],
            bands);
        Assert.Equal("Ready now", await app.WithDbAsync(db => db.ReadinessReviews.Where(r => r.Id == reviewId).Select(r => r.DecisionLabel).SingleAsync()));
        Assert.Equal(5, await app.WithDbAsync(db => db.ReadinessBands.CountAsync()));
        var trail = await app.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "ReadinessBand")
            .Select(a => new { a.EntityKey, a.Action }).ToListAsync());
        Assert.Contains(trail, a => a.EntityKey == "ReadyNow" && a.Action == "Changed");
        Assert.Contains(trail, a => a.EntityKey == "ReadyWithSupport" && a.Action == "Created");

        // Someone still holding the first version overwrites nothing.
        var stale = await CriteriaTests.SendAsync(hr, Path, new { bands = new[] { Band("ReadyNow", "Now"), Band("Ready1To2Years", "Later"), Band("Ready3PlusYears", "Much later"), Band("NotYet", "No") } }, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("Ready today", await app.WithDbAsync(db => db.ReadinessBands.Where(b => b.Code == "ReadyNow").Select(b => b.Label).SingleAsync()));
    }

    [Fact]
    public async Task The_last_active_band_cannot_be_retired_no_band_is_left_out_and_bad_codes_and_labels_are_named()
    {
        var hr = await app.HrApiAsync();
        var current = await hr.GetAsync(Path);
        var etag = current.Headers.ETag!.Tag;
        var existing = (await current.ReadJsonAsync()).GetProperty("bands").EnumerateArray()
            .Select(b => (Code: b.GetProperty("code").GetString()!, Label: b.GetProperty("label").GetString()!)).ToList();

        var allRetired = await CriteriaTests.SendAsync(hr, Path, new { bands = existing.Select(b => Band(b.Code, b.Label, retired: true)).ToArray() }, etag);
        Assert.Equal(HttpStatusCode.BadRequest, allRetired.StatusCode);
        Assert.Contains("At least one band must stay active", (await allRetired.ReadJsonAsync()).GetProperty("errors").GetProperty("bands")[0].GetString());

        var bad = existing.Skip(1).Select(b => Band(b.Code, b.Label))
            .Append(Band("ready later", "Ready later"))
            .Append(Band("R" + new string('x', 32), "Ready much later"))
            .Append(Band("READYNOW", existing[1].Label.ToUpperInvariant()))
            .Append(Band("Soon", ""))
            .ToArray();
        var refused = await CriteriaTests.SendAsync(hr, Path, new { bands = bad }, etag);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.ReadJsonAsync()).GetProperty("errors");
        var n = existing.Count - 1;
        Assert.Contains("A band is never deleted", errors.GetProperty("bands")[0].GetString());
        Assert.Contains(existing[0].Code, errors.GetProperty("bands")[0].GetString());
        Assert.Contains("Letters and digits", errors.GetProperty($"bands[{n}].code")[0].GetString());
        Assert.Contains("At most 32", errors.GetProperty($"bands[{n + 1}].code")[0].GetString());
        Assert.Contains("already a band ReadyNow", errors.GetProperty($"bands[{n + 2}].code")[0].GetString());
        Assert.Contains("already the label of another band", errors.GetProperty($"bands[{n + 2}].label")[0].GetString());
        Assert.Contains("Enter the band's label", errors.GetProperty($"bands[{n + 3}].label")[0].GetString());

        var after = await hr.GetAsync(Path);
        Assert.Equal(etag, after.Headers.ETag!.Tag);
        Assert.Equal(existing.Count, await app.WithDbAsync(db => db.ReadinessBands.CountAsync(b => !b.IsRetired)));
    }
}
