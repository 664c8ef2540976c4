using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;

namespace Rotations.Tests.Readiness;

/// <summary>The criteria page for everyone on the programme; HR's ways in to edit (this class changes nothing).</summary>
public sealed class CriteriaPagesTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    [Fact]
    public async Task A_leader_reads_the_four_levels_side_by_side_but_cannot_edit_them()
    {
        var leader = await app.LeaderAsync("lena");
        var browser = await app.SignInAsync(leader.Email!);
        var page = await (await browser.GetAsync("/Readiness/Criteria")).ReadHtmlAsync();
        var levels = page.QuerySelectorAll(".criteria-level").ToList();
        Assert.Equal(["Head of CX", "Director", "Vice President", "Chief Customer Officer"], levels.Select(l => l.QuerySelector("h2")!.Text()));
        var vp = page.QuerySelector("#level-VP")!;
        Assert.Contains("Executive management", vp.QuerySelectorAll(".criteria-tours .chip").Select(c => c.Text()));
        Assert.DoesNotContain("Executive management", page.QuerySelector("#level-Director")!.QuerySelectorAll(".criteria-tours .chip").Select(c => c.Text()));
        Assert.Contains("At least 7", vp.QuerySelector(".criteria-facts")!.Text());
        Assert.Contains("At least 26", vp.QuerySelector(".criteria-facts")!.Text());
        Assert.Contains("Reflections For every completed stint", vp.QuerySelector(".criteria-facts")!.Text());
        var cco = page.QuerySelector("#level-CCO .criteria-ratings li")!.Text();
        Assert.Equal("Customer insight and storytelling 4 Role model", cco);
        Assert.Contains("3 Proficient", vp.QuerySelector(".criteria-ratings")!.Text());
        Assert.Equal(["Ready now", "Ready in 1–2 years", "Ready in 3+ years", "Not yet"], page.QuerySelectorAll(".criteria-bands li").Select(b => b.Text()));
        Assert.Empty(page.QuerySelectorAll("a[href$='/Edit'], a[href='/Readiness/Bands']"));

        foreach (var path in new[] { "/Readiness/Criteria/VP/Edit", "/Readiness/Bands" })
        {
            var refused = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", refused.RedirectPath());
        }
        // Where a leader meets the criteria from: the competencies and their own plan.
        Assert.NotNull((await (await browser.GetAsync("/Competencies")).ReadHtmlAsync()).QuerySelector("main a[href='/Readiness/Criteria']"));
        Assert.NotNull((await (await browser.GetAsync("/MyPlan")).ReadHtmlAsync()).QuerySelector("#coverage-title ~ p a[href='/Readiness/Criteria']"));
    }

    [Fact]
    public async Task Hr_sees_an_edit_button_per_level_and_the_bands_and_an_unknown_level_is_not_found()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hana"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);
        var page = await (await browser.GetAsync("/Readiness/Criteria")).ReadHtmlAsync();
        Assert.Equal(
            ["/Readiness/Criteria/HeadOf/Edit", "/Readiness/Criteria/Director/Edit", "/Readiness/Criteria/VP/Edit", "/Readiness/Criteria/CCO/Edit"],
            page.QuerySelectorAll(".criteria-level a.button").Select(a => a.GetAttribute("href")));
        Assert.NotNull(page.QuerySelector("a[href='/Readiness/Bands']"));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/Readiness/Criteria/Manager/Edit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/Readiness/Criteria/2/Edit")).StatusCode);
    }
}

