namespace Rotations.Planning;

/// <summary>How many stints run on one tour each day (booked, pinned, planned): O(1) reads, O(length) writes.</summary>
internal sealed class TourCalendar
{
    public int Capacity { get; }
    public bool IsExecutive { get; }
    private int[] occupancy;
    /// <summary>Stints running past the covered days: re-applied when the calendar is extended (for what-if planning).</summary>
    private readonly List<(int Start, int End)> overflow = [];

    public TourCalendar(int capacity, bool isExecutive, int length)
    {
        Capacity = capacity;
        IsExecutive = isExecutive;
        occupancy = new int[length];
    }

    /// <summary>Days covered: 0 to Length − 1 (days outside count as empty).</summary>
    public int Length => occupancy.Length;

    public int this[int day] => day >= 0 && day < occupancy.Length ? occupancy[day] : 0;

    public void Add(int start, int end)
    {
        if (end >= occupancy.Length) overflow.Add((start, end));
        for (var d = Math.Max(0, start); d <= Math.Min(end, occupancy.Length - 1); d++) occupancy[d]++;
    }

    public void Remove(int start, int end)
    {
        for (var d = Math.Max(0, start); d <= Math.Min(end, occupancy.Length - 1); d++) occupancy[d]--;
    }

    public bool HasRoom(int day) => this[day] < Capacity;

    /// <summary>The first day in [from, to] on which the tour is full, or to + 1.</summary>
    public int FirstFull(int from, int to)
    {
        for (var d = from; d <= to; d++) if (this[d] >= Capacity) return d;
        return to + 1;
    }

    public int MaxOccupancy(int from, int to)
    {
        var max = 0;
        for (var d = from; d <= to; d++) max = Math.Max(max, this[d]);
        return max;
    }

    public TourCalendar Extended(int length)
    {
        var copy = new TourCalendar(Capacity, IsExecutive, Math.Max(length, occupancy.Length));
        Array.Copy(occupancy, copy.occupancy, occupancy.Length);
        foreach (var (start, end) in overflow)
        {
            for (var d = Math.Max(start, occupancy.Length); d <= Math.Min(end, copy.Length - 1); d++) copy.occupancy[d]++;
            if (end >= copy.Length) copy.overflow.Add((start, end));
        }
        return copy;
    }
}

/// <summary>Where a stint in a leader's calendar came from.</summary>
internal enum Source { Booked, Pinned, Planned }

internal readonly record struct Busy(int Start, int End, int Tour, Source Source, bool Executive = false, bool CountsForOrder = true);

/// <summary>One leader's calendar: stints of any source, unavailable periods, and what executive-last implies.</summary>
internal sealed class LeaderCalendar
{
    public List<Busy> Stints { get; private init; } = [];
    public List<(int From, int To)> Unavailable { get; private init; } = [];
    /// <summary>The last end of a non-executive stint that counts for executive-last (int.MinValue: none).</summary>
    public int NonExecEnd { get; private set; } = int.MinValue;
    /// <summary>The first start of an executive stint that counts for executive-last (int.MaxValue: none).</summary>
    public int ExecStart { get; private set; } = int.MaxValue;
    /// <summary>No planned stint of this leader can start before this day (the scheduler plans each leader forwards in time).</summary>
    public int FreeFrom { get; set; } = int.MinValue;
    /// <summary>Non-executive items still to plan (in the strict pass, executive items wait for these).</summary>
    public int PendingNonExec { get; set; }
    /// <summary>Days of work still to plan, gaps included: the scheduler's priority.</summary>
    public int RemainingWork { get; set; }
    /// <summary>Of <see cref="RemainingWork"/>, the executive items'.</summary>
    public int RemainingExecWork { get; set; }
    /// <summary>When the leader's work is due (the scheduler's target makespan).</summary>
    public int Target { get; set; }
    /// <summary>When the leader's non-executive work is due, so that their executive stint can start in its turn.</summary>
    public int ExecTarget { get; set; }

    /// <summary>Adds a stint; <paramref name="countsForOrder"/>: whether it counts for executive-last (booked stints only when they touch the horizon).</summary>
    public void Add(Busy stint, bool executive, bool countsForOrder)
    {
        Stints.Add(stint with { Executive = executive, CountsForOrder = countsForOrder });
        if (!countsForOrder) return;
        if (executive) ExecStart = Math.Min(ExecStart, stint.Start);
        else NonExecEnd = Math.Max(NonExecEnd, stint.End);
    }

    /// <summary>Takes the planned stints out (for re-planning the leader), keeping booked and pinned ones.</summary>
    public List<Busy> RemovePlanned()
    {
        var planned = Stints.Where(b => b.Source == Source.Planned).ToList();
        Stints.RemoveAll(b => b.Source == Source.Planned);
        NonExecEnd = int.MinValue;
        ExecStart = int.MaxValue;
        foreach (var b in Stints.Where(b => b.CountsForOrder))
            if (b.Executive) ExecStart = Math.Min(ExecStart, b.Start);
            else NonExecEnd = Math.Max(NonExecEnd, b.End);
        return planned;
    }

    /// <summary>The first stint in the way of [start, end] with the gap, if any.</summary>
    public Busy? Clash(int start, int end, int gap)
    {
        foreach (var b in Stints)
            if (!(start - b.End - 1 >= gap || b.Start - end - 1 >= gap)) return b;
        return null;
    }

    public (int From, int To)? UnavailableIn(int start, int end)
    {
        foreach (var u in Unavailable)
            if (start <= u.To && u.From <= end) return u;
        return null;
    }

    /// <summary>Whether executive-last allows a stint [start, end] (given stints already in the calendar).</summary>
    public bool OrderAllows(int start, int end, bool executive) => executive ? start > NonExecEnd : end < ExecStart;

    public bool Fits(int start, int end, int gap, bool executive, bool executiveLast) =>
        (!executiveLast || OrderAllows(start, end, executive)) && UnavailableIn(start, end) is null && Clash(start, end, gap) is null;

    public LeaderCalendar Clone() => new()
    {
        Stints = [.. Stints], Unavailable = [.. Unavailable], NonExecEnd = NonExecEnd, ExecStart = ExecStart,
        FreeFrom = FreeFrom, PendingNonExec = PendingNonExec, RemainingWork = RemainingWork, RemainingExecWork = RemainingExecWork,
        Target = Target, ExecTarget = ExecTarget,
    };

    public void AddUnavailable(int from, int to) => Unavailable.Add((from, to));
}

/// <summary>One need to plan: a leader's stint on a tour.</summary>
internal sealed class Item(int leader, int tour, StintKind kind, int weeks, bool executive, int order)
{
    public int Leader { get; } = leader;
    public int Tour { get; } = tour;
    public StintKind Kind { get; } = kind;
    public int Weeks { get; } = weeks;
    public bool Executive { get; } = executive;
    /// <summary>A fixed, input-derived order (leader by id, then the leader's sorted needs): the last tie-break.</summary>
    public int Order { get; } = order;
    public int Start { get; set; } = -1;
    public bool Placed => Start >= 0;
    public int End => PlanContext.EndOf(Start, Weeks);
    public int Work(int gap) => 7 * Weeks - 2 + gap;
}

/// <summary>The state the scheduler works on: every tour's and leader's calendar.</summary>
internal sealed class PlanState(TourCalendar[] tours, LeaderCalendar[] leaders)
{
    public TourCalendar[] Tours { get; } = tours;
    public LeaderCalendar[] Leaders { get; } = leaders;

    public PlanState Extended(int length) =>
        new([.. Tours.Select(t => t.Extended(length))], [.. Leaders.Select(l => l.Clone())]);
}
