using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Scheduling;

/// <summary>What the board shows: whole months from <see cref="From"/> to <see cref="To"/> (first days of months).</summary>
public sealed record BoardFilter(Guid? CohortId, Guid? TourId, DateOnly From, DateOnly To, bool ShowCancelled, int Page);

/// <summary>A month along the top of the board, placed in the timeline's pixels.</summary>
public sealed record BoardMonth(DateOnly FirstDay, string Label, string X, string Width, bool StartsYear);

/// <summary>A stint drawn as a bar: its place in pixels (as SVG attribute text) and what it says.</summary>
public sealed record BoardBar(
    Guid StintId, string TourCode, string TourName, string ColourClass, DateOnly Start, DateOnly End, StintStatus Status,
    string X, string Y, string Width, string LabelX, string LabelY, string Label, bool StartsBefore, bool EndsAfter)
{
    public string Description =>
        $"{TourName} ({TourCode}), {StintDisplay.Dates(Start, End)}, {StintDisplay.Status(Status)}";
}

public sealed record BoardRow(Guid LeaderId, string Name, string? Cohort, IReadOnlyList<BoardBar> Bars, string Height);

public sealed record BoardTour(Guid Id, string Code, string Name, string ColourClass);

public sealed record BoardOption(Guid Id, string Name);

public sealed record ProgrammeBoard(
    BoardFilter Filter,
    IReadOnlyList<BoardMonth> Months,
    IReadOnlyList<BoardRow> Rows,
    int TotalLeaders,
    int PageSize,
    string TimelineWidth,
    string? TodayX,
    IReadOnlyList<BoardTour> Legend,
    IReadOnlyList<BoardOption> Cohorts,
    IReadOnlyList<BoardTour> Tours,
    bool OnlyReports)
{
    public int Pages => Math.Max(1, (TotalLeaders + PageSize - 1) / PageSize);
    public int FirstShown => TotalLeaders == 0 ? 0 : (Filter.Page - 1) * PageSize + 1;
    public int LastShown => Math.Min(TotalLeaders, Filter.Page * PageSize);
}

/// <summary>Where a bar goes on a <see cref="Timeline"/>, as SVG attribute text, and the label that fits it.</summary>
public sealed record BarGeometry(string X, string Y, string Width, string LabelX, string LabelY, string Label, bool StartsBefore, bool EndsAfter);

/// <summary>
/// The board's geometry, shared by every timeline of leaders and months (the programme board, a plan's preview): whole
/// months from the first to the last, a scale of days that fills the page for a year and scrolls sideways for longer,
/// bars in lanes so that overlapping ones stack.
/// </summary>
public sealed class Timeline
{
    /// <summary>The timeline's width in pixels for a year or less; longer ranges keep a minimum scale and scroll.</summary>
    private const double TimelinePixels = 960;
    private const double MinPixelsPerDay = 2.6;
    public const double BarHeight = 26, LaneGap = 6, RowPadding = 10;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly double scale;
    private readonly int days;

    /// <param name="firstMonth">Any day of the first month shown.</param>
    /// <param name="lastMonth">Any day of the last month shown.</param>
    public Timeline(DateOnly firstMonth, DateOnly lastMonth)
    {
        Start = new DateOnly(firstMonth.Year, firstMonth.Month, 1);
        End = new DateOnly(lastMonth.Year, lastMonth.Month, 1).AddMonths(1).AddDays(-1);
        days = End.DayNumber - Start.DayNumber + 1;
        scale = Math.Max(TimelinePixels / days, MinPixelsPerDay);
    }

    public DateOnly Start { get; }
    public DateOnly End { get; }
    public string Width => Px(days * scale);

    public static string Px(double value) => Math.Round(value, 1).ToString("0.#", Invariant);

    private double XOf(DateOnly day) => (day.DayNumber - Start.DayNumber) * scale;

    public string? TodayX(DateOnly today) => today >= Start && today <= End ? Px(XOf(today) + scale / 2) : null;

