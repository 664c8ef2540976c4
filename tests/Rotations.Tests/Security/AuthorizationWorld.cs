using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Rotations.Tests.Readiness;
using Rotations.Tests.Reflections;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.People;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Security;

/// <summary>The six kinds of caller of the authorization matrix.</summary>
[Flags]
public enum Who
{
    None = 0,
    Admin = 1,
    HR = 2,
    Manager = 4,
    Leader = 8,
    Host = 16,
    Anonymous = 32,
    Staff = Admin | HR,
    SignedIn = Admin | HR | Manager | Leader | Host,
    Everyone = SignedIn | Anonymous,
    /// <summary>Those who see a person's own records because the records are theirs or their report's or their stint's.</summary>
    Personal = Manager | Leader | Host,
}

/// <summary>Whose resource ids a request carries: A's (the callers' own circle) or B's (someone else's).</summary>
public enum Side { A, B }

/// <summary>
/// One caller: an API client with a bearer token, a browser with a session cookie, and the anti-forgery token of
/// that session (forms are posted the way the caller's own browser would post them).
/// </summary>
public sealed record Caller(Who Role, Person? Person, HttpClient Api, HttpClient Browser, string Antiforgery)
{
    public override string ToString() => Role.ToString();
}

/// <summary>A leader's circle: the leader, their manager, the host of their stint, and their private records.</summary>
public sealed record Circle(
    Person Leader, Person Manager, Person Host, Guid Stint, Guid Review, Guid Draft, Guid Period, Guid Period2, Guid Notification, string Token);

/// <summary>
/// The people and records of the authorization matrix, in one database. Leader A has manager M and a stint hosted
/// by host H; leader B has their own manager and host. Each has a submitted reflection, host feedback, stint
/// objectives, a submitted readiness review and a draft, an unavailable period, a notification and a calendar feed.
/// Everything private of B's circle carries <see cref="Marker"/>: no response to anyone outside HR (or Admin, for
/// what Admin may see) may contain it.
/// </summary>
public sealed class AuthorizationWorld
{
    public const string Marker = "ZQXB-private";
    public static readonly Guid Contact = ReflectionKit.Contact;
    public static readonly Guid Exec = ReflectionKit.Exec;

    public required Caller Admin { get; init; }
    public required Caller HR { get; init; }
    public required Caller Manager { get; init; }
    public required Caller Leader { get; init; }
    public required Caller Host { get; init; }
    public required Caller Anonymous { get; init; }
    public required Circle A { get; init; }
    public required Circle B { get; init; }
    public required Guid Cohort { get; init; }
    public required Guid Plan { get; init; }
    public required Guid FailedEmail { get; init; }
    public required Dictionary<Who, Guid> OwnNotifications { get; init; }

    public IEnumerable<Caller> Callers => [Admin, HR, Manager, Leader, Host, Anonymous];

    public Circle Of(Side side) => side == Side.A ? A : B;

    /// <summary>The path with its placeholders filled for this caller and side (or with ids that exist nowhere).</summary>
    public string Fill(string template, Caller caller, Side side, bool unknownIds = false)
    {
        var c = Of(side);
        string Id(Guid id) => (unknownIds ? Guid.NewGuid() : id).ToString();
        // A person record: B for B's side; on A's side the host's own, and leader A for everyone else (their own, their report).
        var person = side == Side.B ? B.Leader.Id : caller.Role == Who.Host ? A.Host.Id : A.Leader.Id;
        var notification = side == Side.B ? B.Notification : OwnNotifications.GetValueOrDefault(caller.Role, A.Notification);
        return template
            .Replace("{stint}", Id(c.Stint))
            .Replace("{leader}", Id(c.Leader.Id))
            .Replace("{person}", Id(person))
            .Replace("{review}", Id(c.Review))
            .Replace("{draft}", Id(c.Draft))
            .Replace("{period2}", Id(c.Period2))
            .Replace("{period}", Id(c.Period))
            .Replace("{notification}", Id(notification))
            .Replace("{tour}", Id(Contact))
            .Replace("{cohort}", Id(Cohort))
            .Replace("{plan}", Id(Plan))
            .Replace("{email}", Id(FailedEmail))
            .Replace("{token}", unknownIds ? "unknown" + Guid.NewGuid().ToString("N") : A.Token)
            .Replace("{job}", RotationsJobs.ReminderSweep.Key.Name);
    }

