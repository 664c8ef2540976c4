namespace Rotations.Planning;

/// <summary>
/// Local improvement after the scheduler: re-plans, one at a time, the leaders who finish last. With everyone else's
/// stints fixed, the best order and dates for one leader are found exactly by dynamic programming over subsets of
/// their items: f(S) = the earliest day the items in S can all be done (in some order, each as early as it fits after
/// the previous one, which is optimal for a fixed order since starting earlier never closes a later window); executive
/// items only once every other item is in S. A leader's new plan is kept only when it ends strictly earlier, so every
/// rule still holds. Repeats while every leader at the makespan improves; leaders with more than 12 items are left as
/// they are (2^n states).
/// </summary>
internal static class Repair
{
    private const int MaxItems = 12;
    private const int MaxReplans = 400;

    public static void Run(PlanContext context, PlanState state, List<Item> items)
    {
        var byLeader = items.Where(i => i.Placed).GroupBy(i => i.Leader).ToDictionary(g => g.Key, g => g.ToList());
        var tried = new HashSet<(int Leader, int End)>();
        for (var replans = 0; replans < MaxReplans;)
        {
            var makespan = items.Where(i => i.Placed).Select(i => i.End).DefaultIfEmpty(int.MinValue).Max();
            var last = byLeader.Where(kv => kv.Value.Max(i => i.End) == makespan && !items.Any(i => i.Leader == kv.Key && !i.Placed))
                .Select(kv => kv.Key).Order().ToList();
            if (last.Count == 0) return;
            var improvedAll = true;
            foreach (var leader in last)
            {
                replans++;
                if (!tried.Add((leader, makespan)) || !Replan(context, state, leader, byLeader[leader])) { improvedAll = false; break; }
            }
            if (!improvedAll) return;
        }
    }

    private static bool Replan(PlanContext context, PlanState state, int li, List<Item> mine)
    {
        var n = mine.Count;
        if (n > MaxItems) return false;
        var calendar = state.Leaders[li];
        var before = mine.Max(i => i.End);
        foreach (var item in mine) state.Tours[item.Tour].Remove(item.Start, item.End);
        var saved = calendar.RemovePlanned();

        var full = (1 << n) - 1;
        var nonExecMask = 0;
        for (var k = 0; k < n; k++) if (!mine[k].Executive) nonExecMask |= 1 << k;
        var end = new int[1 << n];
        var from = new int[1 << n];   // the item added last
        var startOf = new int[1 << n];
        Array.Fill(end, int.MaxValue);
        end[0] = int.MinValue;
        for (var set = 0; set < full; set++)
        {
            if (end[set] == int.MaxValue) continue;
            var earliest = set == 0 ? context.SlotAtOrAfter(0) : context.NextStartAfter(end[set]);
            for (var k = 0; k < n; k++)
            {
                if ((set & (1 << k)) != 0) continue;
                var item = mine[k];
                if (item.Executive && context.ExecutiveLast && (set & nonExecMask) != nonExecMask) continue;
                var s = FirstFit(context, state, calendar, item, earliest, before);
                if (s < 0) continue;
                var e = PlanContext.EndOf(s, item.Weeks);
                var next = set | (1 << k);
                if (e < end[next]) { end[next] = e; from[next] = k; startOf[next] = s; }
            }
        }

        var improved = end[full] < before;
        if (improved)
        {
            for (var set = full; set != 0; set &= ~(1 << from[set])) mine[from[set]].Start = startOf[set];
            foreach (var item in mine.OrderBy(i => i.Start))
            {
                state.Tours[item.Tour].Add(item.Start, item.End);
                calendar.Add(new Busy(item.Start, item.End, item.Tour, Source.Planned), item.Executive, countsForOrder: true);
            }
        }
        else
        {
            foreach (var item in mine) state.Tours[item.Tour].Add(item.Start, item.End);
            foreach (var b in saved) calendar.Add(b, b.Executive, b.CountsForOrder);
        }
        calendar.FreeFrom = mine.Max(i => i.End) + context.Gap + 1;
        return improved;
    }

    /// <summary>The first slot from <paramref name="earliest"/> where the item fits (ending before <paramref name="limit"/>), or −1.</summary>
    private static int FirstFit(PlanContext context, PlanState state, LeaderCalendar calendar, Item item, int earliest, int limit)
    {
        var tour = state.Tours[item.Tour];
        for (var s = context.SlotAtOrAfter(Math.Max(0, earliest)); ; s = context.NextSlot(s))
        {
            var e = PlanContext.EndOf(s, item.Weeks);
            if (e > context.LastDay || e >= limit) return -1;
            if (tour.FirstFull(s, e) <= e) continue;
            if (calendar.Fits(s, e, context.Gap, item.Executive, context.ExecutiveLast)) return s;
        }
    }
}
