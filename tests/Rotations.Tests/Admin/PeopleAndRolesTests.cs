using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Admin;

/// <summary>Each test gets a pristine app: the "last Admin" rule depends on how many Admins exist.</summary>
public sealed class PeopleAndRolesTests : IAsyncLifetime
{
    private readonly RotationsApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public Task DisposeAsync() => app.DisposeDatabaseAsync();

    private async Task<IList<string>> RolesOf(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        return await people.GetRolesAsync((await people.FindByEmailAsync(email))!);
    }

    [Fact]
    public async Task PeoplePage_ListsEveryoneWithTheirRoles_ForAnAdmin()
    {
        await app.CreatePersonAsync("ada.admin@example.com", Roles.Admin);
        await app.CreatePersonAsync("lena.leader@example.com", Roles.Leader);
        var admin = await app.SignInAsync("ada.admin@example.com");

        var html = await (await admin.GetAsync("/Admin/People")).Content.ReadAsStringAsync();

        Assert.Contains("Lena Leader", html);
        Assert.Contains("lena.leader@example.com", html);
        Assert.Matches("value=\"Leader\"[^>]*checked", html);
    }

    [Theory]
    [InlineData(Roles.HR)]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Host)]
    public async Task PeoplePage_IsForbiddenToEveryRoleButAdmin(string role)
    {
        var email = $"{role.ToLowerInvariant()}.person@example.com";
        await app.CreatePersonAsync(email, role);
        var client = await app.SignInAsync(email);

        var response = await client.GetAsync("/Admin/People");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AssigningRoles_SavesExactlyTheCheckedRoles()
    {
        await app.CreatePersonAsync("ada.admin@example.com", Roles.Admin);
        var target = await app.CreatePersonAsync("mo.manager@example.com", Roles.Leader);
        var admin = await app.SignInAsync("ada.admin@example.com");

        var response = await RotationsApp.PostFormAsync(admin, "/Admin/People", new()
        {
            ["personId"] = target.Id.ToString(),
            ["roles"] = Roles.Manager,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal([Roles.Manager], await RolesOf("mo.manager@example.com"));
        var page = await (await admin.GetAsync(response.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        Assert.Contains("Mo Manager now has the roles Manager.", page);
    }

    [Fact]
    public async Task RemovingTheLastAdmin_IsRefusedWithAMessage_AndNothingChanges()
    {
        var only = await app.CreatePersonAsync("ada.admin@example.com", Roles.Admin);
        var admin = await app.SignInAsync("ada.admin@example.com");

        var response = await RotationsApp.PostFormAsync(admin, "/Admin/People", new()
        {
            ["personId"] = only.Id.ToString(),
            ["roles"] = Roles.HR,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is the only Admin", await response.Content.ReadAsStringAsync());
        Assert.Equal([Roles.Admin], await RolesOf("ada.admin@example.com"));
    }

    [Fact]
    public async Task AnUnknownRole_IsRefused()
    {
        await app.CreatePersonAsync("ada.admin@example.com", Roles.Admin);
        var target = await app.CreatePersonAsync("lee.leader@example.com", Roles.Leader);
        var admin = await app.SignInAsync("ada.admin@example.com");

        var response = await RotationsApp.PostFormAsync(admin, "/Admin/People", new()
        {
            ["personId"] = target.Id.ToString(),
            ["roles"] = "SuperUser",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown role: SuperUser.", await response.Content.ReadAsStringAsync());
        Assert.Equal([Roles.Leader], await RolesOf("lee.leader@example.com"));
    }

    [Fact]
    public async Task Navigation_FollowsTheRoles()
    {
        await app.CreatePersonAsync("ada.admin@example.com", Roles.Admin);
        await app.CreatePersonAsync("lee.leader@example.com", Roles.Leader);

        var adminHome = await (await (await app.SignInAsync("ada.admin@example.com")).GetAsync("/")).Content.ReadAsStringAsync();
        var leaderHome = await (await (await app.SignInAsync("lee.leader@example.com")).GetAsync("/")).Content.ReadAsStringAsync();

        Assert.Contains("href=\"/Admin/People\"", adminHome);
        Assert.DoesNotContain("href=\"/Admin/People\"", leaderHome);
        Assert.Contains("Lee Leader", leaderHome);
    }
}