/// <summary>HR's forms for the criteria and the bands, on a database of their own.</summary>
public sealed class CriteriaEditPagesTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    /// <summary>The form's fields as a browser would post them: checked boxes only, each select's chosen option.</summary>
    private static List<KeyValuePair<string, string>> Fields(IDocument form) =>
        form.QuerySelectorAll("main form input[name], main form select[name]")
            .Where(e => e.GetAttribute("name") != "__RequestVerificationToken")
            .Where(e => e.GetAttribute("type") != "checkbox" || e.HasAttribute("checked"))
            .Select(e => new KeyValuePair<string, string>(e.GetAttribute("name")!,
                e.LocalName == "select" ? e.QuerySelector("option[selected]")?.GetAttribute("value") ?? "" : e.GetAttribute("value") ?? ""))
            .ToList();

    private static List<KeyValuePair<string, string>> Set(List<KeyValuePair<string, string>> fields, string name, string value) =>
        fields.Where(f => f.Key != name).Append(new(name, value)).ToList();

    /// <summary>Like RotationsApp.PostFormAsync, with repeated names (the tour checkboxes).</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string path, List<KeyValuePair<string, string>> fields)
    {
        var token = RotationsApp.AntiforgeryToken(await (await browser.GetAsync(path)).Content.ReadAsStringAsync())!;
        return await browser.PostAsync(path, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    [Fact]
    public async Task Hr_edits_a_level_errors_sit_beside_their_fields_what_was_typed_is_kept_and_a_stale_form_saves_nothing()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hana"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);
        const string path = "/Readiness/Criteria/Director/Edit";
        var form = await (await browser.GetAsync(path)).ReadHtmlAsync();
        Assert.Equal("5", form.QuerySelector("#min-distinct-tours")!.GetAttribute("value"));
        Assert.Equal(["CONTACT", "SALES"], form.QuerySelectorAll("input[name=TourIds][checked]").Select(c => c.ParentElement!.Text()));
        Assert.Equal("3", form.QuerySelector("#rating-0 option[selected]")!.GetAttribute("value"));
        Assert.Equal("", form.QuerySelector("#rating-2 option[selected]")!.GetAttribute("value")); // Mobilising the C-suite: no minimum
        var exec = (await app.TourAsync("EXEC")).Id;

        var fields = Fields(form);
        fields = Set(fields, "MinDistinctTours", "99");
        fields = Set(fields, "MinTotalWeeks", "20");
        fields = Set(fields, "Ratings[4].Rating", "7"); // Building and leading teams: the fourth rated row
        fields.Add(new("TourIds", exec.ToString()));
        var refused = await PostAsync(browser, path, fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.ReadHtmlAsync();
        Assert.Contains("active tours", html.QuerySelector("#min-distinct-tours-error")!.TextContent);
        Assert.Equal("true", html.QuerySelector("#min-distinct-tours")!.GetAttribute("aria-invalid"));
        Assert.Contains("from 1 (Not yet shown) to 4", html.QuerySelector("#rating-4-error")!.TextContent);
        Assert.Equal("", html.QuerySelector("#rating-3-error")!.TextContent);
        Assert.Equal("99", html.QuerySelector("#min-distinct-tours")!.GetAttribute("value"));
        Assert.Equal("20", html.QuerySelector("#min-total-weeks")!.GetAttribute("value"));
        Assert.Contains("EXEC", html.QuerySelectorAll("input[name=TourIds][checked]").Select(c => c.ParentElement!.Text()));
        Assert.Equal(16, await StoredWeeksAsync());

        fields = Set(fields, "MinDistinctTours", "6");
        fields = Set(fields, "Ratings[4].Rating", "2");
        var saved = await PostAsync(browser, path, fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/Readiness/Criteria#level-Director", saved.Headers.Location!.OriginalString);
        var stored = await app.WithDbAsync(db => db.ReadinessCriteria.AsNoTracking().Include(c => c.RequiredTours).Include(c => c.MinRatings).SingleAsync(c => c.Level == Level.Director));
        Assert.Equal((6, 20), (stored.MinDistinctTours, stored.MinTotalWeeks));
        Assert.Contains(stored.RequiredTours, t => t.TourId == exec);
        Assert.Equal(5, stored.MinRatings.Count);

        // The same form again still carries the version it was loaded with: someone else's change in between.
        var stale = await PostAsync(browser, path, Set(fields, "MinTotalWeeks", "30"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var staleHtml = await stale.ReadHtmlAsync();
        Assert.Contains("Someone changed the criteria for Director", staleHtml.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal("30", staleHtml.QuerySelector("#min-total-weeks")!.GetAttribute("value"));
        Assert.Equal(20, await StoredWeeksAsync());
    }

    private Task<int> StoredWeeksAsync() =>
        app.WithDbAsync(db => db.ReadinessCriteria.Where(c => c.Level == Level.Director).Select(c => c.MinTotalWeeks).SingleAsync());

    [Fact]
    public async Task Hr_renames_adds_and_retires_bands_in_one_form_that_keeps_what_was_typed()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hana"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);
        const string path = "/Readiness/Bands";
        var form = await (await browser.GetAsync(path)).ReadHtmlAsync();
        Assert.Equal(5, form.QuerySelectorAll(".bands-table tbody tr").Length); // four bands and the empty row

        var fields = Fields(form);
        fields = Set(fields, "Rows[0].Label", "Ready in 1–2 years"); // the label of the second
        fields = Set(fields, "Rows[4].Code", "ReadyLater");
        fields = Set(fields, "Rows[4].Label", "Ready later");
        fields = Set(fields, "Rows[4].Position", "3");
        var refused = await PostAsync(browser, path, fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.ReadHtmlAsync();
        // Row 0 comes first in the order, so the second band's label is the one named as a repeat.
        Assert.Contains("already the label of another band", html.QuerySelector("#band-1-label-error")!.TextContent);
        Assert.Equal("ReadyLater", html.QuerySelector("#band-4-code")!.GetAttribute("value"));
        Assert.Equal("Ready in 1–2 years", html.QuerySelector("#band-0-label")!.GetAttribute("value"));
        Assert.False(await app.WithDbAsync(db => db.ReadinessBands.AnyAsync(b => b.Code == "ReadyLater")));

        fields = Set(fields, "Rows[0].Label", "Ready today");
        fields.Add(new("Rows[2].Retired", "true"));
        var saved = await PostAsync(browser, path, fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var bands = await app.WithDbAsync(db => db.ReadinessBands.AsNoTracking().OrderBy(b => b.Position).Select(b => new { b.Code, b.Label, b.IsRetired }).ToListAsync());
        // The new band shares position 3 with the third: the one already listed keeps its place first.
        Assert.Equal(["ReadyNow", "Ready1To2Years", "Ready3PlusYears", "ReadyLater", "NotYet"], bands.Select(b => b.Code));
        Assert.Equal("Ready today", bands[0].Label);
        Assert.True(bands.Single(b => b.Code == "Ready3PlusYears").IsRetired);
        Assert.Equal("Ready later", (await (await browser.GetAsync("/Readiness/Criteria")).ReadHtmlAsync()).QuerySelectorAll(".criteria-bands li")[2].Text());

        var current = Fields(await (await browser.GetAsync(path)).ReadHtmlAsync());
        var allRetired = current.Where(f => !f.Key.EndsWith(".Retired", StringComparison.Ordinal)).Concat(Enumerable.Range(0, 5).Select(i => new KeyValuePair<string, string>($"Rows[{i}].Retired", "true"))).ToList();
        var last = await PostAsync(browser, path, allRetired);
        Assert.Equal(HttpStatusCode.BadRequest, last.StatusCode);
        Assert.Contains("At least one band must stay active", (await last.ReadHtmlAsync()).QuerySelector("#bands-error")!.TextContent);
        Assert.Equal(4, await app.WithDbAsync(db => db.ReadinessBands.CountAsync(b => !b.IsRetired)));
    }
}
