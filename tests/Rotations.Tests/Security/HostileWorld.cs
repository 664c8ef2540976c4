using System.Net;
using System.Net.Http.Json;
using Rotations.Tests.Readiness;
using Rotations.Tests.Reflections;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;

namespace Rotations.Tests.Security;

/// <summary>
/// Real records for every route parameter of the write endpoints, and a caller allowed to use each: a leader with
/// a manager, a host and a stint (CONTACT, Feb–Mar 2027, clock on 10 March 2027), the leader in a cohort with a plan,
/// a draft review, an unavailable period and a notification; a tour and a person of their own for HR to edit.
/// </summary>
public sealed record HostileWorld(
    HttpClient Hr, HttpClient Leader, HttpClient Manager, HttpClient Host, HttpClient Anonymous,
    Guid LeaderId, Guid ManagerId, Guid HostId, Guid StintId, Guid TourId, Guid CohortId, Guid PlanId, Guid ReviewId,
    Guid PeriodId, Guid NotificationId, Guid SparePersonId, Guid CompetencyId)
{
    public static async Task<HostileWorld> CreateAsync(RotationsApp app)
    {
        var cast = await app.CastAsync("hostile");
        var hr = await app.HrApiAsync();
        var cohort = await app.CohortAsync("Hostile");
        await app.JoinCohortAsync(cast.Leader.Id, cohort.Id);
        var tour = await app.NewTourAsync(capacity: 3);
        var spare = await app.QuietLeaderAsync("spare");

        var plan = await hr.PostAsJsonAsync("/api/v1/plans", new { cohortId = cohort.Id, from = new DateOnly(2027, 4, 5), to = new DateOnly(2027, 12, 31) }, ApiClients.Json);
        Assert.Equal(HttpStatusCode.Created, plan.StatusCode);
        var review = await cast.ManagerApi.OpenReviewAsync(cast.Leader.Id, "HeadOf");
        Assert.True(review.StatusCode == HttpStatusCode.Created, await review.Content.ReadAsStringAsync());
        var period = await hr.PostAsJsonAsync($"/api/v1/people/{cast.Leader.Id}/unavailability",
            new { from = new DateOnly(2027, 8, 2), to = new DateOnly(2027, 8, 13), reason = "Leave" }, ApiClients.Json);
        Assert.Equal(HttpStatusCode.Created, period.StatusCode);
        var notification = new Notification
        {
            RecipientId = cast.Leader.Id, Kind = NotificationKind.UpcomingStint, StintId = cast.Stint.Id,
            Occurrence = cast.Stint.StartDate, DueAt = ReflectionKit.AfterTheEnd, CreatedAt = ReflectionKit.AfterTheEnd,
        };
        await app.WithDbAsync(async db =>
        {
            db.Notifications.Add(notification);
            await db.SaveChangesAsync();
        });

        return new HostileWorld(hr, cast.LeaderApi, cast.ManagerApi, cast.HostApi, app.CreateClient(),
            cast.Leader.Id, cast.Manager.Id, cast.Host.Id, cast.Stint.Id, tour.Id, cohort.Id,
            (await plan.ReadJsonAsync()).GetProperty("id").GetGuid(), (await review.ReadJsonAsync()).GetProperty("id").GetGuid(),
            (await period.ReadJsonAsync()).GetProperty("id").GetGuid(), notification.Id, spare.Id, ReflectionKit.CustomerInsight);
    }
}
