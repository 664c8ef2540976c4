using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Reflections;

/// <summary>A reflection or feedback that waits for someone, with the day it is due.</summary>
public sealed record LearningTask(Guid StintId, Guid LeaderId, string LeaderName, string TourCode, string TourName, DateOnly StartDate, DateOnly EndDate,
    DateOnly DueOn, bool Started, bool Overdue);

/// <summary>A report's reflection submitted lately, for their manager to read.</summary>
public sealed record SubmittedReflection(Guid StintId, string LeaderName, string TourCode, string TourName, DateTimeOffset SubmittedAt, bool OnTime);

public sealed record LearningTasksDto(
    IReadOnlyList<LearningTask> ReflectionsToWrite, IReadOnlyList<LearningTask> FeedbackToGive,
    IReadOnlyList<SubmittedReflection> ReportsToRead, IReadOnlyList<LearningTask> ReportsOverdue)
{
    public bool IsEmpty => ReflectionsToWrite.Count == 0 && FeedbackToGive.Count == 0 && ReportsToRead.Count == 0 && ReportsOverdue.Count == 0;
}

/// <summary>
/// What waits for the signed-in person, so that nobody has to chase anyone: the leader's reflections that
/// are open (stint begun, not submitted), the host's feedback that is open (last week of the stint on, not
/// submitted), and for a manager their reports' reflections submitted in the last 30 days and the overdue ones.
/// Only the person's own records and their reports' are read; a fixed handful of queries whatever the numbers.
/// </summary>
public sealed class LearningTasks(RotationsDbContext db, TimeProvider clock)
{
    /// <summary>Open items older than this are left to the learning log: the home page lists what is current.</summary>
    public const int LookBackDays = 120;
    public const int RecentDays = 30;
    public const int MaxItems = 10;

    public async Task<LearningTasksDto> ForAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var me = user.PersonId();
        var today = clock.Today();
        var since = today.AddDays(-LookBackDays);
        var overdueDays = await db.ReminderSettings.AsNoTracking().Select(s => s.OverdueDays).SingleAsync(ct);
        // Feedback opens in the last week of a stint (StintCircle.SubmitOpensOn); a reflection is overdue the day after it was due.
        var feedbackOpen = today.AddDays(6);
        // A reflection is due on ReflectionService.DueOn (the day before the overdue reminder); overdue after that.
        var dueAfterEnd = ReflectionService.DueOn(today, overdueDays).DayNumber - today.DayNumber;
        var overdueBefore = ReflectionService.OverdueIfEndedBefore(today, overdueDays);
        var open = db.Stints.AsNoTracking().Where(s => s.CancelledAt == null && s.EndDate >= since);

        var toWrite = user.IsInRole(Roles.Leader)
            ? await Tasks(open.Where(s => s.LeaderId == me && s.StartDate <= today
                    && !db.Reflections.Any(r => r.StintId == s.Id && r.SubmittedAt != null)), today, dueAfterEnd, ct)
            : [];
        var toGive = user.IsInRole(Roles.Host)
            ? await Tasks(open.Where(s => s.HostId == me && s.EndDate <= feedbackOpen
                    && !db.HostFeedback.Any(f => f.StintId == s.Id && f.SubmittedAt != null)), today, 0, ct)
            : [];

        IReadOnlyList<SubmittedReflection> toRead = [];
        IReadOnlyList<LearningTask> overdue = [];
        if (user.IsInRole(Roles.Manager))
        {
            var recent = clock.GetUtcNow().AddDays(-RecentDays);
            toRead = await (from r in db.Reflections.AsNoTracking()
                            join s in db.Stints on r.StintId equals s.Id
                            where s.Leader!.ManagerId == me && s.CancelledAt == null && r.SubmittedAt != null && r.SubmittedAt >= recent
                            orderby r.SubmittedAt descending
                            select new SubmittedReflection(s.Id, s.Leader!.DisplayName, s.Tour!.Code, s.Tour.Name, r.SubmittedAt!.Value, r.OnTime == true))
                .Take(MaxItems).ToListAsync(ct);
            overdue = (await Tasks(open.Where(s => s.Leader!.ManagerId == me && s.EndDate < overdueBefore
                    && !db.Reflections.Any(r => r.StintId == s.Id && r.SubmittedAt != null)), today, dueAfterEnd, ct))
                .Where(t => t.Overdue).ToList();
        }
        return new LearningTasksDto(toWrite, toGive, toRead, overdue);
    }

    private static async Task<IReadOnlyList<LearningTask>> Tasks(IQueryable<Stint> stints, DateOnly today, int dueAfterEnd, CancellationToken ct)
    {
        var rows = await stints.OrderBy(s => s.EndDate).Take(MaxItems)
            .Select(s => new { s.Id, s.LeaderId, s.Leader!.DisplayName, s.Tour!.Code, s.Tour.Name, s.StartDate, s.EndDate })
            .ToListAsync(ct);
        return rows.Select(s => new LearningTask(s.Id, s.LeaderId, s.DisplayName, s.Code, s.Name, s.StartDate, s.EndDate,
            s.EndDate.AddDays(dueAfterEnd), s.StartDate <= today, s.EndDate.AddDays(dueAfterEnd) < today)).ToList();
    }
}
