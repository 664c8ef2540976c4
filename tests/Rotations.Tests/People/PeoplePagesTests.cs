using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;

namespace Rotations.Tests.People;

/// <summary>The /People pages as HR uses them: forms with anti-forgery, errors beside fields, the import's two steps.</summary>
public sealed class PeoplePagesTests(PeopleApp app) : IClassFixture<PeopleApp>
{
    private static async Task<IDocument> Html(HttpResponseMessage response) =>
        await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    /// <summary>The message shown beside a form field.</summary>
    private static string ErrorBeside(IDocument page, string field) =>
        page.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim() ?? "";

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    [Theory]
    [InlineData("/People")]
    [InlineData("/People/Edit")]
    [InlineData("/People/Import")]
    public async Task ThePages_AreForHrAndAdmin(string path)
    {
        var (_, leader) = await app.SignedInAsync("lee", Roles.Leader);
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var (_, admin) = await app.SignedInAsync("ada", Roles.Admin);

        var refused = await leader.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", refused.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task TheNavigation_ShowsPeopleToHrAndAdminOnly()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var (_, leader) = await app.SignedInAsync("lee", Roles.Leader);

        Assert.NotNull((await Html(await hr.GetAsync("/"))).QuerySelector("nav a[href='/People']"));
        Assert.Null((await Html(await leader.GetAsync("/"))).QuerySelector("nav a[href='/People']"));
    }

    [Fact]
    public async Task TheList_SearchesAndLinksToEachPerson()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var wanted = await app.CreatePersonAsync($"wanted.{tag}@example.com", Roles.Leader);
        await app.CreatePersonAsync(TestData.UniqueEmail("other"));

        var page = await Html(await hr.GetAsync($"/People?q={tag}&role=Leader"));