    public static async Task<AuthorizationWorld> BuildAsync(RotationsApp app, string name)
    {
        app.Clock.Set(ReflectionKit.AfterTheEnd);
        var cohort = (await app.CohortAsync($"authz {name}")).Id;
        var admin = await CallerAsync(app, Who.Admin, await app.CreatePersonAsync(TestData.UniqueEmail($"{name}.admin"), Roles.Admin));
        var hr = await CallerAsync(app, Who.HR, await app.CreatePersonAsync(TestData.UniqueEmail($"{name}.hr"), Roles.HR));
        var a = await CircleAsync(app, hr, $"{name}.a", Contact, cohort, "");
        var b = await CircleAsync(app, hr, $"{name}.b", Exec, cohort, Marker);
        var manager = await CallerAsync(app, Who.Manager, a.Manager);
        var leader = await CallerAsync(app, Who.Leader, a.Leader);
        var host = await CallerAsync(app, Who.Host, a.Host);
        var anonymous = app.CreateBrowser();
        var anonymousToken = RotationsApp.AntiforgeryToken(await (await anonymous.GetAsync("/Account/Login")).Content.ReadAsStringAsync())!;

        // Every signed-in caller has a notification and a calendar feed of their own.
        var own = new Dictionary<Who, Guid> { [Who.Leader] = a.Notification, [Who.Anonymous] = a.Notification };
        foreach (var c in new[] { admin, hr, manager, host })
        {
            own[c.Role] = await NotificationAsync(app, c.Person!.Id, null, "");
            Ok(await c.Api.PostAsync("/api/v1/me/calendar/renew", null), "renew a feed");
        }
        Ok(await hr.Api.PostAsync($"/api/v1/tours/{Contact}/calendar/renew", null), "renew the tour feed");

        var plan = await hr.Api.PostJsonAsync("/api/v1/plans", new { cohortId = cohort, from = new DateOnly(2027, 4, 5), to = new DateOnly(2028, 3, 31) });
        Ok(plan, "propose a plan");
        var email = await app.WithDbAsync(async db =>
        {
            var message = new EmailMessage
            {
                Kind = EmailKind.Notification, RecipientId = a.Leader.Id, ToAddress = a.Leader.Email!,
                MessageId = $"<{Guid.NewGuid():N}@example.com>", Status = EmailStatus.Failed, Attempts = 5,
                CreatedAt = app.Clock.GetUtcNow(), NextAttemptAt = app.Clock.GetUtcNow(), LastError = "refused",
            };
            db.EmailOutbox.Add(message);
            await db.SaveChangesAsync();
            return message.Id;
        });

        return new AuthorizationWorld
        {
            Admin = admin, HR = hr, Manager = manager, Leader = leader, Host = host,
            Anonymous = new Caller(Who.Anonymous, null, app.CreateBrowser(), anonymous, anonymousToken),
            A = a, B = b, Cohort = cohort, Plan = (await plan.ReadJsonAsync()).GetProperty("id").GetGuid(), FailedEmail = email,
            OwnNotifications = own,
        };
    }

    private static async Task<Circle> CircleAsync(RotationsApp app, Caller hr, string name, Guid tour, Guid cohort, string marker)
    {
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail($"{name}.manager"), Roles.Manager);
        var host = await app.CreatePersonAsync(TestData.UniqueEmail($"{name}.host"), Roles.Host);
        var leader = await app.LeaderAsync($"{name}.leader", manager.Id);
        await app.WithDbAsync(async db =>
        {
            db.LeaderProfiles.Add(new LeaderProfile { PersonId = leader.Id, CohortId = cohort, CurrentLevel = Level.Manager, TargetLevel = Level.Director });
            await db.SaveChangesAsync();
        });
        var stint = await app.StintAsync(leader.Id, tour, host.Id, ReflectionKit.Start, ReflectionKit.End);
        var leaderApi = await app.ApiClientAsync(leader.Email!);
        var managerApi = await app.ApiClientAsync(manager.Email!);
        var hostApi = await app.ApiClientAsync(host.Email!);
        var said = (marker + " " + name).Trim();

