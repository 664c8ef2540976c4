using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;

namespace Rotations.Tests.People;

/// <summary>POST /api/v1/people/import: dry runs, every bad row reported, all or nothing, idempotent re-imports.</summary>
public sealed class PeopleImportTests(PeopleApp app) : IClassFixture<PeopleApp>
{
    private const string Header = "email,displayName,roles,managerEmail,timeZone,currentLevel,targetLevel,cohort,homeDepartment,programmeStart";

    private static Task<HttpResponseMessage> Import(HttpClient client, string csv, bool dryRun) =>
        client.PostAsync($"/api/v1/people/import?dryRun={(dryRun ? "true" : "false")}", new StringContent(csv, Encoding.UTF8, "text/csv"));

    private static async Task<ImportReport> ReportOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<ImportReport>(body, PeopleTestKit.Json)!;
    }

    private async Task<(int People, int Audit, int Profiles, int Grants)> CountsAsync() =>
        await app.WithDbAsync(async db => (await db.Users.CountAsync(), await db.AuditEntries.CountAsync(),
            await db.LeaderProfiles.CountAsync(), await db.UserRoles.CountAsync()));

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task DryRun_PreviewsCreatesAndUpdatesFieldByField_AndWritesNothing()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Tag();
        var known = await app.CreatePersonAsync($"known.{t}@example.com", Roles.Host);
        var before = await CountsAsync();
        var csv = $"""
            {Header}
            new.{t}@example.com,New Person,Host,,Europe/Paris,,,,,
            KNOWN.{t}@example.com,Known Renamed,Host,,Asia/Tokyo,,,,,
            """;

        var report = await ReportOf(await Import(hr, csv, dryRun: true));

        Assert.True(report.DryRun);
        Assert.False(report.Committed);
        Assert.Empty(report.Errors);
        var create = Assert.Single(report.Creates);
        Assert.Equal((2, $"new.{t}@example.com", "New Person", "Europe/Paris"), (create.Line, create.Email, create.DisplayName, create.TimeZone));
        var update = Assert.Single(report.Updates);
        Assert.Equal((3, known.Id), (update.Line, update.Id));
        Assert.Equal(["displayName", "timeZone"], update.Changes.Keys.Order());
        Assert.Equal(known.DisplayName, ((JsonElement)update.Changes["displayName"].From!).GetString());
        Assert.Equal("Known Renamed", ((JsonElement)update.Changes["displayName"].To!).GetString());
        Assert.Equal("Asia/Tokyo", ((JsonElement)update.Changes["timeZone"].To!).GetString());
        Assert.Equal(before, await CountsAsync());
        Assert.Null(await app.FindPersonAsync($"new.{t}@example.com"));
    }

    [Fact]
    public async Task AFileWithSeveralBadRows_ReportsEachWithLineAndColumn_AndWritesNothing()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Tag();
        await app.CohortAsync($"Spring {t}");
        var before = await CountsAsync();
        var csv = $"""
            {Header}
            not-an-email,Bad Email,Host,,,,,,,
            tz.{t}@example.com,Bad Zone,Host,,Pacific Standard Time,,,,,
            role.{t}@example.com,Bad Role,Host;Wizard,,,,,,,
            mgr.{t}@example.com,Unknown Manager,Host,ghost.{t}@example.com,,,,,,
            lvl.{t}@example.com,Level Backwards,Leader,,,Director,HeadOf,,,
            date.{t}@example.com,Bad Date,Leader,,,Manager,VP,,,04/01/2027
            tz.{t}@example.com,Duplicate,Host,,,,,,,
            coh.{t}@example.com,Bad Cohort,Leader,,,Manager,VP,Autumn {t},,
            noname.{t}@example.com,,Host,,,,,,,
            junior.{t}@example.com,Junior,Leader,,,Junior,VP,,,
            fine.{t}@example.com,Fine Person,Leader,,,Manager,VP,spring {t},,2027-01-04
            """;

        var response = await Import(hr, csv, dryRun: false);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var errors = json.RootElement.GetProperty("errors").Deserialize<List<ImportError>>(PeopleTestKit.Json)!;
        var expected = new (int Line, string Column, string Says)[]
        {
            (2, "email", "not an email address"),
            (3, "timeZone", "America/Los_Angeles"),
            (4, "roles", "Wizard"),
            (5, "managerEmail", $"ghost.{t}@example.com"),
            (6, "targetLevel", "above the current level"),
            (7, "programmeStart", "YYYY-MM-DD"),
            (8, "email", "also on line 3"),
            (9, "cohort", $"Autumn {t}"),
            (10, "displayName", "name"),
            (11, "currentLevel", "Junior"),
        };
        foreach (var (line, column, says) in expected)
            Assert.True(errors.Any(e => e.Line == line && e.Column == column && e.Message.Contains(says)),
                $"no error for line {line}, {column} saying “{says}” in:\n{string.Join("\n", errors)}");
        Assert.DoesNotContain(errors, e => e.Line == 12);
        Assert.Equal(before, await CountsAsync());
        Assert.Null(await app.FindPersonAsync($"fine.{t}@example.com"));
    }

    [Fact]
    public async Task Commit_WritesEveryoneWithRolesManagersAndProfiles_WithoutPasswords()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Tag();
        var cohort = await app.CohortAsync($"Intake {t}");
        var boss = await app.CreatePersonAsync($"boss.{t}@example.com", Roles.Manager);
        var csv = $"""
            {Header}
            ann.{t}@example.com,Ann Leader,Leader;Host,BOSS.{t}@example.com,Europe/Berlin,manager,Head of CX,INTAKE {t},Sales,2027-01-04
            bob.{t}@example.com,Bob Host,host,,,,,,,
            """;

        var report = await ReportOf(await Import(hr, csv, dryRun: false));

        Assert.True(report.Committed);
        Assert.Equal(2, report.Creates.Count);
        var ann = (await app.FindPersonAsync($"ann.{t}@example.com"))!;
        Assert.Equal(("Ann Leader", "Europe/Berlin", boss.Id, true), (ann.DisplayName, ann.TimeZone, ann.ManagerId, ann.IsActive));
        Assert.Null(ann.PasswordHash);
        Assert.Equal((Level.Manager, Level.HeadOf, cohort, "Sales", new DateOnly(2027, 1, 4)),
            (ann.LeaderProfile!.CurrentLevel, ann.LeaderProfile.TargetLevel, ann.LeaderProfile.CohortId, ann.LeaderProfile.HomeDepartment, ann.LeaderProfile.ProgrammeStart));
        Assert.Equal([Roles.Host, Roles.Leader], await app.RolesOfAsync(ann.Id));
        var bob = (await app.FindPersonAsync($"bob.{t}@example.com"))!;
        Assert.Equal(("Europe/London", (Guid?)null), (bob.TimeZone, bob.ManagerId));
        Assert.Null(bob.LeaderProfile);
        // Identity's bookkeeping is in place, so the person can be found, locked out and invited later.
        Assert.Equal($"ANN.{t}@EXAMPLE.COM".ToUpperInvariant(), ann.NormalizedUserName);
        Assert.False(string.IsNullOrEmpty(ann.SecurityStamp));
        Assert.True(ann.LockoutEnabled);
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityKey == ann.Id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Contains("Created", audit);
        Assert.Equal(2, audit.Count(a => a == "RoleGranted"));
    }

    [Fact]
    public async Task ReimportingTheSameFile_ChangesNothing_TheSecondTime()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Tag();
        await app.CohortAsync($"Wave {t}");
        await app.CreatePersonAsync($"old.{t}@example.com", Roles.Host);
        var csv = $"""
            {Header}
            lead.{t}@example.com,Lead {t},Leader,chief.{t}@example.com,europe/london,Manager,Director,wave {t},Service,2027-02-01
            chief.{t}@example.com,Chief {t},Manager;Host,,America/New_York,,,,,
            old.{t}@example.com,Old Person,Host;Manager,chief.{t}@example.com,,,,,,
            """;
        var first = await ReportOf(await Import(hr, csv, dryRun: false));
        Assert.Equal((2, 1), (first.Creates.Count, first.Updates.Count));
        var before = await CountsAsync();
        var stamps = await app.WithDbAsync(db => db.Users.Where(p => p.Email!.Contains(t)).OrderBy(p => p.Email).Select(p => p.ConcurrencyStamp).ToListAsync());

        var dry = await ReportOf(await Import(hr, csv, dryRun: true));
        var second = await ReportOf(await Import(hr, csv, dryRun: false));

        foreach (var report in new[] { dry, second })
        {
            Assert.Empty(report.Creates);
            Assert.Empty(report.Updates);
            Assert.Equal(3, report.Unchanged);
            Assert.Empty(report.Errors);
        }
        Assert.Equal(before, await CountsAsync());
        Assert.Equal(stamps, await app.WithDbAsync(db => db.Users.Where(p => p.Email!.Contains(t)).OrderBy(p => p.Email).Select(p => p.ConcurrencyStamp).ToListAsync()));
    }

    [Fact]
    public async Task AManagerAddedLaterInTheSameFile_IsAccepted()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Tag();
        var csv = $"""
            email,displayName,roles,managerEmail
            report.{t}@example.com,Report,Host,middle.{t}@example.com
            middle.{t}@example.com,Middle,Manager,top.{t}@example.com
            top.{t}@example.com,Top,Manager,
            """;

        var report = await ReportOf(await Import(hr, csv, dryRun: false));

        Assert.Equal(3, report.Creates.Count);
        var top = (await app.FindPersonAsync($"top.{t}@example.com"))!;
        var middle = (await app.FindPersonAsync($"middle.{t}@example.com"))!;
        Assert.Equal(top.Id, middle.ManagerId);
        Assert.Equal(middle.Id, (await app.FindPersonAsync($"report.{t}@example.com"))!.ManagerId);
    }

    [Fact]
    public async Task ManagersThatMakeALoop_AreRefusedOnEachRowOfTheLoop_EvenThroughSomeoneOutsideTheFile()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Tag();
        var outside = await app.CreatePersonAsync($"outside.{t}@example.com", Roles.Manager);
        await app.WithDbAsync(async db =>
        {
            var p = await db.Users.SingleAsync(x => x.Id == outside.Id);
            p.ManagerId = (await app.CreatePersonAsync($"grand.{t}@example.com", Roles.Manager)).Id;
            await db.SaveChangesAsync();
        });
        var csv = $"""
            email,displayName,managerEmail
            a.{t}@example.com,A,b.{t}@example.com
            b.{t}@example.com,B,a.{t}@example.com
            grand.{t}@example.com,Grand,outside.{t}@example.com
            self.{t}@example.com,Self,self.{t}@example.com
            """;

        var report = await ReportOf(await Import(hr, csv, dryRun: true));

        Assert.Equal([2, 3, 4, 5], report.Errors.Where(e => e.Column == "managerEmail").Select(e => e.Line).Order());
        Assert.Contains(report.Errors, e => e.Line == 4 && e.Message.Contains($"grand.{t}@example.com → outside.{t}@example.com → grand.{t}@example.com"));
        Assert.Contains(report.Errors, e => e.Line == 5 && e.Message == "A person cannot be their own manager.");
    }

    [Fact]
    public async Task ColumnsLeftOutOfTheFile_LeaveThoseFieldsAsTheyAre()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Tag();
        var leader = await (await hr.PostAsJsonAsync("/api/v1/people", new
        {
            email = $"kept.{t}@example.com", displayName = "Kept", roles = new[] { Roles.Leader, Roles.Host }, timeZone = "Asia/Tokyo",
            leader = new { currentLevel = "HeadOf", targetLevel = "CCO", homeDepartment = "Digital" },
        }, PeopleTestKit.Json)).ReadPersonAsync();

        var report = await ReportOf(await Import(hr, $"EMAIL,Display Name\nkept.{t}@example.com,Kept Renamed\n", dryRun: false));

        Assert.Equal(["displayName"], Assert.Single(report.Updates).Changes.Keys);
        var after = await (await hr.GetAsync($"/api/v1/people/{leader.Id}")).ReadPersonAsync();
        Assert.Equal(("Kept Renamed", "Asia/Tokyo", Level.CCO, "Digital"), (after.DisplayName, after.TimeZone, after.Leader!.TargetLevel, after.Leader.HomeDepartment));
        Assert.Equal([Roles.Leader, Roles.Host], after.Roles);
    }

    [Fact]
    public async Task TheOnlyAdmin_CannotHandTheRoleToSomeoneTheImportCreates_WhoHasNoPasswordYet()
    {
        await using var pristine = new PeopleApp();
        await pristine.InitializeAsync();
        try
        {
            var (admin, client) = await pristine.SignedInAsync("ada", Roles.Admin);
            var t = Tag();
            var csv = $"email,displayName,roles\n{admin.Email},{admin.DisplayName},HR\nheir.{t}@example.com,Heir,Admin\n";

            var report = await ReportOf(await Import(client, csv, dryRun: true));

            var error = Assert.Single(report.Errors);
            Assert.Equal((2, "roles"), (error.Line, error.Column));
            Assert.Contains("only active Admin who can sign in", error.Message);
        }
        finally { await pristine.DisposeDatabaseAsync(); }
    }

    [Fact]
    public async Task Commit_ChangesRoles_RemovingAndGrantingExactlyWhatTheFileSays()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Tag();
        var moving = await app.CreatePersonAsync($"moving.{t}@example.com", Roles.Host, Roles.Manager);

        var report = await ReportOf(await Import(hr, $"email,displayName,roles\nmoving.{t}@example.com,{moving.DisplayName},Manager;HR\n", dryRun: false));

        Assert.Empty(report.Errors);
        var roles = await app.WithDbAsync(db => db.UserRoles.Where(ur => ur.UserId == moving.Id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).OrderBy(n => n).ToListAsync());
        Assert.Equal([Roles.HR, Roles.Manager], roles);
    }

    [Fact]
    public async Task Hr_CannotGiveTheAdminRoleByImport()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Tag();

        var report = await ReportOf(await Import(hr, $"email,displayName,roles\nboss.{t}@example.com,Boss,Admin\n", dryRun: true));

        Assert.Equal((2, "roles"), (Assert.Single(report.Errors).Line, report.Errors[0].Column));
    }

    [Fact]
    public async Task AMultipartUpload_IsReadLikeATextBody()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var t = Tag();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"email,displayName\r\nmulti.{t}@example.com,Multi Part\r\n")).ToArray());
        file.Headers.ContentType = new("text/csv");
        form.Add(file, "file", "people.csv");

        var report = await ReportOf(await hr.PostAsync("/api/v1/people/import", form));

        Assert.True(report.DryRun);
        Assert.Equal($"multi.{t}@example.com", Assert.Single(report.Creates).Email);
    }

    [Fact]
    public async Task FilesThatCannotBeRead_AreRefusedWithTheReason()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);

        var latin1 = await hr.PostAsync("/api/v1/people/import", new ByteArrayContent(Encoding.Latin1.GetBytes("email,displayName\nj@example.com,Jürgen\n")));
        var huge = await hr.PostAsync("/api/v1/people/import", new StringContent(new string('x', PeopleImport.MaxBytes + 1), Encoding.UTF8, "text/csv"));
        var json = await hr.PostAsJsonAsync("/api/v1/people/import", new { email = "x" });
        var semicolons = await ReportOf(await Import(hr, "email;displayName\nx@example.com;X\n", dryRun: true));
        var header = await ReportOf(await Import(hr, "mail,displayName,shoeSize\nx@example.com,X,9\n", dryRun: true));
        var empty = await ReportOf(await Import(hr, "", dryRun: true));

        Assert.Equal(HttpStatusCode.BadRequest, latin1.StatusCode);
        Assert.Contains("UTF-8", await latin1.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Contains("semicolons", Assert.Single(semicolons.Errors).Message);
        Assert.Equal(["email", "mail", "shoeSize"], header.Errors.Where(e => e.Line == 1).Select(e => e.Column!).Order());
        Assert.Contains("empty", Assert.Single(empty.Errors).Message);
    }
}
