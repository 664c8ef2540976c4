using Microsoft.EntityFrameworkCore;

namespace Rotations.Web.Features.Readiness;

/// <summary>Where a leader stands with one tour.</summary>
public enum CoverageStatus { Missing, Booked, InProgress, Done }

/// <summary>A stint as coverage needs it: which tour, when. Cancelled stints are left out before this.</summary>
public readonly record struct CoverageStint(Guid StintId, Guid LeaderId, Guid TourId, DateOnly StartDate, DateOnly EndDate);

/// <summary>
/// One leader and one tour: the best status reached (done beats in progress beats booked), the weeks served
/// on completed stints, and the stints behind it (for links).
/// </summary>
public sealed record TourCoverage(Guid TourId, CoverageStatus Status, int WeeksDone, IReadOnlyList<Guid> StintIds);

/// <summary>
/// Coverage of tours, computed the same way for a leader's readiness, the HR heatmap and the CSV export.
/// A stint is done once its last day has passed, in progress from its first day; weeks are whole weeks begun
/// (a Monday-to-Friday three-week stint counts three), so a stint booked as "3 weeks" counts as three.
/// </summary>
public static class Coverage
{
    public static int Weeks(DateOnly start, DateOnly end) => (end.DayNumber - start.DayNumber + 1 + 6) / 7;

    public static CoverageStatus StatusOf(CoverageStint s, DateOnly today) =>
        today > s.EndDate ? CoverageStatus.Done : today >= s.StartDate ? CoverageStatus.InProgress : CoverageStatus.Booked;

    /// <summary>Coverage of every tour in <paramref name="tourIds"/> for one leader's stints.</summary>
    public static IReadOnlyList<TourCoverage> Of(IEnumerable<CoverageStint> stints, IEnumerable<Guid> tourIds, DateOnly today)
    {
        var byTour = stints.GroupBy(s => s.TourId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartDate).ToList());
        return tourIds.Select(tourId =>
        {
            if (!byTour.TryGetValue(tourId, out var list)) return new TourCoverage(tourId, CoverageStatus.Missing, 0, []);
            var status = list.Max(s => StatusOf(s, today));
            var weeks = list.Where(s => StatusOf(s, today) == CoverageStatus.Done).Sum(s => Weeks(s.StartDate, s.EndDate));
            return new TourCoverage(tourId, status, weeks, list.Select(s => s.StintId).ToList());
        }).ToList();
    }

    /// <summary>The stints (not cancelled) of the leaders in one query, for <see cref="Of"/>.</summary>
    public static async Task<ILookup<Guid, CoverageStint>> StintsOfAsync(Infrastructure.Database.RotationsDbContext db, IQueryable<Guid> leaderIds, CancellationToken ct) =>
        (await db.Stints.AsNoTracking()
            .Where(s => s.CancelledAt == null && leaderIds.Contains(s.LeaderId))
            .Select(s => new CoverageStint(s.Id, s.LeaderId, s.TourId, s.StartDate, s.EndDate))
            .ToListAsync(ct))
        .ToLookup(s => s.LeaderId);
}

public static class ReadinessQueries
{
    /// <summary>
    /// The reviews whose decision counts now: for each leader and level, the latest one submitted — if it was not
    /// returned. A later submitted review supersedes it; a returned one (HR sent it back for calibration) no longer
    /// counts, and leaves the leader without a current decision for the level until its new draft is submitted, rather
    /// than bringing back the older decision it had superseded. Submission instants of a leader and level never tie.
    /// </summary>
    public static IQueryable<ReadinessReview> Current(this IQueryable<ReadinessReview> reviews) =>
        reviews.Where(r => r.Status == ReviewStatus.Submitted
                           && !reviews.Any(o => o.LeaderId == r.LeaderId && o.Level == r.Level && o.Status != ReviewStatus.Draft && o.SubmittedAt > r.SubmittedAt));
}
