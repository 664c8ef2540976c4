using System.Net;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Jobs;

/// <summary>The page's buttons against a running scheduler.</summary>
public sealed class JobsPageRunNowTests(SchedulerOnApp app) : IClassFixture<SchedulerOnApp>
{
    [Fact]
    public async Task RunNow_FiresTheJob_AndThePageShowsTheManualRunWithItsOutcome()
    {
        await app.StartedSchedulerAsync();
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);
        var job = RotationsJobs.OutboxDelivery;

        var response = await RotationsApp.PostFormAsync(browser, "/Admin/Jobs?handler=Trigger", new() { ["job"] = job.Key.Name }, formPath: "/Admin/Jobs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // Whatever the delivery service did, the run is recorded with its outcome; a failure carries its error.
        var run = await SchedulerTestKit.EventuallyAsync(async () =>
        {
            var r = await app.RunOfAsync(job.Key);
            return r.Manual ? r : null;
        }, "the manual run of the outbox delivery");
        Assert.True(run.Succeeded || run.ExceptionMessage is { Length: > 0 }, "a failed run without its error");
        var page = await (await browser.GetAsync("/Admin/Jobs")).ReadHtmlAsync();
        var firstRun = page.QuerySelector($"#job-{job.Key.Name} .jobs-runs tbody tr");
        Assert.NotNull(firstRun);
        Assert.Contains("run now", firstRun.Text());
        Assert.Contains(run.EffectiveResult.ToString(), firstRun.Text());
        Assert.Contains(app.Logs.Lines, l => l.Contains($"({hr.Email}) triggered the job {job.Key.Name}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PauseAndResume_ThroughThePage_FlipTheTrigger()
    {
        var scheduler = await app.StartedSchedulerAsync();
        var admin = await app.CreatePersonAsync(TestData.UniqueEmail("admin"), Roles.Admin);
        var browser = await app.SignInAsync(admin.Email!);
        var job = RotationsJobs.ReminderSweep;

        var paused = await RotationsApp.PostFormAsync(browser, "/Admin/Jobs?handler=Pause", new() { ["job"] = job.Key.Name }, formPath: "/Admin/Jobs");
        Assert.Equal(HttpStatusCode.Redirect, paused.StatusCode);
        Assert.Equal(Quartz.TriggerState.Paused, await scheduler.GetTriggerState(job.Trigger));
        var page = await (await browser.GetAsync("/Admin/Jobs")).ReadHtmlAsync();
        Assert.Contains("Paused", page.QuerySelector($"#job-{job.Key.Name} h2")!.Text());
        Assert.Contains(admin.Email!, page.QuerySelector($"#job-{job.Key.Name} .jobs-facts")!.Text());

        var resumed = await RotationsApp.PostFormAsync(browser, "/Admin/Jobs?handler=Resume", new() { ["job"] = job.Key.Name }, formPath: "/Admin/Jobs");
        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        Assert.Equal(Quartz.TriggerState.Normal, await scheduler.GetTriggerState(job.Trigger));
    }

    [Fact]
    public async Task JobsApi_ForHR_ListsTheNodeAndTheJobs()
    {
        await app.StartedSchedulerAsync();
        var (_, api) = await app.ApiPersonAsync("hr", Roles.HR);

        var json = await (await api.GetAsync("/api/v1/jobs")).ReadJsonAsync();

        Assert.True(json.GetProperty("runsJobsHere").GetBoolean());
        Assert.Contains(json.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("isThisNode").GetBoolean() && n.GetProperty("state").GetString() == "Alive");
        Assert.Equal(RotationsJobs.All.Select(j => j.Key.Name), json.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("name").GetString()));
    }
}
