using System.Net;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Reflections;

/// <summary>
/// Who sees what of a stint's learning, on the API and the pages alike. A reflection: its author, the
/// author's manager and HR. Host feedback: the host writes it; the leader, their manager and HR read it.
/// The learning log: the leader, their manager, HR. Everyone else — another leader, another manager, the
/// host (for the reflection), a host of another stint, an Admin without HR — gets 404, never the content,
/// whichever id they type. Readers who may not write get 403 for a write; nothing they send is stored.
/// </summary>
public sealed class LearningAccessMatrixTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private const string Secret = "Customers wait fourteen minutes and call back twice";
    private const string HostSecret = "Asked the sharpest questions of the quarter";

    private sealed record Caller(string Name, HttpClient Api, HttpClient Browser);

    [Fact]
    public async Task Every_role_gets_exactly_what_it_may_on_the_api_and_the_pages_and_404_for_the_rest()
    {
        var cast = await app.CastAsync("matrix");
        Assert.Equal(HttpStatusCode.OK, (await cast.LeaderApi.PutJsonAsync(cast.Reflection, ReflectionKit.Complete(customerSide: Secret))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cast.LeaderApi.PostAsync($"{cast.Reflection}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cast.HostApi.PutJsonAsync(cast.Feedback,
            new { engagement = 4, curiosity = 4, collaboration = 3, impact = 3, comments = HostSecret, submit = true })).StatusCode);

        // Someone else's stint, hosted by another host, so that "a host" and "this stint's host" differ.
        var (otherHost, otherHostApi) = await app.ApiPersonAsync("matrix-otherhost", Roles.Host);
        var (otherLeader, otherLeaderApi) = await app.ApiPersonAsync("matrix-otherleader", Roles.Leader);
        await app.StintAsync(otherLeader.Id, ReflectionKit.Exec, otherHost.Id, ReflectionKit.Start, ReflectionKit.End);
        var (otherManager, otherManagerApi) = await app.ApiPersonAsync("matrix-othermanager", Roles.Manager);
        var (hr, hrApi) = await app.ApiPersonAsync("matrix-hr", Roles.HR);
        var (admin, adminApi) = await app.ApiPersonAsync("matrix-admin", Roles.Admin);

        var callers = new Dictionary<string, Caller>
        {
            ["leader"] = new("leader", cast.LeaderApi, await app.SignInAsync(cast.Leader.Email!)),
            ["manager"] = new("manager", cast.ManagerApi, await app.SignInAsync(cast.Manager.Email!)),
            ["host"] = new("host", cast.HostApi, await app.SignInAsync(cast.Host.Email!)),
            ["hr"] = new("hr", hrApi, await app.SignInAsync(hr.Email!)),
            ["admin"] = new("admin", adminApi, await app.SignInAsync(admin.Email!)),
            ["other leader"] = new("other leader", otherLeaderApi, await app.SignInAsync(otherLeader.Email!)),
            ["other manager"] = new("other manager", otherManagerApi, await app.SignInAsync(otherManager.Email!)),
            ["other host"] = new("other host", otherHostApi, await app.SignInAsync(otherHost.Email!)),
            ["anonymous"] = new("anonymous", app.CreateClient(), app.CreateBrowser()),
        };

        var id = cast.Stint.Id;
        var leaderId = cast.Leader.Id;
        const HttpStatusCode ok = HttpStatusCode.OK, none = HttpStatusCode.NotFound, forbidden = HttpStatusCode.Forbidden;
        // The reads: each resource, its readers, and the text that must not reach anyone else.
        var reads = new (string What, Func<Caller, Task<HttpResponseMessage>> Call, string[] Readers, string Content)[]
        {
            ("GET reflection (API)", c => c.Api.GetAsync($"/api/v1/stints/{id}/reflection"), ["leader", "manager", "hr"], Secret),
            ("GET reflection version 1 (API)", c => c.Api.GetAsync($"/api/v1/stints/{id}/reflection/versions/1"), ["leader", "manager", "hr"], Secret),
            ("reflection page", c => c.Browser.GetAsync($"/Stints/{id}/Reflection"), ["leader", "manager", "hr"], Secret),
            ("reflection version page", c => c.Browser.GetAsync($"/Stints/{id}/Reflection/Versions/1"), ["leader", "manager", "hr"], Secret),
            ("GET feedback (API)", c => c.Api.GetAsync($"/api/v1/stints/{id}/feedback"), ["leader", "manager", "hr", "host"], HostSecret),
            ("feedback page", c => c.Browser.GetAsync($"/Stints/{id}/Feedback"), ["leader", "manager", "hr", "host"], HostSecret),
            ("GET learning log (API)", c => c.Api.GetAsync($"/api/v1/leaders/{leaderId}/learning-log"), ["leader", "manager", "hr"], Secret),
            ("learning log page", c => c.Browser.GetAsync($"/Leaders/{leaderId}/Log"), ["leader", "manager", "hr"], Secret),
        };
        var wrong = new List<string>();
        foreach (var (what, call, readers, content) in reads)
        {
            foreach (var caller in callers.Values)
            {
                var response = await call(caller);
                var body = await response.Content.ReadAsStringAsync();
                var expected = caller.Name == "anonymous" ? Anonymous(response) : readers.Contains(caller.Name) ? ok : none;
                if (response.StatusCode != expected) wrong.Add($"{what} as {caller.Name}: {(int)response.StatusCode}, expected {(int)expected}");
                if (expected != ok && body.Contains(content, StringComparison.Ordinal)) wrong.Add($"{what} as {caller.Name}: the content leaked");
                if (expected == ok && !body.Contains(content, StringComparison.Ordinal)) wrong.Add($"{what} as {caller.Name}: the content is missing");
            }
        }

        // The writes: the one writer may; readers are refused (403), everyone else is told nothing (404).
        var writes = new (string What, Func<Caller, Task<HttpResponseMessage>> Call, string Writer, string[] Readers)[]
        {
            ("PUT reflection (API)", c => c.Api.PutJsonAsync($"/api/v1/stints/{id}/reflection", ReflectionKit.Complete(customerSide: "overwritten by " + c.Name)),
                "leader", ["manager", "hr"]),
            ("PUT feedback (API)", c => c.Api.PutJsonAsync($"/api/v1/stints/{id}/feedback",
                new { engagement = 1, curiosity = 1, collaboration = 1, impact = 1, comments = "overwritten by " + c.Name, submit = true }),
                "host", ["leader", "manager", "hr"]),
        };
        foreach (var (what, call, writer, readers) in writes)
        {
            foreach (var caller in callers.Values.Where(c => c.Name != writer))
            {
                var status = (await call(caller)).StatusCode;
                var expected = caller.Name == "anonymous" ? HttpStatusCode.Unauthorized : readers.Contains(caller.Name) ? forbidden : none;
                if (status != expected) wrong.Add($"{what} as {caller.Name}: {(int)status}, expected {(int)expected}");
            }
        }

        // The forms, posted with a valid anti-forgery token from a page each caller may open.
        foreach (var caller in callers.Values.Where(c => c.Name is not ("leader" or "anonymous")))
        {
            var response = await RotationsApp.PostFormAsync(caller.Browser, $"/Stints/{id}/Reflection?handler=Save",
                new() { ["Form.CustomerSide"] = "overwritten by " + caller.Name }, formPath: "/Inbox");
            // Readers are sent to the access-denied page; everyone else is told there is no such page.
            var answer = response.StatusCode == HttpStatusCode.Redirect ? response.RedirectPath() : ((int)response.StatusCode).ToString();
            var expected = caller.Name is "manager" or "hr" ? "/Account/AccessDenied" : "404";
            if (!answer.StartsWith(expected, StringComparison.Ordinal)) wrong.Add($"reflection form as {caller.Name}: {answer}, expected {expected}");
        }
        foreach (var caller in callers.Values.Where(c => c.Name is not ("host" or "anonymous")))
        {
            var response = await RotationsApp.PostFormAsync(caller.Browser, $"/Stints/{id}/Feedback?handler=Submit",
                new() { ["Form.Engagement"] = "1", ["Form.Curiosity"] = "1", ["Form.Collaboration"] = "1", ["Form.Impact"] = "1", ["Form.Comments"] = "overwritten" },
                formPath: "/Inbox");
            var answer = response.StatusCode == HttpStatusCode.Redirect ? response.RedirectPath() : ((int)response.StatusCode).ToString();
            var expected = caller.Name is "leader" or "manager" or "hr" ? "/Account/AccessDenied" : "404";
            if (!answer.StartsWith(expected, StringComparison.Ordinal)) wrong.Add($"feedback form as {caller.Name}: {answer}, expected {expected}");
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        var stored = await app.WithDbAsync(async db => (
            await db.Reflections.Where(r => r.StintId == id).Select(r => r.CustomerSide).SingleAsync(),
            await db.HostFeedback.Where(f => f.StintId == id).Select(f => f.Comments).SingleAsync(),
            await db.ReflectionVersions.CountAsync(v => v.StintId == id)));
        Assert.Equal((Secret, HostSecret, 1), stored);
    }

    /// <summary>The API answers 401; a page sends the browser to sign in.</summary>
    private static HttpStatusCode Anonymous(HttpResponseMessage response) =>
        response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) ? HttpStatusCode.Unauthorized : HttpStatusCode.Redirect;
}
