namespace Rotations.Planning;

// The planner's input and output. All dates are inclusive calendar days.
//
// Rules, precisely (the tests' independent checker uses the same definitions):
// - A planned stint of N weeks starts on a Monday (when PlanningRules.StartOnMonday) and ends on the Friday of
//   its Nth week: End = Start + 7N − 3 days.
// - Gap: between two stints of one leader (planned, pinned or booked) there are at least MinGapDays free days:
//   later.Start − earlier.End − 1 ≥ MinGapDays. With the default 7 and Monday starts, a stint ending on a Friday
//   is followed at the earliest by one starting on the Monday ten days later (one free working week between).
// - Capacity: on no calendar day do more stints (booked + pinned + planned) run on a tour than its capacity.
//   Days already over capacity because of booked stints alone are left as they are, and nothing is added to them.
// - Unavailable: no pinned or planned stint shares a day with one of the leader's unavailable periods.
// - Executive last (PlanningRules.ExecutiveLast): every stint of a leader on an executive tour starts after every
//   non-executive stint of that leader ends, counting planned and pinned stints and the leader's booked stints that
//   touch the horizon; booked stints entirely outside the horizon do not constrain the order.
// - Horizon: pinned and planned stints lie within [From, To].

/// <summary>The two kinds of stint: a few weeks of orientation, or months of assignment.</summary>
public enum StintKind
{
    /// <summary>A few weeks of looking and listening.</summary>
    Orientation,
    /// <summary>Months as a working member of the department.</summary>
    Assignment,
}

/// <summary>A tour of duty as the planner sees it: how many leaders it hosts at once, and whether it is executive management.</summary>
public sealed record PlanTour(Guid Id, string Code, string Name, int Capacity, bool IsExecutive);

/// <summary>One stint a leader still needs: on this tour, of this kind, this many weeks (the caller derives it from readiness criteria).</summary>
public sealed record Need(Guid TourId, StintKind Kind, int Weeks);

/// <summary>A period of inclusive days.</summary>
public sealed record Period(DateOnly From, DateOnly To);

/// <summary>A stint already booked, of a cohort leader or anyone else: kept as it is, and counted against the tour's capacity.</summary>
public sealed record BookedStint(Guid LeaderId, Guid TourId, DateOnly Start, DateOnly End);

/// <summary>A leader of the cohort with the stints still needed and the periods they cannot do any.</summary>
public sealed record PlanLeader(Guid Id, string Name, IReadOnlyList<Need> Needs, IReadOnlyList<Period> Unavailable);

/// <summary>
/// A stint HR pinned in a preview: placed exactly as given, or reported unplaced with the rule it breaks. It takes the
/// place of the leader's need on the same tour (the same kind preferred), which is then not planned again, whether the
/// pin is accepted or not. A pin with no matching need is still placed (an extra stint).
/// </summary>
public sealed record PinnedStint(Guid LeaderId, Guid TourId, StintKind Kind, DateOnly Start, DateOnly End);

/// <summary>The ordering rules: free days between a leader's stints, Monday starts, executive management last.</summary>
public sealed record PlanningRules(int MinGapDays = 7, bool StartOnMonday = true, bool ExecutiveLast = true);

/// <summary>Everything the planner needs: the horizon, the tours, the cohort, what is booked and pinned, and the rules.</summary>
public sealed record PlanningInput(
    DateOnly From,
    DateOnly To,
    IReadOnlyList<PlanTour> Tours,
    IReadOnlyList<PlanLeader> Leaders,
    IReadOnlyList<BookedStint> Booked,
    IReadOnlyList<PinnedStint> Pinned,
    PlanningRules Rules);

/// <summary>A stint of the proposal; <paramref name="Pinned"/> when it is one of the input's pinned stints.</summary>
public sealed record ProposedStint(Guid LeaderId, Guid TourId, StintKind Kind, DateOnly Start, DateOnly End, bool Pinned);

/// <summary>
/// A need (or a pinned stint, when <paramref name="Pinned"/>) left out of the proposal: why, in plain words, and what
/// would let it in. <paramref name="Weeks"/> is the need's length (a pinned stint's, rounded up to whole weeks).
/// </summary>
public sealed record Unplaced(Guid LeaderId, Guid TourId, StintKind Kind, int Weeks, string Reason, string Fix, bool Pinned = false);

/// <summary>
/// How good the proposal is.
/// <list type="bullet">
/// <item><see cref="Makespan"/>: the last day of the last planned or pinned stint (null when there is none).</item>
/// <item><see cref="LowerBound"/>: no complete plan of the input can finish before this day (see LowerBound.cs).</item>
/// <item><see cref="GapPercent"/>: (Makespan − LowerBound) / (LowerBound − From + 1 day) × 100; 0 without a makespan;
/// negative only when items are unplaced (the bound counts every need).</item>
/// <item><see cref="CapacityUse"/>: of all tour-days of capacity from From to the makespan, the share taken by stints
/// (booked, pinned and planned), from 0 to 1.</item>
/// <item><see cref="CompletionSpreadDays"/>: days between the earliest and the latest leader's last planned or pinned stint end.</item>
/// </list>
/// </summary>
public sealed record PlanMetrics(
    DateOnly? Makespan,
    DateOnly LowerBound,
    double GapPercent,
    double CapacityUse,
    int CompletionSpreadDays,
    int Placed,
    int UnplacedCount);

/// <summary>
/// The proposal: stints ordered by leader id, start, tour id; unplaced items ordered by leader id, tour id, kind, weeks.
/// </summary>
public sealed record PlanningResult(IReadOnlyList<ProposedStint> Stints, IReadOnlyList<Unplaced> Unplaced, PlanMetrics Metrics);
