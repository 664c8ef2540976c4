using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Planning;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Tests.Planning;

/// <summary>The auto-planner's pages: plan a cohort, read the proposal against what is booked, adjust it, commit it.</summary>
public sealed class PlanPagesTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly DateOnly From = new(2027, 1, 4);
    private static readonly DateOnly To = new(2027, 12, 31);

    private async Task<HttpClient> HrBrowserAsync()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR);
        return await app.SignInAsync(hr.Email!);
    }

    private async Task<(Guid CohortId, List<Guid> Leaders)> CohortAsync(string name, int leaders)
    {
        var cohort = await app.CohortAsync(name);
        var ids = new List<Guid>();
        for (var i = 0; i < leaders; i++)
        {
            var leader = await app.QuietLeaderAsync($"{name}{i}");
            await app.JoinCohortAsync(leader.Id, cohort.Id);
            ids.Add(leader.Id);
        }
        return (cohort.Id, ids);
    }

    /// <summary>Plans through the form; returns the plan's id from the redirect.</summary>
    private static async Task<Guid> PlanAsync(HttpClient browser, Guid cohortId, DateOnly from, DateOnly to)
    {
        var response = await RotationsApp.PostFormAsync(browser, "/Plans", new()
        {
            ["Input.CohortId"] = cohortId.ToString(), ["Input.From"] = from.ToString("yyyy-MM-dd"), ["Input.To"] = to.ToString("yyyy-MM-dd"),
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"planning answered {(int)response.StatusCode}");
        var path = response.RedirectPath();
        Assert.StartsWith("/Plans/", path);
        return Guid.Parse(path["/Plans/".Length..]);
    }

    private static async Task<IDocument> PlanPageAsync(HttpClient browser, Guid id)
    {
        var response = await browser.GetAsync($"/Plans/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadHtmlAsync();
    }

    private Task<PlanDto> PlanDtoAsync(Guid id) => app.WithServiceAsync<PlanningService, PlanDto>(s => s.GetAsync(id, CancellationToken.None));

    private static Task<HttpResponseMessage> PostOnPlanAsync(HttpClient browser, Guid id, string handler, Dictionary<string, string> fields) =>
        RotationsApp.PostFormAsync(browser, $"/Plans/{id}?handler={handler}", fields, formPath: $"/Plans/{id}");

    [Fact]
    public async Task The_plan_form_refuses_a_missing_cohort_and_a_horizon_ending_before_it_begins_beside_the_fields_keeping_what_was_typed()
    {
        var browser = await HrBrowserAsync();
        var plansBefore = await app.WithDbAsync(db => db.Plans.CountAsync());
        var response = await RotationsApp.PostFormAsync(browser, "/Plans", new()
        {
            ["Input.CohortId"] = "", ["Input.From"] = "2027-03-01", ["Input.To"] = "2027-01-31",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        Assert.Contains("Choose the cohort", page.QuerySelector("#cohort-error")!.Text());
        Assert.Contains("ends before it begins", page.QuerySelector("#to-error")!.Text());
        Assert.Equal("2027-03-01", page.QuerySelector("#Input_From")!.GetAttribute("value"));
        Assert.Equal("2027-01-31", page.QuerySelector("#Input_To")!.GetAttribute("value"));
        Assert.Equal(plansBefore, await app.WithDbAsync(db => db.Plans.CountAsync()));
    }

    [Fact]
    public async Task The_plan_page_draws_the_proposed_stints_hatched_and_apart_from_the_booked_ones_and_lists_the_latest_plans()
    {
        var browser = await HrBrowserAsync();
        var (cohortId, leaders) = await CohortAsync("preview", 2);
        var booked = await app.BookAsync(leaders[0], (await app.TourAsync("SALES")).Id, From, From.AddDays(13));

        var id = await PlanAsync(browser, cohortId, From, To);
        var page = await PlanPageAsync(browser, id);
        var plan = await PlanDtoAsync(id);

        var bookedBar = page.QuerySelector($"a.bar-link[href='/Stints/{booked.Id}']");
        Assert.NotNull(bookedBar);
        Assert.Null(bookedBar.QuerySelector(".bar--proposed"));
        Assert.StartsWith("Booked:", bookedBar.GetAttribute("aria-label"));
        var proposed = page.QuerySelectorAll("a.plan-bar");
        Assert.Equal(plan.Assignments.Count(i => !i.Removed), proposed.Length);
        Assert.NotEmpty(proposed);
        Assert.All(proposed, bar =>
        {
            Assert.NotNull(bar.QuerySelector("rect.bar--proposed"));
            Assert.Equal("url(#plan-hatch)", bar.QuerySelector("rect.bar-hatch")!.GetAttribute("fill"));
            Assert.StartsWith("Proposed", bar.GetAttribute("aria-label"));
        });
        Assert.NotNull(page.QuerySelector("pattern#plan-hatch"));
        Assert.Contains("Proposed by the plan, not booked", page.QuerySelector(".legend")!.Text());
        Assert.Equal(plan.Metrics.Placed.ToString(), page.QuerySelector("[data-metric=placed]")!.Text());
        Assert.Null(page.QuerySelector("[style]"));

        var list = await (await browser.GetAsync("/Plans")).ReadHtmlAsync();
        Assert.NotNull(list.QuerySelector($"#latest-plans a[href='/Plans/{id}']"));
    }

    [Fact]
    public async Task A_horizon_too_short_shows_each_unplaced_stint_with_the_leader_the_reason_and_the_fix()
    {
        var browser = await HrBrowserAsync();
        var (cohortId, _) = await CohortAsync("short", 2);
        var id = await PlanAsync(browser, cohortId, From, From.AddDays(20));
        var plan = await PlanDtoAsync(id);
        Assert.NotEmpty(plan.Unplaced);

        var page = await PlanPageAsync(browser, id);

        var items = page.QuerySelectorAll("#unplaced li").Select(li => li.Text()).ToList();
        Assert.Equal(plan.Unplaced.Count, items.Count);
        foreach (var (u, text) in plan.Unplaced.Zip(items))
        {
            Assert.Contains(u.LeaderName, text);
            Assert.Contains(u.Reason, text);
            Assert.Contains(u.Fix, text);
        }
    }

    [Fact]
    public async Task Hr_pins_and_removes_items_on_the_page_plans_again_around_them_and_an_old_version_is_refused_as_changed_by_someone_else()
    {
        var browser = await HrBrowserAsync();
        var (cohortId, _) = await CohortAsync("pins", 2);
        var id = await PlanAsync(browser, cohortId, From, To);
        var plan = await PlanDtoAsync(id);
        var (pin, remove) = (plan.Assignments[0], plan.Assignments[1]);

        var pinned = await PostOnPlanAsync(browser, id, "Item", new() { ["position"] = $"{pin.Position}", ["pinned"] = "true", ["version"] = $"{plan.Version}" });
        Assert.Equal(HttpStatusCode.Redirect, pinned.StatusCode);
        var afterPin = await PlanDtoAsync(id);
        var removed = await PostOnPlanAsync(browser, id, "Item", new() { ["position"] = $"{remove.Position}", ["removed"] = "true", ["version"] = $"{afterPin.Version}" });
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);

        var page = await PlanPageAsync(browser, id);
        Assert.Equal("Pinned", page.QuerySelector($"#item-{pin.Position} .plan-item__state")!.Text());
        Assert.NotNull(page.QuerySelector($"a.plan-bar--pinned[data-position='{pin.Position}'] circle.pin-mark"));
        Assert.Contains("plan-item--removed", page.QuerySelector($"#item-{remove.Position}")!.ClassList);
        Assert.Null(page.QuerySelector($"a.plan-bar[data-position='{remove.Position}']"));

        // A form loaded before those changes carries the first version: refused, nothing changed.
        var stale = await PostOnPlanAsync(browser, id, "Item", new() { ["position"] = $"{pin.Position}", ["pinned"] = "false", ["version"] = $"{plan.Version}" });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("changed by someone else", (await stale.ReadHtmlAsync()).QuerySelector("#refusal")!.Text());
        Assert.True((await PlanDtoAsync(id)).Assignments.Single(i => i.Position == pin.Position).Pinned);

        var current = await PlanDtoAsync(id);
        var replan = await PostOnPlanAsync(browser, id, "Replan", new() { ["version"] = $"{current.Version}" });
        Assert.Equal(HttpStatusCode.Redirect, replan.StatusCode);
        var again = await PlanDtoAsync(id);
        var kept = again.Assignments.Single(i => i.Pinned);
        Assert.Equal((pin.LeaderId, pin.TourId, pin.StartDate), (kept.LeaderId, kept.TourId, kept.StartDate));
        Assert.All(again.Assignments.Where(i => i.LeaderId == remove.LeaderId && i.TourId == remove.TourId), i => Assert.True(i.Removed));
    }

    [Fact]
    public async Task Commit_books_the_stints_and_redirects_to_the_cohort_on_the_board_saying_how_many_were_booked()
    {
        var browser = await HrBrowserAsync();
        var (cohortId, leaders) = await CohortAsync("commit", 2);
        var id = await PlanAsync(browser, cohortId, From, To);
        var plan = await PlanDtoAsync(id);

        var response = await PostOnPlanAsync(browser, id, "Commit", new() { ["version"] = $"{plan.Version}" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Board?cohort={cohortId}&from=2027-01", response.Headers.Location!.OriginalString);
        var committed = await PlanDtoAsync(id);
        Assert.Equal(PlanStatus.Committed, committed.Status);
        Assert.Equal(plan.Assignments.Count, await app.WithDbAsync(db => db.Stints.CountAsync(s => leaders.Contains(s.LeaderId))));
        var board = await (await browser.GetAsync(response.Headers.Location!.OriginalString)).ReadHtmlAsync();
        Assert.Contains($"Booked {PlanDetailsModel.Stints(plan.Assignments.Count)} for", board.QuerySelector("[role=status]")!.Text());
        Assert.All(committed.Assignments, i => Assert.NotNull(board.QuerySelector($"a.bar-link[href='/Stints/{i.StintId}']")));

        // The plan now says it is committed and links to its stints; it offers no commit any more.
        var page = await PlanPageAsync(browser, id);
        Assert.NotNull(page.QuerySelector("#committed"));
        Assert.Equal(committed.Assignments.Count, page.QuerySelectorAll(".plan-items a[href^='/Stints/']").Length);
        Assert.Empty(page.QuerySelectorAll("form[action*='handler=Commit']"));
    }

    [Fact]
    public async Task A_booking_made_meanwhile_fails_the_commit_naming_the_clash_and_nothing_is_written()
    {
        var browser = await HrBrowserAsync();
        var (cohortId, leaders) = await CohortAsync("clash", 2);
        var id = await PlanAsync(browser, cohortId, From, To);
        var plan = await PlanDtoAsync(id);
        var first = plan.Assignments[0];
        // Another coordinator books the first leader into the very days of the first item (at a tour with a place free).
        var otherTours = await app.WithDbAsync(db => db.Tours.Where(t => t.Id != first.TourId && !t.IsRetired && t.Code != "EXEC")
            .OrderBy(t => t.Code).Select(t => t.Id).ToListAsync());
        Stint? meanwhile = null;
        foreach (var tour in otherTours)
        {
            try { meanwhile = await app.BookAsync(first.LeaderId, tour, first.StartDate, first.StartDate.AddDays(11)); break; }
            catch (ConflictException) { }
        }
        Assert.NotNull(meanwhile);

        var response = await PostOnPlanAsync(browser, id, "Commit", new() { ["version"] = $"{plan.Version}" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        Assert.Contains("Nothing was booked", page.QuerySelector("#refusal")!.Text());
        Assert.Contains("overlaps", page.QuerySelector("#clashes")!.Text());
        Assert.Equal(1, await app.WithDbAsync(db => db.Stints.CountAsync(s => leaders.Contains(s.LeaderId))));
        Assert.Equal(PlanStatus.Proposed, (await PlanDtoAsync(id)).Status);
    }

    [Fact]
    public async Task A_leader_and_a_manager_are_refused_the_plan_pages()
    {
        var hr = await HrBrowserAsync();
        var (cohortId, _) = await CohortAsync("refused", 1);
        var id = await PlanAsync(hr, cohortId, From, To);
        var leader = await app.LeaderAsync("nosy");
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail("mgr"), Roles.Manager);

        foreach (var email in new[] { leader.Email!, manager.Email! })
        {
            var browser = await app.SignInAsync(email);
            foreach (var path in new[] { "/Plans", $"/Plans/{id}" })
            {
                var response = await browser.GetAsync(path);
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Equal("/Account/AccessDenied", response.RedirectPath());
            }
            // Posting is refused too, even with a token from a page they may see.
            var board = await browser.GetAsync("/");
            var token = RotationsApp.AntiforgeryToken(await board.Content.ReadAsStringAsync());
            var commit = await browser.PostAsync($"/Plans/{id}?handler=Commit",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token ?? "", ["version"] = "0" }));
            Assert.Equal(HttpStatusCode.Redirect, commit.StatusCode);
            Assert.Equal("/Account/AccessDenied", commit.RedirectPath());
        }
        Assert.Equal(PlanStatus.Proposed, (await PlanDtoAsync(id)).Status);
    }
}
