using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Reflections;

/// <summary>A leader with a manager and a host around one stint, each with an API client; and a complete reflection.</summary>
public sealed record StintCast(Person Leader, HttpClient LeaderApi, Person Manager, HttpClient ManagerApi, Person Host, HttpClient HostApi, Stint Stint)
{
    public string Reflection => $"/api/v1/stints/{Stint.Id}/reflection";
    public string Feedback => $"/api/v1/stints/{Stint.Id}/feedback";

    /// <summary>The same people with tokens issued now: after the clock moves, the old ones have expired or are not yet valid.</summary>
    public async Task<StintCast> AtAsync(RotationsApp app, DateTimeOffset now)
    {
        app.Clock.Set(now);
        return this with
        {
            LeaderApi = await app.ApiClientAsync(Leader.Email!), ManagerApi = await app.ApiClientAsync(Manager.Email!),
            HostApi = await app.ApiClientAsync(Host.Email!),
        };
    }
}

public static class ReflectionKit
{
    public static readonly Guid Contact = new("00000000-0000-0000-0000-0000000b0003");
    public static readonly Guid Exec = new("00000000-0000-0000-0000-0000000b0011");
    public static readonly Guid CustomerInsight = new("00000000-0000-0000-0000-0000000c0001");
    public static readonly Guid InternalEngagement = new("00000000-0000-0000-0000-0000000c0008");

    /// <summary>Monday 1 February to Friday 5 March 2027; the clock is set to Wednesday 10 March, after the end, before the due date (11 March, the day before the overdue reminder).</summary>
    public static readonly DateOnly Start = new(2027, 2, 1);
    public static readonly DateOnly End = new(2027, 3, 5);
    public static readonly DateTimeOffset AfterTheEnd = new(2027, 3, 10, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Sets the clock to <see cref="AfterTheEnd"/> first: bearer tokens are issued on the app's clock.</summary>
    public static async Task<StintCast> CastAsync(this RotationsApp app, string name, Guid? tour = null)
    {
        app.Clock.Set(AfterTheEnd);
        var (manager, managerApi) = await app.ApiPersonAsync($"{name}-manager", Roles.Manager);
        var (host, hostApi) = await app.ApiPersonAsync($"{name}-host", Roles.Host);
        var (leader, leaderApi) = await app.ApiPersonAsync($"{name}-leader", Roles.Leader);
        await app.WithDbAsync(async db =>
        {
            var p = await db.Users.SingleAsync(u => u.Id == leader.Id);
            p.ManagerId = manager.Id;
            await db.SaveChangesAsync();
        });
        var stint = await app.StintAsync(leader.Id, tour ?? Contact, host.Id, Start, End);
        return new StintCast(leader, leaderApi, manager, managerApi, host, hostApi, stint);
    }

    public static object Complete(string customerSide = "Customers wait 14 minutes on Mondays and call back twice.",
        string term = "AHT") => new
    {
        customerSide,
        insideOut = "Agents are measured on average handle time, so they end calls before the problem is solved.",
        vocabulary = new[] { new { term, meaning = "Average handle time: minutes per call, talk and wrap-up.", customerMeaning = "How quickly I am rushed off the phone." } },
        peopleMet = "Priya (team lead), Tom (workforce planning).",
        frictionAndIdeas = "Measure first-contact resolution beside AHT.",
        competencies = new[] { new { competencyId = CustomerInsight, evidence = "Played three recorded calls at the team meeting." } },
    };

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: ApiClients.Json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }
}
