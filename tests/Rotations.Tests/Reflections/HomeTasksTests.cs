using System.Net;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Reflections;

/// <summary>
/// The home page's "Waiting for you": the leader's open reflections, the host's open feedback, the manager's
/// reports' overdue and newly submitted reflections — each linking to where it is done, and gone once done.
/// </summary>
public sealed class HomeTasksTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly DateTimeOffset Overdue = new(2027, 3, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_person_sees_what_waits_for_them_until_it_is_done()
    {
        var cast = await app.CastAsync("home");
        var leader = await app.SignInAsync(cast.Leader.Email!);
        var host = await app.SignInAsync(cast.Host.Email!);
        var manager = await app.SignInAsync(cast.Manager.Email!);
        var reflection = $"/Stints/{cast.Stint.Id}/Reflection";
        var feedback = $"/Stints/{cast.Stint.Id}/Feedback";

        var home = await (await leader.GetAsync("/")).ReadHtmlAsync();
        var task = home.QuerySelector($"#tasks a[href='{reflection}']")!;
        Assert.Equal("Your reflection on Contact centre", task.Text());
        Assert.Contains("due 11 Mar 2027", task.ParentElement!.Text());
        Assert.Equal("Feedback on " + cast.Leader.DisplayName, (await (await host.GetAsync("/")).ReadHtmlAsync()).QuerySelector($"#tasks a[href='{feedback}']")!.Text());
        Assert.Null((await (await manager.GetAsync("/")).ReadHtmlAsync()).QuerySelector("#tasks"));

        // Ten days later the reflection is overdue: the leader sees it marked, the manager sees it too.
        cast = await cast.AtAsync(app, Overdue);
        leader = await app.SignInAsync(cast.Leader.Email!);
        manager = await app.SignInAsync(cast.Manager.Email!);
        Assert.Contains("overdue since 11 Mar 2027", (await (await leader.GetAsync("/")).ReadHtmlAsync()).QuerySelector("#tasks")!.Text());
        var managerHome = await (await manager.GetAsync("/")).ReadHtmlAsync();
        Assert.Contains($"{cast.Leader.DisplayName}'s reflection on Contact centre", managerHome.QuerySelector($"#tasks a[href='/Leaders/{cast.Leader.Id}/Log']")!.Text());

        Assert.Equal(HttpStatusCode.OK, (await cast.LeaderApi.PutJsonAsync($"/api/v1/stints/{cast.Stint.Id}/reflection", ReflectionKit.Complete())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cast.LeaderApi.PostAsync($"/api/v1/stints/{cast.Stint.Id}/reflection/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cast.HostApi.PutJsonAsync($"/api/v1/stints/{cast.Stint.Id}/feedback",
            new { engagement = 3, curiosity = 3, collaboration = 3, impact = 3, comments = "", submit = true })).StatusCode);

        Assert.Null((await (await leader.GetAsync("/")).ReadHtmlAsync()).QuerySelector("#tasks"));
        host = await app.SignInAsync(cast.Host.Email!);
        Assert.Null((await (await host.GetAsync("/")).ReadHtmlAsync()).QuerySelector("#tasks"));
        managerHome = await (await manager.GetAsync("/")).ReadHtmlAsync();
        Assert.Null(managerHome.QuerySelector($"#tasks a[href='/Leaders/{cast.Leader.Id}/Log']"));
        var toRead = managerHome.QuerySelector($"#tasks a[href='{reflection}']")!;
        Assert.Equal($"Read {cast.Leader.DisplayName}'s reflection on Contact centre", toRead.Text());
        Assert.Contains("late", toRead.ParentElement!.Text());

        // Someone else's manager sees none of it.
        var other = await app.CreatePersonAsync(TestData.UniqueEmail("home-othermanager"), Roles.Manager);
        var otherHome = await (await (await app.SignInAsync(other.Email!)).GetAsync("/")).ReadHtmlAsync();
        Assert.Null(otherHome.QuerySelector("#tasks"));
    }
}
