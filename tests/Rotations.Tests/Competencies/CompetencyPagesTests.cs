using System.Net;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Competencies;

/// <summary>The framework's pages: everyone reads it (and sees it on each tour); HR edits it in a form that keeps what was typed.</summary>
public sealed class CompetencyPagesTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    [Fact]
    public async Task A_leader_reads_the_framework_and_sees_what_a_tour_develops_but_cannot_edit()
    {
        var leader = await app.LeaderAsync("lena");
        var browser = await app.SignInAsync(leader.Email!);
        var page = await (await browser.GetAsync("/Competencies")).ReadHtmlAsync();
        Assert.Equal(10, page.QuerySelectorAll(".competency-list > li").Length);
        Assert.Null(page.QuerySelector("a[href='/Competencies/Edit']"));
        var exec = await (await browser.GetAsync("/Tours/EXEC")).ReadHtmlAsync();
        var develops = exec.QuerySelector("[aria-labelledby=develops]")!.TextContent;
        Assert.Contains("Business acumen", develops);
        Assert.Contains("Mobilising the C-suite", develops);
        var edit = await browser.GetAsync("/Competencies/Edit");
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", edit.RedirectPath());
    }

    [Fact]
    public async Task Hr_edits_the_framework_a_clash_is_shown_beside_the_field_with_what_was_typed_kept()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hana"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);
        var form = await (await browser.GetAsync("/Competencies/Edit")).ReadHtmlAsync();
        // The form as it came (tour checkboxes left out: this test is about names).
        var fields = form.QuerySelectorAll("main form input[name], main form textarea[name]")
            .Where(e => e.GetAttribute("type") is not ("checkbox" or "submit") && e.GetAttribute("name") != "__RequestVerificationToken")
            .ToDictionary(e => e.GetAttribute("name")!, e => e.GetAttribute("value") ?? e.TextContent);
        fields["Rows[1].Name"] = "Customer insight and storytelling"; // the same as the first
        fields["Rows[10].Name"] = "Data literacy";                    // the empty row at the end: a new one

        var refused = await RotationsApp.PostFormAsync(browser, "/Competencies/Edit", fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.ReadHtmlAsync();
        Assert.Contains("already in the framework", html.QuerySelector("#row-1-name-error")!.TextContent);
        Assert.Equal("Data literacy", html.QuerySelector("#row-10-name")!.GetAttribute("value"));
        Assert.False(await app.WithDbAsync(db => db.Competencies.AnyAsync(c => c.Name == "Data literacy")));

        fields["Rows[1].Name"] = "Commercial acumen";
        fields["Rows[9].Retire"] = "true";
        var saved = await RotationsApp.PostFormAsync(browser, "/Competencies/Edit", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var names = await app.WithDbAsync(db => db.Competencies.Where(c => !c.IsRetired).OrderBy(c => c.Position).Select(c => c.Name).ToListAsync());
        Assert.Equal(10, names.Count);
        Assert.Equal("Commercial acumen", names[1]);
        Assert.Equal("Data literacy", names[^1]);
        Assert.DoesNotContain("One-company vocabulary", names);
    }
}