    public IReadOnlyList<BoardMonth> Months()
    {
        var months = new List<BoardMonth>();
        for (var m = Start; m <= End; m = m.AddMonths(1))
        {
            var next = m.AddMonths(1);
            months.Add(new BoardMonth(m, m.Month == 1 || m == Start ? StintDisplay.Month(m) : m.ToString("MMM", Invariant),
                Px(XOf(m)), Px((next.DayNumber - m.DayNumber) * scale), m.Month == 1));
        }
        return months;
    }

    /// <summary>A bar from <paramref name="start"/> to <paramref name="end"/> in a lane, clipped to the months shown.</summary>
    public BarGeometry Place(DateOnly start, DateOnly end, int lane, string code)
    {
        var from = start < Start ? Start : start;
        var to = end > End ? End : end;
        var x = XOf(from);
        var width = Math.Max((to.DayNumber - from.DayNumber + 1) * scale - 1, 3);
        var y = RowPadding + lane * (BarHeight + LaneGap);
        return new BarGeometry(Px(x), Px(y), Px(width), Px(x + 5), Px(y + BarHeight / 2 + 4.5), Label(code, start < Start, width),
            StartsBefore: start < Start, EndsAfter: end > End);
    }

    /// <summary>The height of a row of so many lanes (one at least).</summary>
    public static string RowHeight(int lanes) => Px(2 * RowPadding + Math.Max(1, lanes) * (BarHeight + LaneGap) - LaneGap);

    /// <summary>
    /// The tour code if it fits the bar, else its first three letters (unique among the catalogue's codes),
    /// else nothing: the bar's name is in its title and accessible label either way.
    /// </summary>
    private static string Label(string code, bool startsBefore, double width)
    {
        const double perChar = 8.8, padding = 10;
        var marker = startsBefore ? "‹ " : "";
        if (width >= (code.Length + marker.Length) * perChar + padding) return marker + code;
        if (code.Length > 3 && width >= 3 * perChar + padding) return code[..3];
        return "";
    }
}

/// <summary>The lanes of one row: a bar takes the first lane free before it starts (bars must come in order of start).</summary>
public sealed class TimelineLanes
{
    private readonly List<DateOnly> lastDays = []; // the last day taken in each lane

    public int Count => lastDays.Count;

    public int Take(DateOnly start, DateOnly end)
    {
        var lane = lastDays.FindIndex(last => last < start);
        if (lane < 0) { lastDays.Add(end); return lastDays.Count - 1; }
        lastDays[lane] = end;
        return lane;
    }
}

/// <summary>
/// The programme board: leaders as rows, months as columns, stints as bars coloured by tour. Bars are
/// placed in an SVG per row (the content security policy allows no inline styles, and SVG geometry is
/// attributes), on a scale of days that fills the page for a year and scrolls sideways for longer.
/// </summary>
public sealed class BoardQueries(RotationsDbContext db, TimeProvider clock)
{
    public const int PageSize = 50;
    public const int MaxMonths = 36;
    /// <summary>This month and the next eleven.</summary>
    public BoardFilter DefaultFilter()
    {
        var today = clock.Today();
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        return new BoardFilter(null, null, thisMonth, thisMonth.AddMonths(11), false, 1);
    }

    /// <summary>Checks the range of months: the end not before the start, at most <see cref="MaxMonths"/>.</summary>
    public static void Validate(BoardFilter filter)
    {
        if (filter.To < filter.From)
            throw new ValidationFailedException("to", $"The last month ({StintDisplay.Month(filter.To)}) is before the first ({StintDisplay.Month(filter.From)}).");
        if (MonthsBetween(filter.From, filter.To) > MaxMonths)
            throw new ValidationFailedException("to", $"The board shows at most {MaxMonths} months at once.");
    }

    private static int MonthsBetween(DateOnly from, DateOnly to) => (to.Year - from.Year) * 12 + to.Month - from.Month + 1;

