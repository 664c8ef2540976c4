using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Reminders;

namespace Rotations.Tests.Reflections;

/// <summary>
/// The reflection through the API: drafts any number of times, a submission with its time and whether it was on
/// time, versions for every change after, and clear errors that name the field while nothing half-written stays.
/// </summary>
public sealed class ReflectionApiTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static string[] ErrorKeys(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();

    [Fact]
    public async Task A_draft_is_saved_again_and_again_then_submitted_on_time_and_changes_after_become_versions()
    {
        var cast = await app.CastAsync("draft");
        var empty = await cast.LeaderApi.GetAsync(cast.Reflection);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var start = await empty.ReadJsonAsync();
        Assert.Equal("NotStarted", start.GetProperty("status").GetString());
        Assert.Equal("2027-03-11", start.GetProperty("dueOn").GetString());
        Assert.Equal("Listen to twenty calls.", start.GetProperty("objectives").GetString());
        Assert.NotEqual("", start.GetProperty("outsideInLens").GetString());
        Assert.True(start.GetProperty("canSubmit").GetBoolean());

        var first = await cast.LeaderApi.PutJsonAsync(cast.Reflection, new { customerSide = "  First notes.\r\nSecond line.  " });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!.Tag;
        var draft = await first.ReadJsonAsync();
        Assert.Equal("Draft", draft.GetProperty("status").GetString());
        Assert.Equal("First notes.\nSecond line.", draft.GetProperty("customerSide").GetString());

        // Saved again from the same tab (its ETag), then a save from an old tab is refused and changes nothing.
        var second = await cast.LeaderApi.PutJsonAsync(cast.Reflection, new { customerSide = "Better notes." }, etag);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var stale = await cast.LeaderApi.PutJsonAsync(cast.Reflection, new { customerSide = "From the old tab." }, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("Better notes.", (await (await cast.LeaderApi.GetAsync(cast.Reflection)).ReadJsonAsync()).GetProperty("customerSide").GetString());

        var submitted = await cast.LeaderApi.PostJsonAsync(cast.Reflection + "/submit", ReflectionKit.Complete());
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var done = await submitted.ReadJsonAsync();
        Assert.Equal("Submitted", done.GetProperty("status").GetString());
        Assert.True(done.GetProperty("onTime").GetBoolean());
        Assert.Equal(ReflectionKit.AfterTheEnd, done.GetProperty("submittedAt").GetDateTimeOffset(), TimeSpan.FromSeconds(5));
        Assert.Equal(1, done.GetProperty("revision").GetInt32());
        Assert.Equal("AHT", done.GetProperty("vocabulary")[0].GetProperty("term").GetString());
        Assert.Equal("Customer insight and storytelling", done.GetProperty("competencies")[0].GetProperty("competencyName").GetString());

        var again = await cast.LeaderApi.PostJsonAsync(cast.Reflection + "/submit", ReflectionKit.Complete());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // A week later the leader adds a sentence: version 2; the submission time stays.
        cast = await cast.AtAsync(app, ReflectionKit.AfterTheEnd.AddDays(7));
        var revised = await cast.LeaderApi.PutJsonAsync(cast.Reflection, ReflectionKit.Complete("Customers wait 14 minutes on Mondays. Fixed by Friday."));
        var after = await revised.ReadJsonAsync();
        Assert.Equal(2, after.GetProperty("revision").GetInt32());
        Assert.Equal(ReflectionKit.AfterTheEnd, after.GetProperty("submittedAt").GetDateTimeOffset(), TimeSpan.FromSeconds(5));
        Assert.Equal(["Submitted", "Revised"], after.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("kind").GetString()!).ToArray());

        // Saving the same text again is not a version.
        var same = await cast.LeaderApi.PutJsonAsync(cast.Reflection, ReflectionKit.Complete("Customers wait 14 minutes on Mondays. Fixed by Friday."));
        Assert.Equal(2, (await same.ReadJsonAsync()).GetProperty("revision").GetInt32());

        var v1 = await (await cast.ManagerApi.GetAsync(cast.Reflection + "/versions/1")).ReadJsonAsync();
        Assert.Equal("Customers wait 14 minutes on Mondays and call back twice.", v1.GetProperty("content").GetProperty("customerSide").GetString());
        var v2 = await (await cast.ManagerApi.GetAsync(cast.Reflection + "/versions/2")).ReadJsonAsync();
        Assert.Contains("Fixed by Friday", v2.GetProperty("content").GetProperty("customerSide").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await cast.ManagerApi.GetAsync(cast.Reflection + "/versions/3")).StatusCode);
    }

    [Fact]
    public async Task A_submission_after_the_due_date_is_marked_late_and_the_date_it_was_due_is_kept()
    {
        var cast = await (await app.CastAsync("late")).AtAsync(app, new DateTimeOffset(2027, 3, 13, 9, 0, 0, TimeSpan.Zero));
        var response = await cast.LeaderApi.PostJsonAsync(cast.Reflection + "/submit", ReflectionKit.Complete());
        var json = await response.ReadJsonAsync();
        Assert.False(json.GetProperty("onTime").GetBoolean());
        Assert.Equal("2027-03-11", json.GetProperty("dueOn").GetString());
        // The overdue offset changing later does not move a due date that is already kept.
        await app.WithDbAsync(async db =>
        {
            var settings = await db.ReminderSettings.SingleAsync();
            settings.OverdueDays = 30;
            await db.SaveChangesAsync();
        });
        try
        {
            var read = await (await cast.ManagerApi.GetAsync(cast.Reflection)).ReadJsonAsync();
            Assert.Equal("2027-03-11", read.GetProperty("dueOn").GetString());
            Assert.False(read.GetProperty("onTime").GetBoolean());
        }
        finally
        {
            await app.WithDbAsync(async db =>
            {
                (await db.ReminderSettings.SingleAsync()).OverdueDays = 7;
                await db.SaveChangesAsync();
            });
        }
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_each_field_and_nothing_is_stored()
    {
        var cast = await app.CastAsync("bad");
        var response = await cast.LeaderApi.PutJsonAsync(cast.Reflection, new
        {
            customerSide = new string('x', 20_001),
            vocabulary = new object[]
            {
                new { term = "", meaning = "A meaning without its term", customerMeaning = "" },
                new { term = "NPS", meaning = "Net promoter score", customerMeaning = "" },
                new { term = "nps", meaning = "Again", customerMeaning = "" },
                new { term = "", meaning = "", customerMeaning = "" }, // an empty row of the form: ignored
            },
            competencies = new object[]
            {
                new { competencyId = Guid.NewGuid(), evidence = "Unknown" },
                new { competencyId = ReflectionKit.CustomerInsight, evidence = "Once" },
                new { competencyId = ReflectionKit.CustomerInsight, evidence = "Twice" },
                new { evidence = "No id" },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal(
            ["competencies[0].competencyId", "competencies[2].competencyId", "competencies[3].competencyId", "customerSide", "vocabulary[0].term", "vocabulary[2].term"],
            ErrorKeys(problem));
        Assert.Contains("already in the list", problem.GetProperty("errors").GetProperty("vocabulary[2].term")[0].GetString());
        Assert.False(await app.WithDbAsync(db => db.Reflections.AnyAsync(r => r.StintId == cast.Stint.Id)));

        // Submitting an incomplete reflection names what is missing; the text sent is not saved either.
        var incomplete = await cast.LeaderApi.PostJsonAsync(cast.Reflection + "/submit", new
        {
            insideOut = "Dashboards everywhere.",
            vocabulary = new[] { new { term = "FCR", meaning = "", customerMeaning = "" } },
            competencies = new[] { new { competencyId = ReflectionKit.InternalEngagement, evidence = "" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Equal(["competencies[0].evidence", "customerSide", "vocabulary[0].customerMeaning", "vocabulary[0].meaning"], ErrorKeys(await incomplete.ReadJsonAsync()));
        Assert.False(await app.WithDbAsync(db => db.Reflections.AnyAsync(r => r.StintId == cast.Stint.Id)));

        var wrongType = await cast.LeaderApi.PutJsonAsync(cast.Reflection, new { customerSide = 12, vocabulary = "AHT" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
    }

    [Fact]
    public async Task The_reflection_opens_on_the_first_day_is_submitted_from_the_last_week_and_never_on_a_cancelled_stint()
    {
        var cast = await app.CastAsync("timing");
        cast = await cast.AtAsync(app, new DateTimeOffset(2027, 1, 29, 12, 0, 0, TimeSpan.Zero));
        var early = await cast.LeaderApi.PutJsonAsync(cast.Reflection, new { customerSide = "Not yet" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("Mon 1 Feb 2027", (await early.ReadJsonAsync()).GetProperty("detail").GetString());

        cast = await cast.AtAsync(app, new DateTimeOffset(2027, 2, 10, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(HttpStatusCode.OK, (await cast.LeaderApi.PutJsonAsync(cast.Reflection, ReflectionKit.Complete())).StatusCode);
        var tooSoon = await cast.LeaderApi.PostJsonAsync(cast.Reflection + "/submit", new { });
        Assert.Equal(HttpStatusCode.Conflict, tooSoon.StatusCode);
        Assert.Contains("Sat 27 Feb 2027", (await tooSoon.ReadJsonAsync()).GetProperty("detail").GetString());

        cast = await cast.AtAsync(app, new DateTimeOffset(2027, 2, 27, 8, 0, 0, TimeSpan.Zero));
        // No body: what is saved is submitted.
        var submit = await cast.LeaderApi.SendAsync(new HttpRequestMessage(HttpMethod.Post, cast.Reflection + "/submit"));
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);

        var other = await app.CastAsync("cancelled");
        await app.WithDbAsync(async db =>
        {
            var stint = await db.Stints.SingleAsync(s => s.Id == other.Stint.Id);
            stint.Cancel("Department reorganised", app.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        });
        var cancelled = await other.LeaderApi.PutJsonAsync(other.Reflection, ReflectionKit.Complete());
        Assert.Equal(HttpStatusCode.Conflict, cancelled.StatusCode);
    }

    [Fact]
    public async Task A_submitted_reflection_ends_the_overdue_and_escalation_reminders()
    {
        var cast = await app.CastAsync("reminders");
        await cast.LeaderApi.PostJsonAsync(cast.Reflection + "/submit", ReflectionKit.Complete());
        // Sweep at 09:00 London on the days the overdue (12 March) and escalation (19 March) reminders would go.
        await app.SweepAtAsync(ReminderTestData.Utc(2027, 3, 12, 9, 1));
        await app.SweepAtAsync(ReminderTestData.Utc(2027, 3, 19, 9, 1));
        var kinds = (await app.NotificationsForAsync(cast.Stint.Id)).Where(n => n.DroppedAt is null).Select(n => n.Kind).ToList();
        Assert.DoesNotContain(NotificationKind.ReflectionOverdue, kinds);
        Assert.DoesNotContain(NotificationKind.ReflectionEscalation, kinds);

        // Without a submission the same sweeps send both: the check above can fail.
        var control = await app.CastAsync("reminders-control");
        await app.SweepAtAsync(ReminderTestData.Utc(2027, 3, 12, 9, 1));
        await app.SweepAtAsync(ReminderTestData.Utc(2027, 3, 19, 9, 1));
        var controlKinds = (await app.NotificationsForAsync(control.Stint.Id)).Where(n => n.DroppedAt is null).Select(n => n.Kind).ToList();
        Assert.Contains(NotificationKind.ReflectionOverdue, controlKinds);
        Assert.Contains(NotificationKind.ReflectionEscalation, controlKinds);
    }

    [Fact]
    public void The_reminder_links_open_the_reflection_form_and_the_feedback_form()
    {
        var id = Guid.NewGuid();
        Assert.Equal($"/Stints/{id}/Reflection", NotificationText.LinkPath(NotificationKind.ReflectionDue, id));
        Assert.Equal($"/Stints/{id}/Reflection", NotificationText.LinkPath(NotificationKind.ReflectionOverdue, id));
        Assert.Equal($"/Stints/{id}/Reflection", NotificationText.LinkPath(NotificationKind.ReflectionEscalation, id));
        Assert.Equal($"/Stints/{id}/Feedback", NotificationText.LinkPath(NotificationKind.FeedbackRequested, id));
        Assert.Equal($"/Stints/{id}", NotificationText.LinkPath(NotificationKind.StintStarts, id));
    }
}
