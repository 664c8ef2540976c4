using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;

namespace Rotations.Tests.People;

/// <summary>Who sees whom through GET /api/v1/people: HR all, managers their reports, everyone else themself; the rest is 404.</summary>
public sealed class PeopleVisibilityTests(PeopleApp app) : IClassFixture<PeopleApp>
{
    private static async Task<PeoplePage> ListAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/api/v1/people" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<PeoplePage>(body, PeopleTestKit.Json)!;
    }

    [Fact]
    public async Task ALeader_GettingAnotherLeaderById_Gets404_AndOnlyThemselfInTheList()
    {
        var (me, client) = await app.SignedInAsync("lena", Roles.Leader);
        var other = await app.LeaderAsync("olaf");

        var response = await client.GetAsync($"/api/v1/people/{other.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(other.Email!, await response.Content.ReadAsStringAsync());
        Assert.Equal(me.Id, (await (await client.GetAsync($"/api/v1/people/{me.Id}")).ReadPersonAsync()).Id);
        var list = await ListAsync(client);
        Assert.Equal([me.Id], list.Items.Select(p => p.Id));
        Assert.Equal(1, list.Total);
        // Filters cannot widen the view.
        Assert.Empty((await ListAsync(client, $"?q={Uri.EscapeDataString(other.Email!)}")).Items);
    }

    [Fact]
    public async Task AManager_SeesTheirDirectReportsAndThemself_AndNoOneElse()
    {
        var (manager, client) = await app.SignedInAsync("mona", Roles.Manager);
        var report = await app.LeaderAsync("rita", manager.Id);
        var reportOfReport = await app.LeaderAsync("rick", report.Id);
        var stranger = await app.LeaderAsync("sven");

        var list = await ListAsync(client);

        Assert.Equal(new[] { manager.Id, report.Id }.Order(), list.Items.Select(p => p.Id).Order());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/people/{report.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/people/{reportOfReport.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/people/{stranger.Id}")).StatusCode);
    }

    [Fact]
    public async Task AHostWhoIsNotAManager_SeesOnlyThemself_EvenWithReportsOnFile()
    {
        var (host, client) = await app.SignedInAsync("hugo", Roles.Host);
        var report = await app.LeaderAsync("rosa", host.Id);

        Assert.Equal([host.Id], (await ListAsync(client)).Items.Select(p => p.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/people/{report.Id}")).StatusCode);
    }

    [Theory]
    [InlineData(Roles.HR)]
    [InlineData(Roles.Admin)]
    public async Task HrAndAdmin_SeeEveryone(string role)
    {
        var (_, client) = await app.SignedInAsync("all.seeing", role);
        var leader = await app.LeaderAsync("lia");
        var loner = await app.CreatePersonAsync(TestData.UniqueEmail("lone"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/people/{leader.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/people/{loner.Id}")).StatusCode);
        var all = await ListAsync(client, "?pageSize=200");
        Assert.True(all.Total >= 3);
    }

    [Fact]
    public async Task TheList_FiltersByRoleCohortManagerSearchAndStatus_AndPages()
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var cohort = await app.CohortAsync();
        var boss = await app.CreatePersonAsync($"boss.{tag}@example.com", Roles.Manager);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var created = await (await hr.PostAsJsonAsync("/api/v1/people", new
            {
                email = $"leader{i}.{tag}@example.com", displayName = $"Leader {i} {tag}", roles = new[] { Roles.Leader }, managerId = boss.Id,
                leader = new { currentLevel = "Manager", targetLevel = "Director", cohortId = i < 3 ? cohort : (Guid?)null },
            }, PeopleTestKit.Json)).ReadPersonAsync();
            ids.Add(created.Id);
        }
        await hr.PostAsync($"/api/v1/people/{ids[4]}/deactivate", null);

        Assert.Equal(6, (await ListAsync(hr, $"?q={tag}")).Total);
        Assert.Equal(5, (await ListAsync(hr, $"?q={tag}&role=leader")).Total);
        Assert.Equal(ids.Take(3), (await ListAsync(hr, $"?cohortId={cohort}")).Items.Select(p => p.Id));
        Assert.Equal(5, (await ListAsync(hr, $"?managerId={boss.Id}")).Total);
        Assert.Equal([ids[4]], (await ListAsync(hr, $"?q={tag}&active=false")).Items.Select(p => p.Id));
        Assert.Equal(5, (await ListAsync(hr, $"?q={tag}&active=true")).Total);

        var page2 = await ListAsync(hr, $"?q={tag}&role=Leader&pageSize=2&page=2");
        Assert.Equal((2, 2, 5), (page2.Page, page2.PageSize, page2.Total));
        Assert.Equal(new[] { $"Leader 2 {tag}", $"Leader 3 {tag}" }, page2.Items.Select(p => p.DisplayName));
    }

    [Theory]
    [InlineData("?pageSize=201", "pageSize")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?page=0", "page")]
    [InlineData("?role=Overlord", "role")]
    public async Task TheList_RefusesBadPagingAndUnknownRoles(string query, string field)
    {
        var (_, hr) = await app.SignedInAsync("hr", Roles.HR);

        Assert.True((await (await hr.GetAsync("/api/v1/people" + query)).FieldErrorsAsync()).ContainsKey(field));
    }

    [Fact]
    public async Task Anonymous_Gets401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/people")).StatusCode);
    }
}
