using System.Net;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Scheduler;
using Microsoft.Extensions.DependencyInjection;

namespace Rotations.Tests.Jobs;

/// <summary>
/// Who may use the jobs page, and that its actions need the anti-forgery token. The scheduler is off here, as on a
/// web-only node: the page still reads and manages the cluster through the database. Other roles are sent to the
/// access-denied page (the pages' convention); the API answers them 403.
/// </summary>
public sealed class JobsPageAccessTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.HR)]
    public async Task JobsPage_ForAdminAndHR_ShowsTheJobsAndTheOutbox(string role)
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail(role), role);
        var browser = await app.SignInAsync(person.Email!);

        var response = await browser.GetAsync("/Admin/Jobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        foreach (var job in RotationsJobs.All)
            Assert.NotNull(page.QuerySelector($"#job-{job.Key.Name}"));
        Assert.NotNull(page.QuerySelector("#outbox-counts"));
        Assert.Contains("ROTATIONS_SCHEDULER=off", page.Body!.Text());
        Assert.NotNull(page.QuerySelector("nav a[href='/Admin/Jobs']"));
    }

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Host)]
    public async Task JobsPage_ForOtherRoles_IsForbidden(string role)
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail(role), role);
        var browser = await app.SignInAsync(person.Email!);

        var page = await browser.GetAsync("/Admin/Jobs");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var home = await (await browser.GetAsync("/")).ReadHtmlAsync();
        Assert.Null(home.QuerySelector("nav a[href='/Admin/Jobs']"));

        var api = await app.ApiClientAsync(person.Email!);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/jobs")).StatusCode);
    }

    [Fact]
    public async Task JobsPage_Anonymous_IsSentToSignIn()
    {
        var response = await app.CreateBrowser().GetAsync("/Admin/Jobs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/jobs")).StatusCode);
    }

    [Fact]
    public async Task JobsPage_PostWithoutTheAntiforgeryToken_IsRefused_AndPausesNothing()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);

        var response = await browser.PostAsync("/Admin/Jobs?handler=Pause",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["job"] = RotationsJobs.ReminderSweep.Key.Name }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Quartz.TriggerState.Normal, await app.Scheduler().GetTriggerState(RotationsJobs.ReminderSweep.Trigger));
    }

    [Fact]
    public async Task JobsPage_UnknownJob_Is404()
    {
        var admin = await app.CreatePersonAsync(TestData.UniqueEmail("admin"), Roles.Admin);
        var browser = await app.SignInAsync(admin.Email!);

        var response = await RotationsApp.PostFormAsync(browser, "/Admin/Jobs?handler=Trigger", new() { ["job"] = "no-such-job" }, formPath: "/Admin/Jobs");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Outbox_CountsEachStatus_AndListsFailedEmailsWithARetryButton()
    {
        var admin = await app.CreatePersonAsync(TestData.UniqueEmail("admin"), Roles.Admin);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RotationsDbContext>();
            db.EmailOutbox.RemoveRange(db.EmailOutbox);
            foreach (var (status, error) in new[] { (EmailStatus.Pending, (string?)null), (EmailStatus.Sent, null), (EmailStatus.Sent, null), (EmailStatus.Failed, "550 mailbox unavailable"), (EmailStatus.Cancelled, null) })
            {
                var id = Guid.CreateVersion7();
                db.EmailOutbox.Add(new EmailMessage
                {
                    Id = id, Kind = EmailKind.Invitation, RecipientId = admin.Id, ToAddress = admin.Email!,
                    MessageId = EmailMessage.NewMessageId(id, "test.example"), Status = status, LastError = error,
                    Attempts = status == EmailStatus.Failed ? 5 : 0, NextAttemptAt = DateTimeOffset.UtcNow,
                });
            }
            await db.SaveChangesAsync();
        }
        var browser = await app.SignInAsync(admin.Email!);

        var page = await (await browser.GetAsync("/Admin/Jobs")).ReadHtmlAsync();

        Assert.Equal("1 pending 2 sent 1 failed 1 cancelled", page.QuerySelector("#outbox-counts")!.Text());
        var row = Assert.Single(page.QuerySelectorAll("#failed-emails tbody tr"));
        Assert.Contains("550 mailbox unavailable", row.Text());
        Assert.Contains(admin.Email!, row.Text());
        Assert.NotNull(row.QuerySelector("form[method='post'] button"));
    }
}