        Ok(await leaderApi.PutAsJsonAsync($"/api/v1/stints/{stint.Id}/objectives", new { objectives = $"Objectives {said}" }), "objectives");
        Ok(await leaderApi.PutJsonAsync($"/api/v1/stints/{stint.Id}/reflection", ReflectionKit.Complete(customerSide: $"Reflection {said}")), "reflection");
        Ok(await leaderApi.PostAsync($"/api/v1/stints/{stint.Id}/reflection/submit", null), "submit the reflection");
        Ok(await hostApi.PutJsonAsync($"/api/v1/stints/{stint.Id}/feedback",
            new { engagement = 4, curiosity = 4, collaboration = 3, impact = 3, comments = $"Feedback {said}", submit = true }), "feedback");
        var submitted = await managerApi.OpenReviewAsync(leader.Id, "HeadOf", rationale: $"Rationale {said}");
        Ok(submitted, "open a review");
        var review = (await submitted.ReadJsonAsync()).GetProperty("id").GetGuid();
        Ok(await managerApi.PostAsync($"/api/v1/reviews/{review}/submit", null), "submit the review");
        var draft = await managerApi.OpenReviewAsync(leader.Id, "Director", rationale: $"Draft {said}");
        Ok(draft, "open a draft");
        var period = await hr.Api.PostJsonAsync($"/api/v1/people/{leader.Id}/unavailability",
            new { from = new DateOnly(2027, 6, 7), to = new DateOnly(2027, 6, 18), reason = $"Away {said}" });
        Ok(period, "unavailability");
        var period2 = await hr.Api.PostJsonAsync($"/api/v1/people/{leader.Id}/unavailability",
            new { from = new DateOnly(2027, 7, 5), to = new DateOnly(2027, 7, 9), reason = $"Away again {said}" });
        Ok(period2, "a second unavailable period");
        var feed = await leaderApi.PostAsync("/api/v1/me/calendar/renew", null);
        Ok(feed, "calendar feed");
        var url = (await feed.ReadJsonAsync()).GetProperty("url").GetString()!;

        return new Circle(leader, manager, host, stint.Id, review, (await draft.ReadJsonAsync()).GetProperty("id").GetGuid(),
            (await period.ReadJsonAsync()).GetProperty("id").GetGuid(), (await period2.ReadJsonAsync()).GetProperty("id").GetGuid(),
            await NotificationAsync(app, leader.Id, stint.Id, $"Digest {said}"),
            url[(url.LastIndexOf('/') + 1)..^".ics".Length]);
    }

    private static Task<Guid> NotificationAsync(RotationsApp app, Guid recipient, Guid? stint, string body) =>
        app.WithDbAsync(async db =>
        {
            var n = new Notification
            {
                RecipientId = recipient, Kind = NotificationKind.WeeklyDigest, StintId = stint, Occurrence = new DateOnly(2027, 3, 8),
                DueAt = app.Clock.GetUtcNow().AddHours(-2), CreatedAt = app.Clock.GetUtcNow().AddHours(-2), Body = body == "" ? "Nothing this week." : body,
            };
            db.Notifications.Add(n);
            await db.SaveChangesAsync();
            return n.Id;
        });

    private static async Task<Caller> CallerAsync(RotationsApp app, Who role, Person person)
    {
        var browser = await app.SignInAsync(person.Email!);
        var token = RotationsApp.AntiforgeryToken(await (await browser.GetAsync("/Account/ChangePassword")).Content.ReadAsStringAsync())
            ?? throw new InvalidOperationException($"no anti-forgery token for {role}");
        // The API client follows no redirects either: an API must answer, not send the caller to a page.
        var api = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        api.DefaultRequestHeaders.Authorization = (await app.ApiClientAsync(person.Email!)).DefaultRequestHeaders.Authorization;
        return new Caller(role, person, api, browser, token);
    }

    private static void Ok(HttpResponseMessage response, string what) =>
        Assert.True(response.IsSuccessStatusCode, $"setting up the matrix: {what} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
}

/// <summary>
/// A fingerprint of every data table: one md5 over each table's rows, read in one query. Comparing two says which
/// tables changed in between.
/// </summary>
public static class DataSnapshot
{
    /// <summary>Tables left out of every "nothing changed" comparison, each with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> Excluded = new Dictionary<string, string>
    {
        ["data_protection_keys"] = "the key ring: ASP.NET Core may write a key on first use, which is not a change of the programme's data",
        ["audit_entries"] = "the audit trail records authorization failures and sign-in attempts (migration 0010): a refused request is meant to leave a row there",
        ["sign_in_attempts"] = "the sign-in throttle's count of attempts: signing the callers in writes there, by design",
        ["sign_in_sessions"] = "the cookie sessions: a request renews its own session's expiry (sliding expiration); a session is the caller's, not the programme's data",
        ["quartz.*"] = "Quartz's own tables (qrtz_*): the scheduler's state, fire times and execution history, not the programme's data",
    };

    public static async Task<Dictionary<string, string>> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        tables.RemoveAll(Excluded.ContainsKey);

        var sql = string.Join(" union all ", tables.Select(t =>
            $"select '{t}', md5(coalesce(string_agg(x.r, '|' order by x.r), '')) from (select t::text as r from \"{t}\" t) x"));
        var result = new Dictionary<string, string>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync()) result[rows.GetString(0)] = rows.GetString(1);
        return result;
    }

    public static IReadOnlyList<string> Changed(Dictionary<string, string> before, Dictionary<string, string> after) =>
        before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k)).Order().ToList();
}