    public async Task<ProgrammeBoard> BuildAsync(ClaimsPrincipal user, BoardFilter filter, CancellationToken ct = default)
    {
        Validate(filter);
        var timeline = new Timeline(filter.From, filter.To);
        var (windowStart, windowEnd) = (timeline.Start, timeline.End);

        // Rows: leaders on the programme; a manager who is not HR sees only their own reports.
        var onlyReports = !user.SeesAllStints();
        var me = user.PersonId();
        var leaderRole = db.Roles.Where(r => r.Name == Roles.Leader).Select(r => r.Id);
        var leaders = db.Users.AsNoTracking()
            .Where(p => p.IsActive && db.UserRoles.Any(ur => ur.UserId == p.Id && leaderRole.Contains(ur.RoleId)));
        if (onlyReports) leaders = leaders.Where(p => p.ManagerId == me);
        if (filter.CohortId is { } cohort) leaders = leaders.Where(p => p.LeaderProfile!.CohortId == cohort);

        var stints = db.Stints.AsNoTracking().VisibleTo(user)
            .Where(s => s.StartDate <= windowEnd && s.EndDate >= windowStart);
        if (!filter.ShowCancelled) stints = stints.Where(s => s.CancelledAt == null);
        if (filter.TourId is { } tour)
        {
            stints = stints.Where(s => s.TourId == tour);
            // With a tour chosen, the board is about that tour: only the leaders who go there in the range.
            leaders = leaders.Where(p => stints.Any(s => s.LeaderId == p.Id));
        }

        var total = await leaders.CountAsync(ct);
        var page = Math.Clamp(filter.Page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        filter = filter with { Page = page };
        var rows = await leaders.OrderBy(p => p.DisplayName).ThenBy(p => p.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(p => new { p.Id, p.DisplayName, Cohort = p.LeaderProfile!.Cohort!.Name })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var today = clock.Today();
        var bars = await StintQueries.Project(stints.Where(s => ids.Contains(s.LeaderId)).OrderBy(s => s.StartDate), today).ToListAsync(ct);
        var byLeader = bars.ToLookup(b => b.LeaderId);

        var boardRows = rows.Select(r =>
        {
            var lanes = new TimelineLanes();
            var placed = new List<BoardBar>();
            // Cancelled stints may lie under live ones: they go to a lane of their own below.
            foreach (var s in byLeader[r.Id].OrderBy(s => s.Status == StintStatus.Cancelled).ThenBy(s => s.StartDate))
            {
                var g = timeline.Place(s.StartDate, s.EndDate, lanes.Take(s.StartDate, s.EndDate), s.TourCode);
                placed.Add(new BoardBar(s.Id, s.TourCode, s.TourName, TourPalette.Class(s.TourCode), s.StartDate, s.EndDate, s.Status,
                    g.X, g.Y, g.Width, g.LabelX, g.LabelY, g.Label, g.StartsBefore, g.EndsAfter));
            }
            return new BoardRow(r.Id, r.DisplayName, r.Cohort, placed, Timeline.RowHeight(lanes.Count));
        }).ToList();

        var months = timeline.Months();

        var tours = await db.Tours.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new { t.Id, t.Code, t.Name, t.IsRetired }).ToListAsync(ct);
        var shownTours = bars.Select(b => b.TourId).ToHashSet();
        var legend = tours.Where(t => !t.IsRetired || shownTours.Contains(t.Id))
            .Select(t => new BoardTour(t.Id, t.Code, t.Name, TourPalette.Class(t.Code))).ToList();
        var cohorts = await db.Cohorts.AsNoTracking().OrderByDescending(c => c.StartDate).ThenBy(c => c.Name)
            .Select(c => new BoardOption(c.Id, c.Name)).ToListAsync(ct);

        return new ProgrammeBoard(filter, months, boardRows, total, PageSize, timeline.Width, timeline.TodayX(today),
            legend, cohorts, tours.Select(t => new BoardTour(t.Id, t.Code, t.Name, TourPalette.Class(t.Code))).ToList(), onlyReports);
    }
}
