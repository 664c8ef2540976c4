using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Planning;

/// <summary>A bar of a plan's preview: a stint already booked (solid, like the board) or an item the plan proposes.</summary>
public sealed record PreviewBar(
    bool Proposed, Guid? StintId, int? Position, bool Pinned, string TourCode, string TourName, string ColourClass, DateOnly Start, DateOnly End,
    StintStatus? Status, BarGeometry At)
{
    public string Description =>
        $"{(Proposed ? Pinned ? "Proposed, pinned" : "Proposed" : "Booked")}: {TourName} ({TourCode}), {StintDisplay.Dates(Start, End)}" +
        (Status is { } s ? $", {StintDisplay.Status(s)}" : "");
}

public sealed record PreviewRow(Guid LeaderId, string Name, IReadOnlyList<PreviewBar> Bars, string Height);

public sealed record PlanPreview(IReadOnlyList<BoardMonth> Months, IReadOnlyList<PreviewRow> Rows, string TimelineWidth, string? TodayX,
    IReadOnlyList<BoardTour> Legend);

public sealed record CohortChoice(Guid Id, string Name);

/// <summary>
/// A plan drawn like the programme board over its horizon: a row for each leader of the cohort, the stints already
/// booked as the board draws them, and the items the plan proposes (removed ones left out; once committed they are
/// booked stints, so only those are drawn).
/// </summary>
public sealed class PlanPreviewQueries(RotationsDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<CohortChoice>> CohortsAsync(CancellationToken ct) =>
        await db.Cohorts.AsNoTracking().OrderByDescending(c => c.StartDate).ThenBy(c => c.Name)
            .Select(c => new CohortChoice(c.Id, c.Name)).ToListAsync(ct);

    public async Task<PlanPreview> BuildAsync(PlanDto plan, CancellationToken ct)
    {
        var timeline = new Timeline(plan.From, plan.To);
        var leaders = await db.Users.AsNoTracking()
            .Where(p => p.IsActive && p.LeaderProfile != null && p.LeaderProfile.CohortId == plan.CohortId)
            .Select(p => new { p.Id, p.DisplayName }).ToListAsync(ct);
        foreach (var item in plan.Assignments.Where(i => leaders.All(l => l.Id != i.LeaderId)).DistinctBy(i => i.LeaderId))
            leaders.Add(new { Id = item.LeaderId, DisplayName = item.LeaderName });
        var ids = leaders.Select(l => l.Id).ToList();
        var booked = await StintQueries.Project(db.Stints.AsNoTracking()
                .Where(s => ids.Contains(s.LeaderId) && s.CancelledAt == null && s.StartDate <= timeline.End && s.EndDate >= timeline.Start),
            clock.Today()).ToListAsync(ct);
        var proposed = plan.Status == PlanStatus.Proposed ? plan.Assignments.Where(i => !i.Removed).ToList() : [];

        var rows = leaders.OrderBy(l => l.DisplayName).ThenBy(l => l.Id).Select(l =>
        {
            var bars = booked.Where(s => s.LeaderId == l.Id)
                .Select(s => (Proposed: false, s.Id, Position: (int?)null, Pinned: false, s.TourCode, s.TourName, s.StartDate, s.EndDate, Status: (StintStatus?)s.Status))
                .Concat(proposed.Where(i => i.LeaderId == l.Id)
                    .Select(i => (Proposed: true, Id: Guid.Empty, Position: (int?)i.Position, i.Pinned, i.TourCode, i.TourName, i.StartDate, i.EndDate, Status: (StintStatus?)null)))
                .OrderBy(b => b.StartDate).ThenBy(b => b.Proposed).ToList();
            var lanes = new TimelineLanes();
            var placed = bars.Select(b => new PreviewBar(b.Proposed, b.Proposed ? null : b.Id, b.Position, b.Pinned, b.TourCode, b.TourName,
                TourPalette.Class(b.TourCode), b.StartDate, b.EndDate, b.Status,
                timeline.Place(b.StartDate, b.EndDate, lanes.Take(b.StartDate, b.EndDate), b.TourCode))).ToList();
            return new PreviewRow(l.Id, l.DisplayName, placed, Timeline.RowHeight(lanes.Count));
        }).ToList();

        var legend = rows.SelectMany(r => r.Bars).DistinctBy(b => b.TourCode).OrderBy(b => b.TourName)
            .Select(b => new BoardTour(Guid.Empty, b.TourCode, b.TourName, b.ColourClass)).ToList();
        return new PlanPreview(timeline.Months(), rows, timeline.Width, timeline.TodayX(clock.Today()), legend);
    }
}