        var rows = page.QuerySelectorAll("tbody tr");
        Assert.Single(rows);
        Assert.NotNull(rows[0].QuerySelector($"a[href='/People/Edit/{wanted.Id}']"));
        Assert.Contains("1 person", page.QuerySelector("[role=status]")!.TextContent);
        var none = await Html(await hr.GetAsync($"/People?q=nobody-{tag}"));
        Assert.Contains("No one matches these filters.", none.Body!.TextContent);
    }

    [Fact]
    public async Task AddingAPerson_WithMistakes_ShowsEachBesideItsField_AndKeepsWhatWasTyped()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);

        var response = await RotationsApp.PostFormAsync(hr, "/People/Edit", Form(
            ("Input.Email", "not-an-email"), ("Input.DisplayName", "Typed Name"), ("Input.Roles", Roles.Leader),
            ("Input.TimeZone", "Mars/Olympus"), ("Input.HomeDepartment", "Typed department")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html(response);
        Assert.Contains("is not an email address", ErrorBeside(page, "Input.Email"));
        Assert.Contains("not an IANA time zone", ErrorBeside(page, "Input.TimeZone"));
        Assert.Equal("Choose the current level.", ErrorBeside(page, "Input.CurrentLevel"));
        Assert.Equal("Choose the target level.", ErrorBeside(page, "Input.TargetLevel"));
        Assert.Equal("not-an-email", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Input_Email")!.Value);
        Assert.Equal("Typed Name", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Input_DisplayName")!.Value);
        Assert.Equal("Typed department", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Input_HomeDepartment")!.Value);
        Assert.True(page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#role-leader")!.IsChecked);
        Assert.Null(await app.FindPersonAsync("not-an-email"));
    }

    [Fact]
    public async Task AddingALeader_SavesThePersonAndProfile_AndOpensTheirPage()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var cohort = await app.CohortAsync();
        var email = TestData.UniqueEmail("paula");

        var response = await RotationsApp.PostFormAsync(hr, "/People/Edit", Form(
            ("Input.Email", email), ("Input.DisplayName", "Paula Page"), ("Input.Roles", Roles.Leader), ("Input.TimeZone", "Europe/Madrid"),
            ("Input.CurrentLevel", "Manager"), ("Input.TargetLevel", "Director"), ("Input.CohortId", cohort.ToString()),
            ("Input.HomeDepartment", "Marketing"), ("Input.ProgrammeStart", "2027-03-01")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = (await app.FindPersonAsync(email))!;
        Assert.Equal($"/People/Edit/{stored.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal(("Paula Page", "Europe/Madrid", Level.Director, cohort, new DateOnly(2027, 3, 1)),
            (stored.DisplayName, stored.TimeZone, stored.LeaderProfile!.TargetLevel, stored.LeaderProfile.CohortId, stored.LeaderProfile.ProgrammeStart));
        var page = await Html(await hr.GetAsync(response.Headers.Location.OriginalString));
        Assert.Contains("Paula Page has been added.", page.QuerySelector(".alert--success")!.TextContent);
        Assert.Contains("no password yet", page.QuerySelector(".panel--status")!.TextContent);
    }

    [Fact]
    public async Task EditingAfterSomeoneElseSaved_SaysSo_KeepsWhatWasTyped_AndOverwritesNothing()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("stella"), Roles.Host);
        var path = $"/People/Edit/{person.Id}";
        var form = await Html(await hr.GetAsync(path));
        var version = form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Input_Version")!.Value;
        var token = form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;
        // Someone else saves first.
        var loaded = await (await hr.GetAsync($"/api/v1/people/{person.Id}")).ReadPersonAsync();
        Assert.Equal(HttpStatusCode.OK, (await hr.PutPersonAsync(person.Id, loaded.AsRequest() with { DisplayName = "Saved First" }, $"\"{loaded.Version}\"")).StatusCode);

        var response = await hr.PostAsync(path, new FormUrlEncodedContent(Form(
            ("__RequestVerificationToken", token), ("Input.Version", version), ("Input.Email", person.Email!),
            ("Input.DisplayName", "Typed Second"), ("Input.Roles", Roles.Host), ("Input.TimeZone", "Europe/London"))));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = await Html(response);
        Assert.Contains("changed by someone else", page.QuerySelector(".alert--error")!.TextContent);
        Assert.Equal("Typed Second", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Input_DisplayName")!.Value);
        Assert.Equal("Saved First", (await app.FindPersonAsync(person.Email!))!.DisplayName);
    }

    [Fact]
    public async Task DeactivatingAndReactivatingFromThePage()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("dora"), Roles.Leader);
        var path = $"/People/Edit/{person.Id}";

        var off = await RotationsApp.PostFormAsync(hr, $"{path}?handler=Deactivate", [], formPath: path);

        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.False((await app.FindPersonAsync(person.Email!))!.IsActive);
        var page = await Html(await hr.GetAsync(path));
        Assert.Contains("has been deactivated", page.QuerySelector(".alert--success")!.TextContent);
        Assert.NotNull(page.QuerySelector("form[action*='handler=Reactivate'] button"));

        Assert.Equal(HttpStatusCode.Redirect, (await RotationsApp.PostFormAsync(hr, $"{path}?handler=Reactivate", [], formPath: path)).StatusCode);
        Assert.True((await app.FindPersonAsync(person.Email!))!.IsActive);
    }

    [Fact]
    public async Task ThePages_RefuseAPostWithoutTheAntiforgeryToken()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var email = TestData.UniqueEmail("forged");

        var response = await hr.PostAsync("/People/Edit", new FormUrlEncodedContent(Form(("Input.Email", email), ("Input.DisplayName", "Forged"))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await app.FindPersonAsync(email));
    }

    private static async Task<HttpResponseMessage> Upload(HttpClient client, string handler, string token, Action<MultipartFormDataContent> fill)
    {
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        fill(form);
        return await client.PostAsync($"/People/Import?handler={handler}", form);
    }

    [Fact]
    public async Task TheImportPage_PreviewsThenCommitsTheSameFile_ThroughAntiforgery()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Guid.NewGuid().ToString("N")[..8];
        var csv = $"email,displayName,roles,managerEmail\nkid.{t}@example.com,Kid {t},Host,mum.{t}@example.com\nmum.{t}@example.com,Mum {t},Manager,\n";
        var token = RotationsApp.AntiforgeryToken(await (await hr.GetAsync("/People/Import")).Content.ReadAsStringAsync())!;

        var preview = await Upload(hr, "Preview", token, form =>
        {
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", "team.csv");
        });

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var page = await Html(preview);
        Assert.Contains("Preview of team.csv", page.QuerySelector("#preview-title")!.TextContent);
        Assert.Equal(2, page.QuerySelectorAll(".preview table tbody tr").Length);
        var commit = page.QuerySelector("form[action*='handler=Commit']")!;
        Assert.Equal("Import 2 people", commit.QuerySelector("button")!.TextContent.Trim());
        Assert.Null(await app.FindPersonAsync($"kid.{t}@example.com"));

        var content = commit.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=content]")!.Value;
        var withoutToken = await hr.PostAsync("/People/Import?handler=Commit", new FormUrlEncodedContent(Form(("content", content))));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Null(await app.FindPersonAsync($"kid.{t}@example.com"));

        var committed = await Upload(hr, "Commit", token, form =>
        {
            form.Add(new StringContent(content), "content");
            form.Add(new StringContent("team.csv"), "fileName");
        });

        Assert.Equal(HttpStatusCode.Redirect, committed.StatusCode);
        Assert.Equal("/People", committed.Headers.Location!.OriginalString);
        var list = await Html(await hr.GetAsync("/People"));
        Assert.Contains("Imported team.csv: 2 people added, 0 changed, 0 unchanged.", list.QuerySelector(".alert--success")!.TextContent);
        var kid = (await app.FindPersonAsync($"kid.{t}@example.com"))!;
        Assert.Equal((await app.FindPersonAsync($"mum.{t}@example.com"))!.Id, kid.ManagerId);

        // The same file again has nothing to import.
        var again = await Html(await Upload(hr, "Preview", token, form => form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "team.csv")));
        Assert.Null(again.QuerySelector("form[action*='handler=Commit']"));
        Assert.Contains("Nothing to import", again.QuerySelector(".preview .alert--success")!.TextContent);
    }

    [Fact]
    public async Task TheImportPage_ListsEveryProblem_AndOffersNoCommit()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var token = RotationsApp.AntiforgeryToken(await (await hr.GetAsync("/People/Import")).Content.ReadAsStringAsync())!;
        var csv = "email,displayName,timeZone\nbad-email,Someone,Europe/London\nok@example.com,,Nowhere/Land\n";

        var response = await Upload(hr, "Preview", token, form => form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "bad.csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html(response);
        var rows = page.QuerySelectorAll(".errors-table tbody tr")
            .Select(r => (r.Children[0].TextContent.Replace("Line", "").Trim(), r.Children[1].TextContent.Trim())).ToList();
        Assert.Equal([("2", "email"), ("3", "displayName"), ("3", "timeZone")], rows);
        Assert.Null(page.QuerySelector("form[action*='handler=Commit']"));
    }

    [Fact]
    public async Task TheImportPage_CommitsAFileNearTheSizeLimit()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Guid.NewGuid().ToString("N")[..8];
        var csv = new StringBuilder($"email,displayName\nbig.{t}@example.com,Big File\n");
        // Lines of empty cells, as spreadsheets leave below the data: read and skipped.
        while (csv.Length < PeopleImport.MaxBytes - 100) csv.Append(",\n");
        var token = RotationsApp.AntiforgeryToken(await (await hr.GetAsync("/People/Import")).Content.ReadAsStringAsync())!;

        var preview = await Html(await Upload(hr, "Preview", token, form => form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())), "file", "big.csv")));
        var content = preview.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("form[action*='handler=Commit'] input[name=content]")!.Value;
        var committed = await Upload(hr, "Commit", token, form => form.Add(new StringContent(content), "content"));

        Assert.True(content.Length > 6_000_000);
        Assert.Equal(HttpStatusCode.Redirect, committed.StatusCode);
        Assert.NotNull(await app.FindPersonAsync($"big.{t}@example.com"));
    }

    [Fact]
    public async Task TheImportTemplate_IsAFileTheImportAccepts()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);

        var template = await hr.GetAsync("/People/Import?handler=Template");

        Assert.Equal("text/csv", template.Content.Headers.ContentType!.MediaType);
        Assert.Equal(PeopleImport.Template, await template.Content.ReadAsStringAsync());
        var report = await app.WithServiceAsync<PeopleImport, ImportReport>(i => i.RunAsync(PeopleImport.Template, dryRun: true, Principal(Roles.HR)));
        Assert.Empty(report.Errors);
    }

    private static System.Security.Claims.ClaimsPrincipal Principal(string role) =>
        new(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Role, role)], "test"));
}
