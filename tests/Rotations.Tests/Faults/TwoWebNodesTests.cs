using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Planning;
using Rotations.Web.Infrastructure.Email;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Faults;

/// <summary>
/// Two real app processes (the built binary, each on its own port) started together on one fresh database,
/// both running the clustered scheduler, mail going to a real SMTP server; the data is seeded in-process.
/// </summary>
public sealed class TwoWebNodes : IAsyncLifetime
{
    /// <summary>Short so the deactivation test need not wait the production minute (the default is proven apart).</summary>
    public const int RecheckSeconds = 2;

    public SchedulingApp Seed { get; } = new();
    public SmtpSink Mail { get; private set; } = null!;
    public WebNode First { get; private set; } = null!;
    public WebNode Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Seed.InitializeAsync();
        Mail = await SmtpSink.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            [SchedulerExtensions.EnabledKey] = "on",
            [AccountExtensions.SessionRecheckKey] = RecheckSeconds.ToString(),
            [EmailSettings.SmtpHostKey] = "127.0.0.1",
            [EmailSettings.SmtpPortKey] = Mail.Port.ToString(),
            [EmailSettings.SmtpTlsKey] = "false",
        };
        // Started at the same moment on a database with no key ring yet: each may create the first key.
        var starting = new[] { WebNode.StartAsync(Seed.ConnectionString, settings), WebNode.StartAsync(Seed.ConnectionString, settings) };
        try { await Task.WhenAll(starting); }
        catch
        {
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully)) await node.Result.DisposeAsync();
            throw;
        }
        (First, Second) = (starting[0].Result, starting[1].Result);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(First.DisposeAsync().AsTask(), Second.DisposeAsync().AsTask());
        await Mail.DisposeAsync();
        await Seed.DisposeDatabaseAsync();
    }
}

public sealed class TwoWebNodesTests(TwoWebNodes nodes) : IClassFixture<TwoWebNodes>
{
    private static readonly Guid Contact = new("00000000-0000-0000-0000-0000000b0003");
    private SchedulingApp Seed => nodes.Seed;

