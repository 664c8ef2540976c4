using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Scheduling;

public enum CoverageState
{
    NotYet,
    Booked,
    InProgress,
    Done,
}

/// <summary>Where a leader stands with one tour of the catalogue.</summary>
public sealed record TourCoverage(Guid TourId, string Code, string Name, CoverageState State, string Detail, Guid? StintId)
{
    public string StateText => State switch
    {
        CoverageState.Done => "Done",
        CoverageState.InProgress => "In progress",
        CoverageState.Booked => "Booked",
        _ => "Not yet",
    };

    public string StateClass => State switch
    {
        CoverageState.Done => "tag--done",
        CoverageState.InProgress => "tag--in-progress",
        CoverageState.Booked => "tag--booked",
        _ => "tag--not-yet",
    };
}

public sealed record LeaderPlan(
    Guid LeaderId, string Name, string? Cohort, Level? CurrentLevel, Level? TargetLevel, string? ManagerName,
    IReadOnlyList<StintDto> Stints, IReadOnlyList<TourCoverage> Coverage)
{
    public int WeeksDone => Stints.Where(s => s.Status == StintStatus.Completed).Sum(s => s.Days) / 7;
    public int ToursDone => Coverage.Count(c => c.State == CoverageState.Done);
    public int ToursStartedOrBooked => Coverage.Count(c => c.State != CoverageState.NotYet);
}

/// <summary>How the plan partial is shown: to whom, and what they may do from it.</summary>
public sealed record PlanView(LeaderPlan Plan, bool IsSelf, bool CanBook);

/// <summary>
/// A leader's plan: their stints in order, and where they stand with every tour of the catalogue.
/// HR and Admin, the leader's manager and the leader themself may read it; for anyone else it does not exist.
/// </summary>
public sealed class PlanQueries(RotationsDbContext db, TimeProvider clock)
{
    public async Task<LeaderPlan?> ForAsync(Guid leaderId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var leaderRole = db.Roles.Where(r => r.Name == Roles.Leader).Select(r => r.Id);
        var person = await db.Users.AsNoTracking().Where(p => p.Id == leaderId)
            .Select(p => new
            {
                p.Id, p.DisplayName, p.ManagerId, ManagerName = p.Manager!.DisplayName,
                Cohort = p.LeaderProfile!.Cohort!.Name,
                Current = (Level?)p.LeaderProfile!.CurrentLevel, Target = (Level?)p.LeaderProfile!.TargetLevel,
                IsLeader = db.UserRoles.Any(ur => ur.UserId == p.Id && leaderRole.Contains(ur.RoleId)),
                HasStints = db.Stints.Any(s => s.LeaderId == p.Id),
            })
            .SingleOrDefaultAsync(ct);
        if (person is null || !(person.IsLeader || person.HasStints)) return null;
        var me = user.PersonId();
        var allowed = user.SeesAllStints() || person.Id == me || (user.IsInRole(Roles.Manager) && person.ManagerId == me);
        if (!allowed) return null;

        var today = clock.Today();
        var stints = await StintQueries.Project(db.Stints.AsNoTracking().VisibleTo(user)
                .Where(s => s.LeaderId == leaderId).OrderBy(s => s.StartDate).ThenBy(s => s.CreatedAt), today)
            .ToListAsync(ct);
        var tours = await db.Tours.AsNoTracking().Where(t => !t.IsRetired).OrderBy(t => t.Name)
            .Select(t => new { t.Id, t.Code, t.Name }).ToListAsync(ct);
        var coverage = tours.Select(t => Cover(t.Id, t.Code, t.Name, stints.Where(s => s.TourId == t.Id && s.Status != StintStatus.Cancelled).ToList()))
            .ToList();

        return new LeaderPlan(person.Id, person.DisplayName, person.Cohort, person.Current, person.Target, person.ManagerName, stints, coverage);
    }

    private static TourCoverage Cover(Guid tourId, string code, string name, IReadOnlyList<StintDto> stints)
    {
        var done = stints.Where(s => s.Status == StintStatus.Completed).ToList();
        var current = stints.FirstOrDefault(s => s.Status == StintStatus.InProgress);
        var next = stints.FirstOrDefault(s => s.Status is StintStatus.Planned or StintStatus.Confirmed);
        var nextText = next is null ? "" : $"booked {StintDisplay.Dates(next.StartDate, next.EndDate)}";
        if (done.Count > 0)
        {
            var detail = $"{ClockExtensions.DescribeDays(done.Sum(s => s.Days))}, ended {StintDisplay.Date(done[^1].EndDate)}";
            if (current is not null) detail += $"; again now, until {StintDisplay.Date(current.EndDate)}";
            else if (next is not null) detail += $"; {nextText}";
            return new TourCoverage(tourId, code, name, CoverageState.Done, detail, done[^1].Id);
        }
        if (current is not null)
            return new TourCoverage(tourId, code, name, CoverageState.InProgress, $"until {StintDisplay.Date(current.EndDate)}", current.Id);
        if (next is not null)
            return new TourCoverage(tourId, code, name, CoverageState.Booked,
                $"{StintDisplay.Dates(next.StartDate, next.EndDate)}{(next.Status == StintStatus.Confirmed ? ", confirmed" : "")}", next.Id);
        return new TourCoverage(tourId, code, name, CoverageState.NotYet, "nothing booked", null);
    }
}
