using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Reflections;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Reflections;

/// <summary>The learning log pages (the leader's own, and a leader's for their manager and HR) and the glossary, as people see them.</summary>
public sealed class LearningLogAndGlossaryPagesTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly object Feedback = new
    {
        engagement = 4, curiosity = 3, collaboration = 3, impact = 2, comments = "Asked the **right** questions.", submit = true,
    };

    /// <summary>The cast's stint (Contact centre, 1 Feb – 5 Mar 2027) with a submitted reflection and submitted host feedback.</summary>
    private static async Task SubmitWithFeedbackAsync(StintCast cast, object reflection)
    {
        var submitted = await cast.LeaderApi.PostJsonAsync(cast.Reflection + "/submit", reflection);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        var feedback = await cast.HostApi.PutJsonAsync(cast.Feedback, Feedback);
        Assert.True(feedback.IsSuccessStatusCode, await feedback.Content.ReadAsStringAsync());
    }

    /// <summary>A later stint (Executive management, 8 – 12 Mar 2027, in progress on the cast's clock) with a draft reflection.</summary>
    private async Task<Stint> DraftStintAsync(StintCast cast, string customerSide)
    {
        var later = await app.StintAsync(cast.Leader.Id, ReflectionKit.Exec, null, new DateOnly(2027, 3, 8), new DateOnly(2027, 3, 12));
        var draft = await cast.LeaderApi.PutJsonAsync($"/api/v1/stints/{later.Id}/reflection", new { customerSide });
        Assert.True(draft.IsSuccessStatusCode, await draft.Content.ReadAsStringAsync());
        return later;
    }

    private static IElement Entry(IDocument page, Guid stintId) =>
        page.GetElementById($"stint-{stintId}") ?? throw new Xunit.Sdk.XunitException($"no timeline entry for stint {stintId}");

    private static string MainText(IDocument page) => page.QuerySelector("main")!.Text();

    [Fact]
    public async Task Own_log_shows_the_timeline_newest_first_with_the_draft_and_says_drafts_are_visible_only_to_the_leader()
    {
        var cast = await app.CastAsync("own-log");
        await SubmitWithFeedbackAsync(cast, ReflectionKit.Complete("Customers wait fourteen minutes on Mondays."));
        var later = await DraftStintAsync(cast, "Board papers mention churn only twice.");
        var leader = await app.SignInAsync(cast.Leader.Email!);

        var response = await leader.GetAsync("/LearningLog");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadHtmlAsync();

        Assert.Equal("Your learning log", page.QuerySelector("h1")!.Text());
        Assert.Equal([$"stint-{later.Id}", $"stint-{cast.Stint.Id}"], page.QuerySelectorAll(".log-entry").Select(e => e.Id));
        Assert.Contains("Your drafts are visible only to you", MainText(page));

        var draft = Entry(page, later.Id);
        Assert.Contains("Executive management", draft.QuerySelector("h3")!.Text());
        Assert.Equal("EXEC", draft.QuerySelector(".tour-chip")!.Text());
        Assert.Contains("8 – 12 Mar 2027", draft.Text());
        Assert.Contains("In progress", draft.QuerySelector(".log-entry__head .tag")!.Text());
        Assert.Contains("Draft", draft.QuerySelector(".log-reflection__status")!.Text());
        Assert.Contains("Board papers mention churn only twice.", draft.QuerySelector(".log-reflection")!.Text());
        Assert.NotNull(draft.QuerySelector($"a[href='/Stints/{later.Id}/Reflection']"));
        Assert.Null(draft.QuerySelector($"a[href='/Stints/{later.Id}/Feedback']"));

        var done = Entry(page, cast.Stint.Id);
        Assert.Equal("Submitted on time", done.QuerySelector(".log-reflection__status .tag")!.Text());
        Assert.Contains("Completed", done.QuerySelector(".log-entry__head .tag")!.Text());
        Assert.Contains(cast.Host.DisplayName, done.QuerySelector(".log-entry__facts")!.Text());
        Assert.Contains("Listen to twenty calls.", done.Text()); // the objectives
        Assert.NotNull(done.QuerySelector($"a[href='/Stints/{cast.Stint.Id}']"));
        Assert.NotNull(done.QuerySelector($"a[href='/Stints/{cast.Stint.Id}/Reflection']"));
        Assert.NotNull(done.QuerySelector($"a[href='/Stints/{cast.Stint.Id}/Feedback']"));

        // The leader's own log under its shared address is the same log.
        var shared = await (await leader.GetAsync($"/Leaders/{cast.Leader.Id}/Log")).ReadHtmlAsync();
        Assert.Equal("Your learning log", shared.QuerySelector("h1")!.Text());
        Assert.Contains("Board papers mention churn", MainText(shared));
    }

    [Fact]
    public async Task Own_log_without_stints_says_so_in_plain_words()
    {
        var (leader, _) = await app.ApiPersonAsync("empty-log", Roles.Leader);
        var page = await (await (await app.SignInAsync(leader.Email!)).GetAsync("/LearningLog")).ReadHtmlAsync();

        Assert.Empty(page.QuerySelectorAll(".log-entry"));
        Assert.Contains("You have no stints yet", page.QuerySelector(".empty")!.Text());
    }

    [Fact]
    public async Task Manager_reads_the_reports_submitted_reflection_and_feedback_but_not_the_text_of_a_draft()
    {
        var cast = await app.CastAsync("manager-log");
        await SubmitWithFeedbackAsync(cast, ReflectionKit.Complete("The callers were patient but the queue music was unbearable."));
        var later = await DraftStintAsync(cast, "Board papers mention churn only twice.");
        var manager = await app.SignInAsync(cast.Manager.Email!);

        var response = await manager.GetAsync($"/Leaders/{cast.Leader.Id}/Log");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadHtmlAsync();

        Assert.Equal($"Learning log of {cast.Leader.DisplayName}", page.QuerySelector("h1")!.Text());
        Assert.DoesNotContain("visible only to you", MainText(page));
        var done = Entry(page, cast.Stint.Id);
        var reflection = done.QuerySelector(".log-reflection")!;
        Assert.Contains("the queue music was unbearable", reflection.Text());
        Assert.Contains("Agents are measured on average handle time", reflection.Text());
        Assert.Contains("Priya (team lead)", reflection.Text());
        Assert.Contains("Measure first-contact resolution", reflection.Text());
        var vocabulary = reflection.QuerySelector(".vocabulary tbody tr")!;
        Assert.Equal("AHT", vocabulary.QuerySelector("th")!.Text());
        Assert.Contains("How quickly I am rushed off the phone.", vocabulary.Text());
        Assert.Equal("Customer insight and storytelling", reflection.QuerySelector(".evidence dt")!.Text());
        Assert.Contains("Played three recorded calls", reflection.QuerySelector(".evidence dd")!.Text());

        var feedback = done.QuerySelector(".log-feedback")!;
        var ratings = feedback.QuerySelectorAll(".log-ratings dt").Zip(feedback.QuerySelectorAll(".log-ratings dd"))
            .ToDictionary(p => p.First.Text(), p => p.Second.Text());
        Assert.Equal("4 · Role model", ratings["Engagement"]);
        Assert.Equal("3 · Proficient", ratings["Curiosity"]);
        Assert.Equal("3 · Proficient", ratings["Collaboration"]);
        Assert.Equal("2 · Developing", ratings["Impact"]);
        Assert.Equal("3.0 of 4", ratings["Average"]);
        Assert.Equal("right", feedback.QuerySelector("strong")!.Text()); // the comments' Markdown, rendered

        var draft = Entry(page, later.Id);
        Assert.Contains("Draft", draft.QuerySelector(".log-reflection__status")!.Text());
        Assert.DoesNotContain("churn", page.DocumentElement.OuterHtml);
        Assert.Null(draft.QuerySelector($"a[href='/Stints/{later.Id}/Reflection']"));

        var hr = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("log-hr"), Roles.HR)).Email!);
        var hrPage = await (await hr.GetAsync($"/Leaders/{cast.Leader.Id}/Log")).ReadHtmlAsync();
        Assert.Contains("the queue music was unbearable", MainText(hrPage));
        Assert.DoesNotContain("churn", hrPage.DocumentElement.OuterHtml);
    }

    [Fact]
    public async Task A_reflection_submitted_after_its_due_date_reads_as_late_with_the_dates()
    {
        var cast = await (await app.CastAsync("late-log")).AtAsync(app, new DateTimeOffset(2027, 3, 20, 12, 0, 0, TimeSpan.Zero));
        var submitted = await cast.LeaderApi.PostJsonAsync(cast.Reflection + "/submit", ReflectionKit.Complete());
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        var manager = await app.SignInAsync(cast.Manager.Email!);

        var status = Entry(await (await manager.GetAsync($"/Leaders/{cast.Leader.Id}/Log")).ReadHtmlAsync(), cast.Stint.Id)
            .QuerySelector(".log-reflection__status")!;

        Assert.Equal("Submitted late", status.QuerySelector(".tag")!.Text());
        Assert.Equal("on 20 Mar 2027, 12:00 UTC · it was due 11 Mar 2027", status.QuerySelector(".muted")!.Text());
    }

    [Fact]
    public async Task Log_of_a_leader_is_not_found_for_another_leader_the_host_someone_elses_manager_and_an_admin()
    {
        var cast = await app.CastAsync("hidden-log");
        await SubmitWithFeedbackAsync(cast, ReflectionKit.Complete());
        var otherLeader = await app.CreatePersonAsync(TestData.UniqueEmail("other-leader"), Roles.Leader);
        var otherManager = await app.CreatePersonAsync(TestData.UniqueEmail("other-manager"), Roles.Manager);
        var admin = await app.CreatePersonAsync(TestData.UniqueEmail("log-admin"), Roles.Admin);

        foreach (var who in new[] { otherLeader, cast.Host, otherManager, admin })
        {
            var browser = await app.SignInAsync(who.Email!);
            var response = await browser.GetAsync($"/Leaders/{cast.Leader.Id}/Log");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{who.DisplayName} got {(int)response.StatusCode}");
            Assert.DoesNotContain("14 minutes", await response.Content.ReadAsStringAsync());
        }
        var manager = await app.SignInAsync(cast.Manager.Email!);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/Leaders/{Guid.NewGuid()}/Log")).StatusCode);
        var own = await manager.GetAsync($"/Leaders/{cast.Leader.Id}/Log");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("14 minutes", await own.Content.ReadAsStringAsync()); // the text the others were denied is there
    }

    [Fact]
    public async Task Search_finds_a_word_and_the_snippet_marks_it()
    {
        var cast = await app.CastAsync("search-log");
        await SubmitWithFeedbackAsync(cast, ReflectionKit.Complete("The callers were patient but the queue music was unbearable."));
        var leader = await app.SignInAsync(cast.Leader.Email!);

        var page = await (await leader.GetAsync("/LearningLog?q=music")).ReadHtmlAsync();

        Assert.Equal("Search the reflections", page.QuerySelector("label[for=q]")!.Text());
        Assert.Equal("music", page.GetElementById("q")!.GetAttribute("value"));
        var hit = Assert.Single(page.QuerySelectorAll(".log-hit"));
        Assert.Equal(["music"], hit.QuerySelectorAll(".log-hit__snippet mark").Select(m => m.Text()));
        Assert.Contains("queue music was unbearable", hit.QuerySelector(".log-hit__snippet")!.Text());
        Assert.NotNull(hit.QuerySelector($"a[href='#stint-{cast.Stint.Id}']"));

        var nothing = await (await leader.GetAsync("/LearningLog?q=zeppelin")).ReadHtmlAsync();
        Assert.Empty(nothing.QuerySelectorAll(".log-hit"));
        Assert.Contains("No reflection mentions “zeppelin”", nothing.QuerySelector(".log-hits")!.Text());
    }

    [Fact]
    public async Task Search_longer_than_the_limit_is_refused_beside_the_field_with_400_keeping_what_was_typed()
    {
        var cast = await app.CastAsync("long-search");
        var leader = await app.SignInAsync(cast.Leader.Email!);
        var typed = new string('a', LearningLog.MaxQueryLength + 1);

        var response = await leader.GetAsync("/LearningLog?q=" + typed);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        Assert.Equal(typed, page.GetElementById("q")!.GetAttribute("value"));
        Assert.Equal($"Search for at most {LearningLog.MaxQueryLength} characters.", page.GetElementById("q-error")!.Text());
        Assert.NotNull(page.GetElementById($"stint-{cast.Stint.Id}")); // the timeline is still there
    }

    [Fact]
    public async Task Markup_in_a_reflection_objectives_and_feedback_shows_as_text_and_never_becomes_an_element_or_handler()
    {
        const string script = "<script>alert(1)</script>";
        const string img = "<img src=x onerror=alert(1)>";
        const string payload = $"Patient callers {script} and {img} end.";
        var cast = await app.CastAsync("xss-log");
        await app.WithDbAsync(db => db.Stints.Where(s => s.Id == cast.Stint.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Objectives, payload)));
        var submitted = await cast.LeaderApi.PostJsonAsync(cast.Reflection + "/submit", new
        {
            customerSide = payload, insideOut = payload, peopleMet = payload, frictionAndIdeas = payload,
            vocabulary = new[] { new { term = img, meaning = payload, customerMeaning = payload } },
            competencies = new[] { new { competencyId = ReflectionKit.CustomerInsight, evidence = payload } },
        });
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        var feedback = await cast.HostApi.PutJsonAsync(cast.Feedback, new { engagement = 4, curiosity = 3, collaboration = 3, impact = 2, comments = payload, submit = true });
        Assert.True(feedback.IsSuccessStatusCode, await feedback.Content.ReadAsStringAsync());

        var manager = await app.SignInAsync(cast.Manager.Email!);
        var leader = await app.SignInAsync(cast.Leader.Email!);
        foreach (var (browser, path) in new[] { (manager, $"/Leaders/{cast.Leader.Id}/Log"), (leader, "/LearningLog?q=patient") })
        {
            var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadHtmlAsync();

            Assert.Empty(page.QuerySelectorAll("script"));
            Assert.Empty(page.QuerySelectorAll("img"));
            var handlers = page.QuerySelectorAll("*")
                .SelectMany(e => e.Attributes.Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Select(a => $"{e.LocalName}[{a.Name}]"))
                .ToList();
            Assert.True(handlers.Count == 0, $"{path}: event handler attributes: {string.Join(", ", handlers)}");

            var entry = Entry(page, cast.Stint.Id);
            Assert.Contains(script, entry.QuerySelector(".log-reflection")!.Text());
            Assert.Contains(img, entry.QuerySelector(".log-reflection")!.Text());
            Assert.Equal(img, entry.QuerySelector(".vocabulary tbody th")!.Text());
            Assert.Contains(script, entry.QuerySelector(".log-feedback")!.Text());
            Assert.Contains(img, entry.QuerySelector(".log-part")!.Text()); // the objectives come first
        }
        var searched = await (await leader.GetAsync("/LearningLog?q=patient")).ReadHtmlAsync();
        var marks = searched.QuerySelectorAll(".log-hit__snippet mark").Select(m => m.Text()).ToList();
        Assert.NotEmpty(marks);
        Assert.All(marks, m => Assert.Equal("patient", m, ignoreCase: true));
    }

    [Fact]
    public async Task Plan_pages_link_to_the_learning_log()
    {
        var cast = await app.CastAsync("plan-link");
        var leader = await app.SignInAsync(cast.Leader.Email!);
        var manager = await app.SignInAsync(cast.Manager.Email!);

        var own = await (await leader.GetAsync("/MyPlan")).ReadHtmlAsync();
        Assert.NotNull(own.QuerySelector("main a[href='/LearningLog']"));
        var theirs = await (await manager.GetAsync($"/Leaders/{cast.Leader.Id}/Plan")).ReadHtmlAsync();
        Assert.NotNull(theirs.QuerySelector($"main a[href='/Leaders/{cast.Leader.Id}/Log']"));
    }

    [Fact]
    public async Task Glossary_shows_a_submitted_term_under_its_tour_with_its_meanings_and_no_author()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var term = $"Callback window {suffix}";
        var cast = await app.CastAsync("glossary-page");
        await SubmitWithFeedbackAsync(cast, ReflectionKit.Complete(term: term));
        var reader = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("glossary-reader"), Roles.Host)).Email!);

        var response = await reader.GetAsync("/Glossary");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadHtmlAsync();

        var entry = page.QuerySelectorAll(".glossary-term").Single(t => t.QuerySelector("dt")!.Text() == term);
        var tour = entry.Closest("section")!;
        Assert.Equal("CONTACT", tour.QuerySelector("h2 .tour-chip")!.Text());
        Assert.Contains("Contact centre", tour.QuerySelector("h2")!.Text());
        Assert.Contains("Average handle time: minutes per call", entry.Text());
        Assert.Contains("How quickly I am rushed off the phone.", entry.Text());

        var html = page.DocumentElement.OuterHtml;
        Assert.DoesNotContain(cast.Leader.DisplayName, html);
        Assert.DoesNotContain(cast.Host.DisplayName, html);
        Assert.DoesNotContain(cast.Stint.Id.ToString(), html);
        Assert.Empty(page.QuerySelectorAll("main a[href^='/Stints/']"));
        Assert.DoesNotContain("Customers wait 14 minutes", html); // the reflection's own text stays out
    }

    [Fact]
    public async Task Glossary_filters_by_search_and_by_tour()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var contactTerm = $"Queue jump {suffix}";
        var execTerm = $"Opex line {suffix}";
        var contact = await app.CastAsync("glossary-contact");
        await SubmitWithFeedbackAsync(contact, ReflectionKit.Complete(term: contactTerm));
        var exec = await app.CastAsync("glossary-exec", ReflectionKit.Exec);
        await SubmitWithFeedbackAsync(exec, ReflectionKit.Complete(term: execTerm));
        var reader = await app.SignInAsync(contact.Leader.Email!);

        var searched = await (await reader.GetAsync($"/Glossary?q={Uri.EscapeDataString(contactTerm)}")).ReadHtmlAsync();
        Assert.Equal([contactTerm], searched.QuerySelectorAll(".glossary-term dt").Select(d => d.Text()));
        Assert.Equal(contactTerm, searched.GetElementById("q")!.GetAttribute("value"));

        var byTour = await (await reader.GetAsync($"/Glossary?tour=EXEC&q={suffix}")).ReadHtmlAsync();
        Assert.Equal([execTerm], byTour.QuerySelectorAll(".glossary-term dt").Select(d => d.Text()));
        Assert.Equal(["EXEC"], byTour.QuerySelectorAll(".glossary-tour h2 .tour-chip").Select(c => c.Text()));
        Assert.Equal("EXEC", byTour.QuerySelector("#tour option[selected]")!.GetAttribute("value"));
        var options = byTour.QuerySelectorAll("#tour option").Select(o => o.Text()).ToList();
        Assert.Contains(options, o => o.StartsWith("Executive management (", StringComparison.Ordinal) && o.Contains("term"));

        var tourOnly = await (await reader.GetAsync("/Glossary?tour=exec")).ReadHtmlAsync();
        Assert.All(tourOnly.QuerySelectorAll(".glossary-tour h2 .tour-chip"), c => Assert.Equal("EXEC", c.Text()));
        Assert.DoesNotContain(contactTerm, tourOnly.QuerySelector("main")!.Text());

        var none = await (await reader.GetAsync($"/Glossary?q=zeppelin-{suffix}")).ReadHtmlAsync();
        Assert.Empty(none.QuerySelectorAll(".glossary-term"));
        Assert.Contains($"No term matches “zeppelin-{suffix}”", none.QuerySelector(".empty")!.Text());
    }

    [Fact]
    public async Task Glossary_with_an_unknown_tour_answers_400_with_the_message_beside_the_tour_field()
    {
        var reader = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("glossary-bad"), Roles.Leader)).Email!);

        var response = await reader.GetAsync("/Glossary?tour=NOPE");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        Assert.Equal("There is no tour with the code NOPE.", page.GetElementById("tour-error")!.Text());
        Assert.Equal("true", page.GetElementById("tour")!.GetAttribute("aria-invalid"));
        Assert.Equal("", page.GetElementById("q-error")!.Text());
    }

    [Theory]
    [InlineData("a \u0001b\u0002 c", "a <mark>b</mark> c")]
    [InlineData("<b>\u0001x\u0002</b>", "&lt;b&gt;<mark>x</mark>&lt;/b&gt;")]
    [InlineData("\u0001open", "<mark>open</mark>")]
    [InlineData("stray\u0002 \u0001\u0001x\u0002", "stray <mark>x</mark>")]
    public void Snippet_encodes_the_text_and_adds_only_balanced_marks(string snippet, string html)
    {
        using var writer = new StringWriter();
        LogSnippet.ToHtml(snippet).WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        Assert.Equal(html, writer.ToString());
    }
}
