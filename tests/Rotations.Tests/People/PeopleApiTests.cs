using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;

namespace Rotations.Tests.People;

/// <summary>POST/PUT /api/v1/people: what HR may create and change, and what is refused, field by field.</summary>
public sealed class PeopleApiTests(PeopleApp app) : IClassFixture<PeopleApp>
{
    private static readonly JsonSerializerOptions Json = PeopleTestKit.Json;

    private Task<HttpResponseMessage> Create(HttpClient hr, object body) => hr.PostAsJsonAsync("/api/v1/people", body, Json);

    [Fact]
    public async Task Create_WithoutLeaderProfile_Returns201WithThePersonAndNoPassword()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var email = TestData.UniqueEmail("hana.host");

        var response = await Create(hr, new { email, displayName = "  Hana Host ", roles = new[] { "host", "Manager" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var person = await response.ReadPersonAsync();
        Assert.Equal($"/api/v1/people/{person.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal($"\"{person.Version}\"", response.Headers.ETag!.ToString());
        Assert.Equal("Hana Host", person.DisplayName);
        Assert.Equal([Roles.Manager, Roles.Host], person.Roles);
        Assert.Equal("Europe/London", person.TimeZone);
        Assert.True(person.IsActive);
        Assert.False(person.HasPassword);
        Assert.Null(person.Leader);
        // No password: no way in until an invitation.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.TokenAsync(email, "any password at all")).StatusCode);
        Assert.Null((await app.FindPersonAsync(email))!.PasswordHash);
    }

    [Fact]
    public async Task Create_LeaderWithProfileAndPassword_StoresTheProfile_AndTheyCanSignIn()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var (manager, _) = await app.SignedInAsync("mia.manager", Roles.Manager);
        var cohort = await app.CohortAsync();
        var email = TestData.UniqueEmail("lou.leader");

        var response = await Create(hr, new
        {
            email, displayName = "Lou Leader", roles = new[] { Roles.Leader }, managerId = manager.Id, timeZone = "america/new_york",
            initialPassword = "a long enough passphrase",
            leader = new { currentLevel = "Manager", targetLevel = "VP", cohortId = cohort, homeDepartment = "Field service", programmeStart = "2027-01-04" },
        });

        var person = await response.ReadPersonAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("America/New_York", person.TimeZone);
        Assert.Equal(manager.Id, person.ManagerId);
        Assert.Equal(manager.DisplayName, person.ManagerName);
        Assert.True(person.HasPassword);
        Assert.Equal(new LeaderDto(Level.Manager, Level.VP, cohort, person.Leader!.CohortName, "Field service", new DateOnly(2027, 1, 4)), person.Leader);
        Assert.NotNull(person.Leader.CohortName);
        var stored = await app.FindPersonAsync(email);
        Assert.Equal(Level.VP, stored!.LeaderProfile!.TargetLevel);
        Assert.Equal(HttpStatusCode.OK, (await app.TokenAsync(email, "a long enough passphrase")).StatusCode);
        // The JSON itself: levels and dates as strings.
        using var json = JsonDocument.Parse(await (await hr.GetAsync($"/api/v1/people/{person.Id}")).Content.ReadAsStringAsync());
        Assert.Equal("VP", json.RootElement.GetProperty("leader").GetProperty("targetLevel").GetString());
        Assert.Equal("2027-01-04", json.RootElement.GetProperty("leader").GetProperty("programmeStart").GetString());
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        // name of the case, JSON body (EMAIL is replaced by a fresh address), the field that must be named
        { "bad email", """{"email":"not-an-email","displayName":"X","roles":[]}""", "email" },
        { "email with a display name", """{"email":"X <x@example.com>","displayName":"X","roles":[]}""", "email" },
        { "missing name", """{"email":"EMAIL","roles":[]}""", "displayName" },
        { "name too long", """{"email":"EMAIL","displayName":"LONGNAME","roles":[]}""", "displayName" },
        { "Windows time zone", """{"email":"EMAIL","displayName":"X","roles":[],"timeZone":"GMT Standard Time"}""", "timeZone" },
        { "nonsense time zone", """{"email":"EMAIL","displayName":"X","roles":[],"timeZone":"Mars/Olympus"}""", "timeZone" },
        { "unknown role", """{"email":"EMAIL","displayName":"X","roles":["Leader","Overlord"],"leader":{"currentLevel":"Manager","targetLevel":"VP"}}""", "roles" },
        { "leader without profile", """{"email":"EMAIL","displayName":"X","roles":["Leader"]}""", "leader" },
        { "target not above current", """{"email":"EMAIL","displayName":"X","roles":["Leader"],"leader":{"currentLevel":"Director","targetLevel":"HeadOf"}}""", "leader.targetLevel" },
        { "target equal to current", """{"email":"EMAIL","displayName":"X","roles":["Leader"],"leader":{"currentLevel":"VP","targetLevel":"VP"}}""", "leader.targetLevel" },
        { "unknown level", """{"email":"EMAIL","displayName":"X","roles":["Leader"],"leader":{"currentLevel":"Junior","targetLevel":"VP"}}""", "leader.currentLevel" },
        { "numeric level", """{"email":"EMAIL","displayName":"X","roles":["Leader"],"leader":{"currentLevel":"1","targetLevel":"VP"}}""", "leader.currentLevel" },
        { "unknown cohort", """{"email":"EMAIL","displayName":"X","roles":["Leader"],"leader":{"currentLevel":"Manager","targetLevel":"VP","cohortId":"0196b4a6-0000-7000-8000-000000000000"}}""", "leader.cohortId" },
        { "unknown manager", """{"email":"EMAIL","displayName":"X","roles":[],"managerId":"0196b4a6-0000-7000-8000-000000000000"}""", "managerId" },
        { "short password", """{"email":"EMAIL","displayName":"X","roles":[],"initialPassword":"short"}""", "initialPassword" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Create_WithABadField_Returns400NamingThatField_AndCreatesNoOne(string @case, string body, string field)
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var email = TestData.UniqueEmail("bad");
        body = body.Replace("EMAIL", email).Replace("LONGNAME", new string('n', 201));

        var response = await hr.PostAsync("/api/v1/people", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var errors = await response.FieldErrorsAsync();
        Assert.True(errors.ContainsKey(field), $"{@case}: expected an error on {field}, got {string.Join(", ", errors.Keys)}");
        Assert.All(errors[field], m => Assert.False(string.IsNullOrWhiteSpace(m)));
        Assert.Null(await app.FindPersonAsync(email));
    }

    [Fact]
    public async Task Create_WindowsTimeZone_SuggestsTheIanaName()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);

        var errors = await (await Create(hr, new { email = TestData.UniqueEmail("x"), displayName = "X", roles = Array.Empty<string>(), timeZone = "W. Europe Standard Time" })).FieldErrorsAsync();

        Assert.Contains("Europe/Berlin", Assert.Single(errors["timeZone"]));
    }

    [Fact]
    public async Task Create_WithAnEmailAlreadyInUse_AnyCase_Returns400NamingTheHolder()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var holder = await app.CreatePersonAsync(TestData.UniqueEmail("first"));

        var errors = await (await Create(hr, new { email = holder.Email!.ToUpperInvariant(), displayName = "Second", roles = Array.Empty<string>() })).FieldErrorsAsync();

        Assert.Equal($"{holder.Email!.ToUpperInvariant()} is already the address of {holder.DisplayName}.", Assert.Single(errors["email"]));
        Assert.Equal(1, await app.WithDbAsync(db => db.Users.CountAsync(p => p.NormalizedEmail == holder.Email!.ToUpperInvariant())));
    }

