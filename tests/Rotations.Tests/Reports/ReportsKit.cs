using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Feedback;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Readiness;
using Rotations.Web.Features.Reflections;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Reports;

/// <summary>Leaders in cohorts with target levels, stints, reflections, feedback and readiness reviews written straight to the tables.</summary>
public static class ReportsKit
{
    /// <summary>Wednesday 16 June 2027, noon UTC: "today" for every report test.</summary>
    public static readonly DateTimeOffset Now = new(2027, 6, 16, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    public static readonly Guid Sales = new("00000000-0000-0000-0000-0000000b0001");
    public static readonly Guid Contact = new("00000000-0000-0000-0000-0000000b0003");
    public static readonly Guid Field = new("00000000-0000-0000-0000-0000000b0004");
    public static readonly Guid Exec = new("00000000-0000-0000-0000-0000000b0011");

    /// <summary>A leader who never signs in, in the cohort, aiming for <paramref name="target"/>.</summary>
    public static async Task<Person> LeaderInAsync(this RotationsApp app, Guid? cohortId, Level target = Level.HeadOf, string name = "lena", Guid? managerId = null)
    {
        var leader = await app.QuietLeaderAsync(name, managerId);
        await app.WithDbAsync(async db =>
        {
            db.LeaderProfiles.Add(new LeaderProfile { PersonId = leader.Id, CohortId = cohortId, CurrentLevel = Level.Manager, TargetLevel = target });
            await db.SaveChangesAsync();
        });
        return leader;
    }

    public static Task SetNameAsync(this RotationsApp app, Guid personId, string name) =>
        app.WithDbAsync(db => db.Users.Where(p => p.Id == personId).ExecuteUpdateAsync(u => u.SetProperty(p => p.DisplayName, name)));

    public static Task CancelAsync(this RotationsApp app, Guid stintId) =>
        app.WithDbAsync(db => db.Stints.Where(s => s.Id == stintId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.CancelledAt, Now.AddDays(-100)).SetProperty(s => s.CancelReason, "Moved")));

    /// <summary>A submitted reflection, on time or late.</summary>
    public static Task ReflectAsync(this RotationsApp app, Stint stint, bool onTime) =>
        app.WithDbAsync(async db =>
        {
            var due = stint.EndDate.AddDays(7);
            var at = (onTime ? due.AddDays(-2) : due.AddDays(3)).ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc);
            db.Reflections.Add(new Reflection { StintId = stint.Id, SubmittedAt = at, Revision = 1, DueOn = due, OnTime = onTime, CreatedAt = at, UpdatedAt = at });
            await db.SaveChangesAsync();
        });

    public static Task FeedbackAsync(this RotationsApp app, Stint stint, Guid hostId, int engagement, int curiosity, int collaboration, int impact) =>
        app.WithDbAsync(async db =>
        {
            db.HostFeedback.Add(new HostFeedback
            {
                StintId = stint.Id, AuthorId = hostId, Engagement = engagement, Curiosity = curiosity, Collaboration = collaboration, Impact = impact,
                SubmittedAt = Now.AddDays(-1), CreatedAt = Now.AddDays(-2), UpdatedAt = Now.AddDays(-1),
            });
            await db.SaveChangesAsync();
        });

    /// <summary>A submitted (or returned) review; <paramref name="label"/> is the band's words at submission.</summary>
    public static Task<ReadinessReview> ReviewAsync(this RotationsApp app, Guid leaderId, Guid reviewerId, Level level, string decision, string label,
        DateTimeOffset submittedAt, ReviewStatus status = ReviewStatus.Submitted) =>
        app.WithDbAsync(async db =>
        {
            var review = new ReadinessReview
            {
                LeaderId = leaderId, AuthorId = reviewerId, Level = level, Status = status, Decision = decision, DecisionLabel = label,
                Rationale = "Evidence from the stints.", CreatedAt = submittedAt.AddDays(-1), UpdatedAt = submittedAt,
                SubmittedAt = submittedAt, SubmittedById = reviewerId,
                ReturnedAt = status == ReviewStatus.Returned ? submittedAt.AddDays(1) : null,
                ReturnedById = status == ReviewStatus.Returned ? reviewerId : null,
                ReturnComment = status == ReviewStatus.Returned ? "Calibrate against the others." : null,
            };
            db.ReadinessReviews.Add(review);
            await db.SaveChangesAsync();
            return review;
        });

    public static Task<Person> ReviewerAsync(this RotationsApp app) => app.PersonInAsync("Rhea Reviewer", "Europe/London", Roles.Manager);

    /// <summary>Weeks before or after <see cref="Today"/>, on a Monday … Friday.</summary>
    public static DateOnly WeeksFromToday(int weeks) => Today.AddDays(-2 + 7 * weeks); // 14 June 2027 is a Monday
}