    [Fact]
    public async Task A_cookie_and_a_bearer_token_issued_by_one_node_are_accepted_by_the_other()
    {
        var leader = await Seed.CreatePersonAsync(TestData.UniqueEmail("two-nodes-lena"), Roles.Leader);
        foreach (var (issuer, other) in new[] { (nodes.First, nodes.Second), (nodes.Second, nodes.First) })
        {
            var cookies = new CookieContainer();
            using (await issuer.SignInAsync(leader.Email!, cookies)) { }
            using var browser = other.Client(cookies);
            var home = await browser.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(leader.DisplayName), await home.Content.ReadAsStringAsync());

            using var api = other.BearerClient(await issuer.TokenAsync(leader.Email!));
            var me = await api.GetAsync($"/api/v1/people/{leader.Id}");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal(leader.Id, (await me.ReadJsonAsync()).GetProperty("id").GetGuid());
        }
        var keys = await Seed.WithDbAsync(db => db.DataProtectionKeys.CountAsync());
        Assert.InRange(keys, 1, 2); // one key, or one each when both nodes made the first key at the same moment
    }

    [Fact]
    public async Task A_plan_committed_on_both_nodes_at_the_same_moment_is_applied_once()
    {
        var cohort = await Seed.CohortAsync("two-nodes");
        var leaders = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            var leader = await Seed.QuietLeaderAsync($"two-nodes-commit{i}");
            await Seed.JoinCohortAsync(leader.Id, cohort.Id);
            leaders.Add(leader.Id);
        }
        var hr = await Seed.CreatePersonAsync(TestData.UniqueEmail("two-nodes-hr"), Roles.HR);
        var token = await nodes.First.TokenAsync(hr.Email!);
        using var first = nodes.First.BearerClient(token);
        using var second = nodes.Second.BearerClient(token);
        var created = await first.PostAsJsonAsync("/api/v1/plans", new { cohortId = cohort.Id, from = "2027-01-04", to = "2027-12-31" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var plan = await created.ReadJsonAsync();
        var id = plan.GetProperty("id").GetGuid();
        var items = plan.GetProperty("assignments").GetArrayLength();
        Assert.True(items >= 2, $"{items} items planned");
        // Both connections are warm, so the two commits leave at the same moment.
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync($"/api/v1/plans/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync($"/api/v1/plans/{id}")).StatusCode);

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commits = new[] { first, second }.Select(client => Task.Run(async () =>
        {
            await go.Task;
            return await client.PostAsync($"/api/v1/plans/{id}/commit", null);
        })).ToList();
        go.SetResult();
        var answers = await Task.WhenAll(commits);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var refused = answers.Single(a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("committed already", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(items, await Seed.WithDbAsync(db => db.Stints.CountAsync(s => leaders.Contains(s.LeaderId))));
        Assert.Equal(PlanStatus.Committed, await Seed.WithDbAsync(db => db.Plans.Where(p => p.Id == id).Select(p => p.Status).SingleAsync()));
    }

    [Fact]
    public async Task Each_due_reminder_is_emailed_once_with_both_schedulers_running_even_when_both_nodes_run_the_jobs_at_once()
    {
        var host = await Seed.PersonInAsync("Two Nodes Host", "Etc/UTC", Roles.Host);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var stints = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var leader = await Seed.PersonInAsync($"Two Nodes Leader {i}", i % 2 == 0 ? "Etc/UTC" : "Europe/London", Roles.Leader);
            // Started a few days ago: its upcoming and start reminders are due (past, within the sweep's lookback).
            stints.Add((await Seed.StintAsync(leader.Id, Contact, host.Id, today.AddDays(-2 - i), today.AddDays(20))).Id);
        }
        var admin = await Seed.CreatePersonAsync(TestData.UniqueEmail("two-nodes-jobs"), Roles.Admin);
        // The seeding app hashes passwords cheaply; the first password check on a node upgrades the hash, and
        // Identity gives every upgrade a new security stamp, which would end a session signed in beside it.
        await nodes.First.TokenAsync(admin.Email!);
        var pages = new[] { nodes.First, nodes.Second };
        var browsers = await Task.WhenAll(pages.Select(n => n.SignInAsync(admin.Email!, new CookieContainer())));
        // Sessions of a person who did not change outlive the recheck on both nodes.
        await Task.Delay(TimeSpan.FromSeconds(TwoWebNodes.RecheckSeconds + 0.5));
        foreach (var b in browsers)
        {
            var jobsPage = await b.GetAsync("/Admin/Jobs");
            Assert.True(jobsPage.StatusCode == HttpStatusCode.OK, $"/Admin/Jobs answered {(int)jobsPage.StatusCode} {jobsPage.Headers.Location}");
        }

        async Task RunOnBothAsync(RecurringJob job)
        {
            var answers = await Task.WhenAll(browsers.Select(b =>
                RotationsApp.PostFormAsync(b, "/Admin/Jobs?handler=Trigger", new() { ["job"] = job.Key.Name }, formPath: "/Admin/Jobs")));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.Redirect, a.StatusCode));
        }

        await RunOnBothAsync(RotationsJobs.ReminderSweep);
        var outbox = await EventuallyAsync(async () =>
        {
            var rows = await Seed.WithDbAsync(db => db.EmailOutbox.AsNoTracking()
                .Where(m => m.NotificationId != null && db.Notifications.Any(n => n.Id == m.NotificationId && stints.Contains(n.StintId!.Value)))
                .Select(m => m.MessageId).ToListAsync());
            return rows.Count >= stints.Count ? rows : null;
        }, "the reminders of every stint to be queued");
        await RunOnBothAsync(RotationsJobs.OutboxDelivery);
        await EventuallyAsync(async () =>
        {
            var got = nodes.Mail.Received().Count(m => outbox.Contains(m.MessageId));
            return got >= outbox.Count ? (object)got : null;
        }, $"{outbox.Count} reminder emails to arrive");

        // Both nodes run both jobs again: nothing is created or sent twice.
        await RunOnBothAsync(RotationsJobs.ReminderSweep);
        await RunOnBothAsync(RotationsJobs.OutboxDelivery);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var notifications = await Seed.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => stints.Contains(n.StintId!.Value)).ToListAsync());
        Assert.Equal(notifications.Count, notifications.Select(n => (n.Kind, n.RecipientId, n.StintId, n.Occurrence)).Distinct().Count());
        var queued = await Seed.WithDbAsync(db => db.EmailOutbox.AsNoTracking()
            .Where(m => m.NotificationId != null && db.Notifications.Any(n => n.Id == m.NotificationId && stints.Contains(n.StintId!.Value)))
            .Select(m => m.MessageId).ToListAsync());
        Assert.Equal(outbox.Order(), queued.Order());
        var received = nodes.Mail.Received().Where(m => queued.Contains(m.MessageId)).Select(m => m.MessageId).ToList();
        Assert.Equal(queued.Order(), received.Order()); // every one, each once
        foreach (var browser in browsers) browser.Dispose();
    }

    [Fact]
    public async Task A_person_deactivated_on_one_node_is_refused_on_the_other_within_the_recheck_interval()
    {
        var leader = await Seed.CreatePersonAsync(TestData.UniqueEmail("two-nodes-leaving"), Roles.Leader);
        var hr = await Seed.CreatePersonAsync(TestData.UniqueEmail("two-nodes-hr2"), Roles.HR);
        var cookies = new CookieContainer();
        using (await nodes.First.SignInAsync(leader.Email!, cookies)) { }
        using var browser = nodes.Second.Client(cookies);
        using var api = nodes.Second.BearerClient(await nodes.First.TokenAsync(leader.Email!));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/people/{leader.Id}")).StatusCode);

        using var hrApi = nodes.First.BearerClient(await nodes.First.TokenAsync(hr.Email!));
        Assert.Equal(HttpStatusCode.OK, (await hrApi.PostAsync($"/api/v1/people/{leader.Id}/deactivate", null)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(TwoWebNodes.RecheckSeconds + 0.5));

        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/Account/Login", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync($"/api/v1/people/{leader.Id}")).StatusCode);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(40);
        while (DateTime.UtcNow < until)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(250);
        }
        throw new TimeoutException($"Waited 40 s for {what}.");
    }
}