    [Fact]
    public async Task Create_ManyBadFields_NamesEveryOneOfThemAtOnce()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);

        var errors = await (await Create(hr, new { email = "nope", roles = new[] { "Leader", "Chief" }, timeZone = "Nowhere" })).FieldErrorsAsync();

        Assert.Superset(new HashSet<string> { "email", "displayName", "roles", "timeZone", "leader" }, errors.Keys.ToHashSet());
    }

    [Fact]
    public async Task Create_WithAnInactiveManager_IsRefused()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var gone = await app.CreatePersonAsync(TestData.UniqueEmail("gone"), Roles.Manager);
        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsync($"/api/v1/people/{gone.Id}/deactivate", null)).StatusCode);

        var errors = await (await Create(hr, new { email = TestData.UniqueEmail("x"), displayName = "X", roles = Array.Empty<string>(), managerId = gone.Id })).FieldErrorsAsync();

        Assert.Contains("deactivated", Assert.Single(errors["managerId"]));
    }

    [Fact]
    public async Task Create_TheAdminRole_IsForAdminsToGive()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var (_, admin) = await app.SignedInAsync("ada", Roles.Admin);
        var body = new { email = TestData.UniqueEmail("new.admin"), displayName = "New Admin", roles = new[] { Roles.Admin } };

        Assert.Equal(HttpStatusCode.Forbidden, (await Create(hr, body)).StatusCode);
        Assert.Null(await app.FindPersonAsync(body.email));
        Assert.Equal(HttpStatusCode.Created, (await Create(admin, body)).StatusCode);
    }

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Host)]
    public async Task Writes_AreForHrAndAdminOnly(string role)
    {
        var (me, client) = await app.SignedInAsync("someone", role);
        var body = new { email = TestData.UniqueEmail("x"), displayName = "X", roles = Array.Empty<string>() };

        Assert.Equal(HttpStatusCode.Forbidden, (await Create(client, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutPersonAsync(me.Id, body, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/people/{me.Id}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/people/import", new StringContent("email,displayName\n"))).StatusCode);
        Assert.Null(await app.FindPersonAsync(body.email));
    }

    [Fact]
    public async Task Update_WithTheCurrentVersion_SavesEveryField_AndAuditsTheChange()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail("mo"), Roles.Manager);
        var created = await (await Create(hr, new { email = TestData.UniqueEmail("pat"), displayName = "Pat", roles = new[] { Roles.Host } })).ReadPersonAsync();
        var newEmail = TestData.UniqueEmail("pat.renamed");

        var response = await hr.PutPersonAsync(created.Id, created.AsRequest() with
        {
            Email = newEmail, DisplayName = "Pat Renamed", Roles = [Roles.Leader], ManagerId = manager.Id, TimeZone = "Asia/Tokyo",
            Leader = new LeaderRequest("HeadOf", "CCO", null, "Digital", null),
        }, $"\"{created.Version}\"");

        var updated = await response.ReadPersonAsync();
        Assert.Equal((newEmail, "Pat Renamed", "Asia/Tokyo", manager.Id), (updated.Email, updated.DisplayName, updated.TimeZone, updated.ManagerId));
        Assert.Equal([Roles.Leader], updated.Roles);
        Assert.Equal(Level.CCO, updated.Leader!.TargetLevel);
        Assert.NotEqual(created.Version, updated.Version);
        Assert.Equal($"\"{updated.Version}\"", response.Headers.ETag!.ToString());
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityKey == created.Id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Contains("Changed", audit);
        Assert.Contains("RoleRemoved", audit);
        Assert.Contains("RoleGranted", audit);
        Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync($"/api/v1/people?q={Uri.EscapeDataString(newEmail)}")).StatusCode);
    }

    [Fact]
    public async Task Update_WithAStaleIfMatch_Returns412_AndOverwritesNothing()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var loaded = await (await Create(hr, new { email = TestData.UniqueEmail("sam"), displayName = "Sam", roles = Array.Empty<string>() })).ReadPersonAsync();
        // Someone else saves first.
        var first = await hr.PutPersonAsync(loaded.Id, loaded.AsRequest() with { DisplayName = "Sam by the first editor" }, $"\"{loaded.Version}\"");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var second = await hr.PutPersonAsync(loaded.Id, loaded.AsRequest() with { DisplayName = "Sam by the second editor", TimeZone = "Asia/Tokyo" }, $"\"{loaded.Version}\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        Assert.Contains("changed by someone else", await second.Content.ReadAsStringAsync());
        var now = await (await hr.GetAsync($"/api/v1/people/{loaded.Id}")).ReadPersonAsync();
        Assert.Equal(("Sam by the first editor", "Europe/London"), (now.DisplayName, now.TimeZone));
    }

    [Fact]
    public async Task Update_WithoutIfMatch_Returns428_AndChangesNothing()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var loaded = await (await Create(hr, new { email = TestData.UniqueEmail("kit"), displayName = "Kit", roles = Array.Empty<string>() })).ReadPersonAsync();

        var response = await hr.PutPersonAsync(loaded.Id, loaded.AsRequest() with { DisplayName = "Changed" }, ifMatch: null);

        Assert.Equal(HttpStatusCode.PreconditionRequired, response.StatusCode);
        Assert.Contains("If-Match", await response.Content.ReadAsStringAsync());
        Assert.Equal("Kit", (await (await hr.GetAsync($"/api/v1/people/{loaded.Id}")).ReadPersonAsync()).DisplayName);
    }

    [Fact]
    public async Task Update_ThatWouldMakeAManagerLoop_IsRefusedNamingTheLoop()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var top = await (await Create(hr, new { email = TestData.UniqueEmail("top"), displayName = "Tia Top", roles = new[] { Roles.Manager } })).ReadPersonAsync();
        var middle = await (await Create(hr, new { email = TestData.UniqueEmail("mid"), displayName = "Max Middle", roles = new[] { Roles.Manager }, managerId = top.Id })).ReadPersonAsync();
        var bottom = await (await Create(hr, new { email = TestData.UniqueEmail("bot"), displayName = "Bo Bottom", roles = Array.Empty<string>(), managerId = middle.Id })).ReadPersonAsync();

        var loop = await hr.PutPersonAsync(top.Id, top.AsRequest() with { ManagerId = bottom.Id }, $"\"{top.Version}\"");
        var self = await hr.PutPersonAsync(top.Id, top.AsRequest() with { ManagerId = top.Id }, $"\"{top.Version}\"");

        var message = Assert.Single((await loop.FieldErrorsAsync())["managerId"]);
        Assert.Contains("Tia Top → Bo Bottom → Max Middle → Tia Top", message, StringComparison.Ordinal);
        Assert.Equal("A person cannot be their own manager.", Assert.Single((await self.FieldErrorsAsync())["managerId"]));
        Assert.Null((await (await hr.GetAsync($"/api/v1/people/{top.Id}")).ReadPersonAsync()).ManagerId);
    }

    [Fact]
    public async Task Update_KeepsALinkToAManagerWhoHasLeft_ButRefusesANewOne()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail("old.boss"), Roles.Manager);
        var report = await (await Create(hr, new { email = TestData.UniqueEmail("r"), displayName = "Rae", roles = Array.Empty<string>(), managerId = manager.Id })).ReadPersonAsync();
        await hr.PostAsync($"/api/v1/people/{manager.Id}/deactivate", null);

        var rename = await hr.PutPersonAsync(report.Id, report.AsRequest() with { DisplayName = "Rae Renamed" }, "*");

        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        var other = await (await Create(hr, new { email = TestData.UniqueEmail("o"), displayName = "Other", roles = Array.Empty<string>() })).ReadPersonAsync();
        var link = await hr.PutPersonAsync(other.Id, other.AsRequest() with { ManagerId = manager.Id }, "*");
        Assert.Contains("deactivated", Assert.Single((await link.FieldErrorsAsync())["managerId"]));
    }

    [Fact]
    public async Task Update_AnInitialPassword_IsRefused()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var person = await (await Create(hr, new { email = TestData.UniqueEmail("p"), displayName = "P", roles = Array.Empty<string>() })).ReadPersonAsync();

        var response = await hr.PutPersonAsync(person.Id, person.AsRequest() with { InitialPassword = "a long enough passphrase" }, "*");

        Assert.True((await response.FieldErrorsAsync()).ContainsKey("initialPassword"));
        Assert.Null((await app.FindPersonAsync(person.Email))!.PasswordHash);
    }

    [Fact]
    public async Task Update_AnAdmin_IsForAdminsOnly()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var admin = await app.CreatePersonAsync(TestData.UniqueEmail("ada"), Roles.Admin);
        var loaded = await (await hr.GetAsync($"/api/v1/people/{admin.Id}")).ReadPersonAsync();

        var response = await hr.PutPersonAsync(admin.Id, loaded.AsRequest() with { Email = TestData.UniqueEmail("takeover") }, $"\"{loaded.Version}\"");
        var deactivate = await hr.PostAsync($"/api/v1/people/{admin.Id}/deactivate", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deactivate.StatusCode);
        var stored = await app.FindPersonAsync(admin.Email!);
        Assert.True(stored!.IsActive);
    }

    [Fact]
    public async Task Update_OfSomeoneWhoDoesNotExist_Returns404()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);

        var response = await hr.PutPersonAsync(Guid.NewGuid(), new { email = "x@example.com", displayName = "X", roles = Array.Empty<string>() }, "*");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Deactivated_CannotSignInByPageOrToken_AndReactivated_CanAgain()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("dee"), Roles.Leader);

        var response = await hr.PostAsync($"/api/v1/people/{person.Id}/deactivate", null);

        Assert.False((await response.ReadPersonAsync()).IsActive);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.TokenAsync(person.Email!)).StatusCode);
        var page = await RotationsApp.PostFormAsync(app.CreateBrowser(), "/Account/Login",
            new() { ["Input.Email"] = person.Email!, ["Input.Password"] = RotationsApp.Password });
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("deactivated", await page.Content.ReadAsStringAsync());
        Assert.Null(page.Headers.Location);
        // Nothing is deleted.
        Assert.NotNull(await app.FindPersonAsync(person.Email!));

        Assert.True((await (await hr.PostAsync($"/api/v1/people/{person.Id}/reactivate", null)).ReadPersonAsync()).IsActive);
        Assert.Equal(HttpStatusCode.OK, (await app.TokenAsync(person.Email!)).StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesThePeopleEndpoints()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);

        var doc = await hr.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/v1/people\"", doc);
        Assert.Contains("\"/api/v1/people/{id}\"", doc);
        Assert.Contains("\"/api/v1/people/import\"", doc);
        Assert.Contains("cannot sign in until they are invited", doc);
    }
}
