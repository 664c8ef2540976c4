using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;

namespace Rotations.Tests.Reflections;

/// <summary>
/// The reflection and feedback forms as people use them: drafts saved and picked up again, submission,
/// every refusal shown beside its field with what was typed kept, versions after submission, hostile
/// input that never becomes markup, and the links that lead there.
/// </summary>
public sealed class ReflectionPagesTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static string Form(Guid stintId) => $"/Stints/{stintId}/Reflection";

    /// <summary>The form's fields as a browser would send them: inputs, textareas, ticked boxes only.</summary>
    private static Dictionary<string, string> Fields(IDocument page)
    {
        var fields = new Dictionary<string, string>();
        foreach (var e in page.QuerySelectorAll("main form.reflection-form input[name], main form.reflection-form textarea[name], main form[aria-label='Your feedback'] input[name], main form[aria-label='Your feedback'] textarea[name]"))
        {
            var name = e.GetAttribute("name")!;
            if (name == "__RequestVerificationToken") continue;
            var type = e.GetAttribute("type");
            if (type is "checkbox" or "radio" && !e.HasAttribute("checked")) continue;
            fields[name] = e.LocalName == "textarea" ? e.TextContent : e.GetAttribute("value") ?? "";
        }
        return fields;
    }

    /// <summary>The row of the competency on the form (the tour's competencies come first).</summary>
    private static int Row(IDocument page, Guid competencyId) =>
        page.QuerySelectorAll("input[type=hidden][name$='.CompetencyId']").Select((e, i) => (e, i))
            .Single(x => x.e.GetAttribute("value") == competencyId.ToString()).i;

    private static Dictionary<string, string> Written(IDocument page, string customerSide = "Customers wait **14 minutes** on Mondays.")
    {
        var f = Fields(page);
        var row = Row(page, ReflectionKit.CustomerInsight);
        f["Form.CustomerSide"] = customerSide;
        f["Form.InsideOut"] = "Agents are measured on average handle time.";
        f["Form.Vocabulary[0].Term"] = "AHT";
        f["Form.Vocabulary[0].Meaning"] = "Average handle time per call.";
        f["Form.Vocabulary[0].CustomerMeaning"] = "How quickly I am rushed off the phone.";
        f["Form.PeopleMet"] = "Priya, team lead.";
        f[$"Form.Competencies[{row}].Exercised"] = "true";
        f[$"Form.Competencies[{row}].Evidence"] = "Played three recorded calls at the team meeting.";
        return f;
    }

    [Fact]
    public async Task The_leader_saves_a_draft_comes_back_to_it_and_submits_and_only_then_the_manager_reads_it()
    {
        var cast = await app.CastAsync("pages-draft");
        var leader = await app.SignInAsync(cast.Leader.Email!);
        var manager = await app.SignInAsync(cast.Manager.Email!);
        var form = await (await leader.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        // The form shows the tour's lenses and prompts beside it; the tour's competencies come first.
        Assert.Contains("front door first-hand", form.QuerySelector("#customer-side-hint")!.TextContent);
        Assert.NotEmpty(form.QuerySelectorAll(".prompts li"));
        Assert.Contains("CONTACT develops it", form.QuerySelectorAll(".competency-evidence")[0].TextContent);

        var saved = await RotationsApp.PostFormAsync(leader, Form(cast.Stint.Id) + "?handler=Save", Written(form), formPath: Form(cast.Stint.Id));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var again = await (await leader.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        Assert.Equal("Draft", again.QuerySelector("#reflection-status")!.Text());
        Assert.Contains("Draft saved", again.QuerySelector("[role=status]")!.TextContent);
        Assert.Equal("Customers wait **14 minutes** on Mondays.", again.QuerySelector("#customer-side")!.TextContent);
        Assert.Equal("AHT", again.QuerySelector("#term-0")!.GetAttribute("value"));
        Assert.Equal(4, again.QuerySelectorAll(".term-row").Length); // the one written and three blank ones

        var managerView = await (await manager.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        Assert.Contains("is writing the reflection", managerView.QuerySelector("main")!.TextContent);
        Assert.DoesNotContain("14 minutes", managerView.QuerySelector("main")!.TextContent);
        Assert.Null(managerView.QuerySelector("main form.reflection-form"));

        var submitted = await RotationsApp.PostFormAsync(leader, Form(cast.Stint.Id) + "?handler=Submit", Fields(again), formPath: Form(cast.Stint.Id));
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var mine = await (await leader.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        Assert.Equal("Submitted on time", mine.QuerySelector("#reflection-status")!.Text());
        Assert.Contains("Submitted on time", mine.QuerySelector("[role=status]")!.TextContent);
        Assert.NotNull(mine.QuerySelector("a[href$='/Reflection?edit=true']"));

        var read = await (await manager.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        Assert.Equal("14 minutes", read.QuerySelector(".reflection-text strong")!.TextContent);
        Assert.Equal("AHT", read.QuerySelector(".vocabulary tbody th")!.Text());
        Assert.Contains("Played three recorded calls", read.QuerySelector(".evidence")!.TextContent);
        Assert.Equal("Submitted on time", read.QuerySelector("#reflection-status")!.Text());
        var stored = await app.WithDbAsync(db => db.Reflections.SingleAsync(r => r.StintId == cast.Stint.Id));
        Assert.Equal((1, true), (stored.Revision, stored.OnTime));
    }

    [Fact]
    public async Task A_refused_submission_shows_each_message_beside_its_field_keeps_what_was_typed_and_stores_nothing()
    {
        var cast = await app.CastAsync("pages-refused");
        var leader = await app.SignInAsync(cast.Leader.Email!);
        var form = await (await leader.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        var f = Written(form);
        var row = Row(form, ReflectionKit.CustomerInsight);
        f["Form.InsideOut"] = "";
        f["Form.Vocabulary[1].Term"] = "Wrap";            // a second term, with no meanings
        f[$"Form.Competencies[{row}].Evidence"] = "";      // ticked, without evidence
        f["Form.PeopleMet"] = new string('x', 20_001);

        var refused = await RotationsApp.PostFormAsync(leader, Form(cast.Stint.Id) + "?handler=Submit", f, formPath: Form(cast.Stint.Id));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.ReadHtmlAsync();
        Assert.Contains("not submitted", page.QuerySelector("#problem")!.TextContent);
        Assert.Contains("At most 20,000 characters", page.QuerySelector("#people-met-error")!.TextContent);
        Assert.Equal(new string('x', 20_001), page.QuerySelector("#people-met")!.TextContent);
        Assert.Equal("Customers wait **14 minutes** on Mondays.", page.QuerySelector("#customer-side")!.TextContent);
        Assert.Equal("Wrap", page.QuerySelector("#term-1")!.GetAttribute("value"));
        Assert.False(await app.WithDbAsync(db => db.Reflections.AnyAsync(r => r.StintId == cast.Stint.Id)));

        f["Form.PeopleMet"] = "Priya.";
        var incomplete = await RotationsApp.PostFormAsync(leader, Form(cast.Stint.Id) + "?handler=Submit", f, formPath: Form(cast.Stint.Id));
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        page = await incomplete.ReadHtmlAsync();
        Assert.Contains("how the department works inside", page.QuerySelector("#inside-out-error")!.TextContent);
        Assert.Contains("“Wrap” means in the department", page.QuerySelector("#meaning-1-error")!.TextContent);
        Assert.Contains("“Wrap” means for customers", page.QuerySelector("#customer-meaning-1-error")!.TextContent);
        Assert.Contains("Give the evidence for “Customer insight and storytelling”", page.QuerySelector($"#evidence-{row}-error")!.TextContent);
        Assert.True(page.QuerySelector($"#competency-{row}")!.HasAttribute("checked"));
        Assert.NotNull(page.QuerySelector($"details.competency-evidence[open] #evidence-{row}"));
        Assert.Contains("input-validation-error", page.QuerySelector("#inside-out")!.ClassName);
        Assert.False(await app.WithDbAsync(db => db.Reflections.AnyAsync(r => r.StintId == cast.Stint.Id)));
    }

    [Fact]
    public async Task Changes_after_submission_become_versions_and_the_manager_sees_what_changed()
    {
        var cast = await app.CastAsync("pages-versions");
        var leader = await app.SignInAsync(cast.Leader.Email!);
        var form = await (await leader.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        Assert.Equal(HttpStatusCode.Redirect,
            (await RotationsApp.PostFormAsync(leader, Form(cast.Stint.Id) + "?handler=Submit", Written(form), formPath: Form(cast.Stint.Id))).StatusCode);

        var edit = await (await leader.GetAsync(Form(cast.Stint.Id) + "?edit=true")).ReadHtmlAsync();
        var f = Fields(edit);
        Assert.DoesNotContain(edit.QuerySelectorAll("button"), b => b.Text() == "Submit the reflection");
        f["Form.CustomerSide"] = "Customers wait 14 minutes on Mondays, 3 on Fridays.";
        var saved = await RotationsApp.PostFormAsync(leader, Form(cast.Stint.Id) + "?handler=Save", f, formPath: Form(cast.Stint.Id) + "?edit=true");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var manager = await app.SignInAsync(cast.Manager.Email!);
        var current = await (await manager.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        Assert.Equal(["Version 2", "Version 1"], current.QuerySelectorAll("#versions a").Select(a => a.Text()));
        var second = await (await manager.GetAsync(Form(cast.Stint.Id) + "/Versions/2")).ReadHtmlAsync();
        Assert.Equal("Changed since version 1: the customer's side.", second.QuerySelector("#changed")!.Text());
        Assert.Contains("3 on Fridays", second.QuerySelector(".reflection-text")!.TextContent);
        var first = await (await manager.GetAsync(Form(cast.Stint.Id) + "/Versions/1")).ReadHtmlAsync();
        Assert.DoesNotContain("Fridays", first.QuerySelector(".reflection-text")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync(Form(cast.Stint.Id) + "/Versions/3")).StatusCode);
    }

    [Fact]
    public async Task A_save_from_a_tab_opened_before_another_save_is_refused_and_keeps_what_was_typed()
    {
        var cast = await app.CastAsync("pages-stale");
        var leader = await app.SignInAsync(cast.Leader.Email!);
        var tab1 = Written(await (await leader.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync());
        var tab2 = new Dictionary<string, string>(tab1) { ["Form.CustomerSide"] = "Written in the second tab." };
        Assert.Equal(HttpStatusCode.Redirect,
            (await RotationsApp.PostFormAsync(leader, Form(cast.Stint.Id) + "?handler=Save", tab1, formPath: Form(cast.Stint.Id))).StatusCode);

        var stale = await RotationsApp.PostFormAsync(leader, Form(cast.Stint.Id) + "?handler=Save", tab2, formPath: Form(cast.Stint.Id));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var page = await stale.ReadHtmlAsync();
        Assert.Contains("another tab or device", page.QuerySelector("#problem")!.TextContent);
        Assert.Equal("Written in the second tab.", page.QuerySelector("#customer-side")!.TextContent);
        Assert.Equal("Customers wait **14 minutes** on Mondays.",
            await app.WithDbAsync(db => db.Reflections.Where(r => r.StintId == cast.Stint.Id).Select(r => r.CustomerSide).SingleAsync()));
        // Saving again from the refused form is a deliberate choice, and it goes through.
        var again = Fields(page);
        Assert.Equal(HttpStatusCode.Redirect,
            (await RotationsApp.PostFormAsync(leader, Form(cast.Stint.Id) + "?handler=Save", again, formPath: Form(cast.Stint.Id))).StatusCode);
        Assert.Equal("Written in the second tab.",
            await app.WithDbAsync(db => db.Reflections.Where(r => r.StintId == cast.Stint.Id).Select(r => r.CustomerSide).SingleAsync()));
    }

    public static readonly string[] Payloads =
    [
        "<script>alert('reflection')</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "[click me](javascript:alert(1))",
        "<a href=\"javascript:alert(1)\" onclick=\"alert(2)\">link</a>",
    ];

    [Fact]
    public async Task Script_and_event_handler_payloads_never_reach_a_page_as_markup()
    {
        var cast = await app.CastAsync("pages-hostile");
        var payload = string.Join("\n\n", Payloads);
        var leader = await app.SignInAsync(cast.Leader.Email!);
        await cast.LeaderApi.PutJsonAsync($"/api/v1/stints/{cast.Stint.Id}/objectives", new { objectives = payload });
        var form = await (await leader.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        var f = Written(form, customerSide: payload);
        f["Form.InsideOut"] = payload;
        f["Form.Vocabulary[0].Term"] = "<script>alert('term')</script>";
        f["Form.Vocabulary[0].Meaning"] = payload;
        f["Form.FrictionAndIdeas"] = payload;
        f[$"Form.Competencies[{Row(form, ReflectionKit.CustomerInsight)}].Evidence"] = payload;
        Assert.Equal(HttpStatusCode.Redirect,
            (await RotationsApp.PostFormAsync(leader, Form(cast.Stint.Id) + "?handler=Submit", f, formPath: Form(cast.Stint.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cast.HostApi.PutJsonAsync($"/api/v1/stints/{cast.Stint.Id}/feedback",
            new { engagement = 3, curiosity = 3, collaboration = 3, impact = 3, comments = payload, submit = true })).StatusCode);

        var manager = await app.SignInAsync(cast.Manager.Email!);
        var host = await app.SignInAsync(cast.Host.Email!);
        var pages = new (HttpClient Who, string Path)[]
        {
            (leader, Form(cast.Stint.Id)), (leader, Form(cast.Stint.Id) + "?edit=true"), (manager, Form(cast.Stint.Id)),
            (manager, Form(cast.Stint.Id) + "/Versions/1"), (manager, $"/Stints/{cast.Stint.Id}/Feedback"), (host, $"/Stints/{cast.Stint.Id}/Feedback"),
            (leader, $"/Stints/{cast.Stint.Id}"), (manager, $"/Leaders/{cast.Leader.Id}/Log"), (leader, "/Glossary"),
        };
        foreach (var (who, path) in pages)
        {
            var response = await who.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            var page = await response.ReadHtmlAsync();
            var main = page.QuerySelector("main")!;
            Assert.Empty(main.QuerySelectorAll("script, img, svg, iframe"));
            foreach (var element in main.QuerySelectorAll("*"))
            {
                Assert.DoesNotContain(element.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
                Assert.False(element.GetAttribute("href")?.Contains("javascript:", StringComparison.OrdinalIgnoreCase) == true, $"{path}: {element.OuterHtml}");
            }
            // What was typed is still there, as text.
            Assert.Contains("alert(", main.TextContent);
        }
        // The page as the manager reads it shows the typed tags as text.
        var read = await (await manager.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        Assert.Contains("<script>alert('reflection')</script>", read.QuerySelector(".reflection-text")!.TextContent);
        Assert.Contains("<script>alert('term')</script>", read.QuerySelector(".vocabulary tbody th")!.TextContent);
    }

    [Fact]
    public async Task The_host_drafts_and_submits_feedback_on_the_form_and_the_leader_reads_it_once_submitted()
    {
        var cast = await app.CastAsync("pages-feedback");
        var host = await app.SignInAsync(cast.Host.Email!);
        var leader = await app.SignInAsync(cast.Leader.Email!);
        var path = $"/Stints/{cast.Stint.Id}/Feedback";
        var form = await (await host.GetAsync(path)).ReadHtmlAsync();
        var f = Fields(form);
        f["Form.Engagement"] = "4";
        f["Form.Comments"] = "Asked the **right** questions.";
        Assert.Equal(HttpStatusCode.Redirect, (await RotationsApp.PostFormAsync(host, path + "?handler=Save", f, formPath: path)).StatusCode);
        var draft = await (await leader.GetAsync(path)).ReadHtmlAsync();
        Assert.Contains("has not submitted feedback yet", draft.QuerySelector("main")!.TextContent);
        Assert.DoesNotContain("right", draft.QuerySelector("main")!.TextContent);

        // Submitting without every rating names each one beside its choices, and keeps what was chosen.
        var again = Fields(await (await host.GetAsync(path)).ReadHtmlAsync());
        Assert.Equal("4", again["Form.Engagement"]);
        again["Form.Impact"] = "9";
        var refused = await RotationsApp.PostFormAsync(host, path + "?handler=Submit", again, formPath: path);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.ReadHtmlAsync();
        Assert.Contains("Rate the leader's curiosity", page.QuerySelector("#curiosity-error")!.TextContent);
        Assert.Contains("4 (role model)", page.QuerySelector("#impact-error")!.TextContent);
        Assert.True(page.QuerySelector("input[name='Form.Engagement'][value='4']")!.HasAttribute("checked"));
        Assert.Equal("Asked the **right** questions.", page.QuerySelector("#comments")!.TextContent);

        again["Form.Curiosity"] = "3";
        again["Form.Collaboration"] = "3";
        again["Form.Impact"] = "2";
        Assert.Equal(HttpStatusCode.Redirect, (await RotationsApp.PostFormAsync(host, path + "?handler=Submit", again, formPath: path)).StatusCode);
        var read = await (await leader.GetAsync(path)).ReadHtmlAsync();
        Assert.Equal("Submitted", read.QuerySelector("#feedback-status")!.Text());
        Assert.Equal("right", read.QuerySelector(".markdown strong")!.TextContent);
        Assert.Contains("3.0 of 4", read.QuerySelector(".ratings")!.Text());
        Assert.Contains("Role model", read.QuerySelector(".ratings")!.Text());
        // The host never sees the reflection, not even a link to it from the stint.
        var stint = await (await host.GetAsync($"/Stints/{cast.Stint.Id}")).ReadHtmlAsync();
        Assert.NotNull(stint.QuerySelector($"#learning a[href='{path}']"));
        Assert.Null(stint.QuerySelector($"a[href='{Form(cast.Stint.Id)}']"));
    }

    [Fact]
    public async Task The_reflection_link_from_a_reminder_opens_the_form_after_sign_in()
    {
        var cast = await app.CastAsync("pages-link");
        var browser = app.CreateBrowser();
        var first = await browser.GetAsync(Form(cast.Stint.Id));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var login = new Uri(new Uri("http://localhost"), first.Headers.Location!).PathAndQuery;
        Assert.StartsWith("/Account/Login", login);

        var signedIn = await RotationsApp.PostFormAsync(browser, login,
            new() { ["Input.Email"] = cast.Leader.Email!, ["Input.Password"] = RotationsApp.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(Form(cast.Stint.Id), signedIn.RedirectPath());
        var form = await (await browser.GetAsync(Form(cast.Stint.Id))).ReadHtmlAsync();
        Assert.NotNull(form.QuerySelector("form.reflection-form"));

        // And from the stint, the leader finds it too.
        var stint = await (await browser.GetAsync($"/Stints/{cast.Stint.Id}")).ReadHtmlAsync();
        Assert.Equal("Write your reflection", stint.QuerySelector($"#learning a[href='{Form(cast.Stint.Id)}']")!.Text());
    }
}
