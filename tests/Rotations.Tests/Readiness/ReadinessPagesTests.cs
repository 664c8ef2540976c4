using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Reflections;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Readiness;

namespace Rotations.Tests.Readiness;

/// <summary>The readiness page and the review form as a manager, HR and the leader use them.</summary>
public sealed class ReadinessPagesTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static Dictionary<string, string> Fields(IDocument page)
    {
        var fields = new Dictionary<string, string>();
        foreach (var e in page.QuerySelectorAll("form.review-form input[name], form.review-form textarea[name], form.review-form select[name]"))
        {
            var name = e.GetAttribute("name")!;
            if (name == "__RequestVerificationToken") continue;
            if (e.GetAttribute("type") is "radio" && !e.HasAttribute("checked")) continue;
            fields[name] = e.LocalName switch
            {
                "textarea" => e.TextContent,
                "select" => e.QuerySelector("option[selected]")?.GetAttribute("value") ?? "",
                _ => e.GetAttribute("value") ?? "",
            };
        }
        return fields;
    }

    [Fact]
    public async Task The_manager_reads_the_gaps_opens_a_review_is_told_what_is_missing_and_submits_a_decision()
    {
        var cast = await app.HistoryAsync("pages-review");
        var manager = await app.SignInAsync(cast.Manager.Email!);
        var readiness = $"/Leaders/{cast.Leader.Id}/Readiness";
        var page = await (await manager.GetAsync(readiness)).ReadHtmlAsync();
        var gaps = page.QuerySelectorAll("#gaps li").Select(li => li.Text()).ToList();
        Assert.Contains("Executive management tour missing", gaps);
        Assert.DoesNotContain(gaps, g => g.Contains("reflection")); // not due until 11 March
        Assert.Contains("Vice President (target)", page.QuerySelector(".level-tabs a[aria-current=page]")!.Text());
        Assert.NotNull(page.QuerySelector($"#coverage a[href='/Stints/{cast.Stint.Id}']"));

        var opened = await RotationsApp.PostFormAsync(manager, readiness + "?handler=Review&level=VP", [], formPath: readiness);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var reviewPath = opened.RedirectPath();
        Assert.StartsWith("/Reviews/", reviewPath);
        var form = await (await manager.GetAsync(reviewPath)).ReadHtmlAsync();
        Assert.Equal(10, form.QuerySelectorAll(".review-rating").Length);
        Assert.Contains("Vice President needs 3", form.QuerySelectorAll(".review-rating")[3].TextContent);

        var f = Fields(form);
        for (var i = 0; i < 9; i++) f[$"Form.Ratings[{i}].Rating"] = "3";
        f["Form.Ratings[3].Comment"] = "Moved the depot team without authority.";
        f["Form.Decision"] = "Ready1To2Years";
        var refused = await RotationsApp.PostFormAsync(manager, reviewPath + "?handler=Submit", f, formPath: reviewPath);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var shown = await refused.ReadHtmlAsync();
        Assert.Contains("Write the rationale", shown.QuerySelector("#rationale-error")!.TextContent);
        Assert.Contains("One-company vocabulary", shown.QuerySelector("#ratings-error")!.TextContent);
        Assert.Equal("3", shown.QuerySelector("#rating-0 option[selected]")!.GetAttribute("value"));
        Assert.Equal("Moved the depot team without authority.", shown.QuerySelector("#rating-3-comment")!.GetAttribute("value"));
        Assert.True(shown.QuerySelector("input[name='Form.Decision'][value='Ready1To2Years']")!.HasAttribute("checked"));
        Assert.Equal(ReviewStatus.Draft, await app.WithDbAsync(db => db.ReadinessReviews.Where(r => r.LeaderId == cast.Leader.Id).Select(r => r.Status).SingleAsync()));

        var again = Fields(shown);
        again["Form.Ratings[9].Rating"] = "2";
        again["Form.Rationale"] = "Customer work is **strong**; the executive tour comes next.";
        var submitted = await RotationsApp.PostFormAsync(manager, reviewPath + "?handler=Submit", again, formPath: reviewPath);
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var after = await (await manager.GetAsync(submitted.Headers.Location!.ToString())).ReadHtmlAsync();
        Assert.Equal("Ready in 1–2 years", after.QuerySelector("#decision strong")!.Text());
        Assert.DoesNotContain(after.QuerySelectorAll("#gaps li"), li => li.Text().Contains("not yet rated"));

        // The leader reads it, without a button to write one; the rationale is rendered safely.
        var leader = await app.SignInAsync(cast.Leader.Email!);
        var mine = await (await leader.GetAsync(readiness)).ReadHtmlAsync();
        Assert.Null(mine.QuerySelector("form button.button--primary"));
        var review = await (await leader.GetAsync(reviewPath)).ReadHtmlAsync();
        Assert.Equal("strong", review.QuerySelector("#decision .markdown strong")!.Text());
        Assert.Equal("Current", review.QuerySelector("#review-status")!.Text());
        Assert.Null(review.QuerySelector("form.review-form"));
        Assert.Null(review.QuerySelector("#return"));
    }

    [Fact]
    public async Task Hr_returns_a_review_on_the_page_and_lands_on_the_new_draft_the_leader_never_sees()
    {
        var cast = await app.HistoryAsync("pages-return");
        var id = (await (await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "VP")).ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await cast.ManagerApi.PostAsync($"/api/v1/reviews/{id}/submit", null)).StatusCode);
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("pages-return-hr"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);

        var empty = await RotationsApp.PostFormAsync(browser, $"/Reviews/{id}?handler=Return", new() { ["ReturnComment"] = "" }, formPath: $"/Reviews/{id}");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Say why the review goes back", (await empty.ReadHtmlAsync()).QuerySelector("#return-comment-error")!.TextContent);

        var returned = await RotationsApp.PostFormAsync(browser, $"/Reviews/{id}?handler=Return",
            new() { ["ReturnComment"] = "Compare with the cohort before deciding." }, formPath: $"/Reviews/{id}");
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        var draftPath = returned.RedirectPath();
        Assert.NotEqual($"/Reviews/{id}", draftPath);
        var draft = await (await browser.GetAsync(draftPath)).ReadHtmlAsync();
        Assert.Equal("Draft", draft.QuerySelector("#review-status")!.Text());
        Assert.NotNull(draft.QuerySelector($"a[href='/Reviews/{id}']"));
        var original = await (await browser.GetAsync($"/Reviews/{id}")).ReadHtmlAsync();
        Assert.Contains("Compare with the cohort", original.QuerySelector("#returned")!.TextContent);

        var leader = await app.SignInAsync(cast.Leader.Email!);
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync(draftPath)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/Reviews/{id}")).StatusCode);
    }

    [Fact]
    public async Task Nobody_else_finds_a_leaders_readiness_or_reviews_and_an_unknown_level_is_named()
    {
        var cast = await app.HistoryAsync("pages-hidden");
        var id = (await (await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "VP")).ReadJsonAsync()).GetProperty("id").GetGuid();
        var other = await app.CreatePersonAsync(TestData.UniqueEmail("pages-hidden-manager"), Roles.Manager);
        foreach (var who in new[] { cast.Host.Email!, other.Email! })
        {
            var browser = await app.SignInAsync(who);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/Leaders/{cast.Leader.Id}/Readiness")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/Reviews/{id}")).StatusCode);
            var posted = await RotationsApp.PostFormAsync(browser, $"/Leaders/{cast.Leader.Id}/Readiness?handler=Review&level=VP", [], formPath: "/Inbox");
            Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        }
        Assert.Equal(1, await app.ReviewCountAsync(cast.Leader.Id));

        var manager = await app.SignInAsync(cast.Manager.Email!);
        var bad = await manager.GetAsync($"/Leaders/{cast.Leader.Id}/Readiness?level=Emperor");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var page = await bad.ReadHtmlAsync();
        Assert.Contains("Emperor", page.QuerySelector("#level-error")!.TextContent);
        Assert.Contains("Vice President", page.QuerySelector("h1")!.Text());
    }
    [Fact]
    public async Task Discarding_or_returning_a_submitted_review_on_the_page_answers_as_the_api_does()
    {
        var cast = await app.HistoryAsync("pages-discard");
        var opened = await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "VP", ReadinessKit.Ratings(3));
        var id = (await opened.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await cast.ManagerApi.PostAsync($"/api/v1/reviews/{id}/submit", null)).StatusCode);
        var manager = await app.SignInAsync(cast.Manager.Email!);
        var leader = await app.SignInAsync(cast.Leader.Email!);

        var byManager = await RotationsApp.PostFormAsync(manager, $"/Reviews/{id}?handler=Discard", new(), formPath: $"/Reviews/{id}");
        var byLeader = await RotationsApp.PostFormAsync(leader, $"/Reviews/{id}?handler=Discard", new(), formPath: $"/Reviews/{id}");

        // The reviewer may discard drafts: for a submitted review they are told why not, as the API answers (409).
        Assert.Equal(HttpStatusCode.Conflict, byManager.StatusCode);
        Assert.Contains("never changes", await byManager.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, byLeader.StatusCode);
        Assert.Equal("/Account/AccessDenied", byLeader.RedirectPath());
        // Returning for calibration is HR's: the manager, who reads the review, gets the access-denied page (not an API problem).
        var returned = await RotationsApp.PostFormAsync(manager, $"/Reviews/{id}?handler=Return", new() { ["ReturnComment"] = "Recalibrate" }, formPath: $"/Reviews/{id}");
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        Assert.Equal("/Account/AccessDenied", returned.RedirectPath());
        Assert.True(await app.WithDbAsync(db => db.ReadinessReviews.AnyAsync(r => r.Id == id && r.Status == ReviewStatus.Submitted)));
        Assert.Equal(1, await app.WithDbAsync(db => db.ReadinessReviews.CountAsync(r => r.LeaderId == cast.Leader.Id)));
    }
}
