namespace Rotations.Planning;

/// <summary>
/// A day before which no complete plan of the input can finish (computed before planning, from the booked and
/// accepted pinned stints and the needs). It is the largest of:
/// <list type="number">
/// <item>the last day of any accepted pinned stint;</item>
/// <item>per leader, the chain: all their needs back to back from the first slot, with the smallest transition the
/// gap and the Monday rule allow between two stints (unavailable periods and booked stints ignored, which only makes
/// it smaller);</item>
/// <item>per tour, a capacity bound with heads and tails. Every need on the tour gets a head (the earliest it can
/// start: the first slot; for an executive need under executive-last, after the chain of the leader's other needs)
/// and a tail (the least time the leader still needs after it ends: under executive-last, a non-executive need of a
/// leader who needs executive management is followed by at least the transition and the shortest executive stint).
/// For every threshold pair (a, b) over the heads and tails, the needs with head ≥ a and tail ≥ b must all run
/// between a and makespan − b, so the makespan is at least: the day the tour's free capacity from a, summed week by
/// week, first covers their demand, plus b. Free capacity of a week is capacity minus the most booked and pinned
/// stints on any of its Monday-to-Friday days (a planned stint covers all five), so it is never overstated. Without
/// the Monday rule the same is done day by day with the stints' lengths in days.</item>
/// </list>
/// Each part holds for any plan that places every need, so the maximum does too. The bound ignores the interplay
/// between tours (a leader cannot be on two at once), which is where a real gap can remain.
/// </summary>
internal static class LowerBound
{
    public static int Compute(PlanContext context, PlanState state, IReadOnlyList<Item> items, IEnumerable<ProposedStint> pins)
    {
        var first = context.SlotAtOrAfter(0);
        var bound = 0;
        foreach (var pin in pins) bound = Math.Max(bound, context.Day(pin.End));

        // The smallest distance from one planned stint's end to the next one's start (ends are Fridays with the Monday rule).
        var fridayEnd = PlanContext.EndOf(first, 1);
        var transition = context.NextStartAfter(fridayEnd) - fridayEnd;

        var byLeader = items.Where(i => state.Tours[i.Tour].Capacity > 0).GroupBy(i => i.Leader);
        var heads = new Dictionary<Item, int>();
        var tails = new Dictionary<Item, int>();
        foreach (var group in byLeader)
        {
            var list = group.ToList();
            var chain = first + list.Sum(i => 7 * i.Weeks - 3) + (list.Count - 1) * transition;
            bound = Math.Max(bound, chain);
            bound = Math.Max(bound, AroundBlocks(context, state.Leaders[group.Key], list, first, transition, chain));

            var nonExec = list.Where(i => !i.Executive).ToList();
            var exec = list.Where(i => i.Executive).ToList();
            var calendar = state.Leaders[group.Key];
            var execHead = first;
            if (context.ExecutiveLast && nonExec.Count > 0)
                execHead = first + nonExec.Sum(i => 7 * i.Weeks - 3) + nonExec.Count * transition;
            if (context.ExecutiveLast && calendar.NonExecEnd != int.MinValue)
                execHead = Math.Max(execHead, context.NextStartAfter(calendar.NonExecEnd));
            var tail = context.ExecutiveLast && exec.Count > 0 ? transition + 7 * exec.Min(i => i.Weeks) - 3 : 0;
            foreach (var i in exec) { heads[i] = execHead; tails[i] = 0; }
            foreach (var i in nonExec) { heads[i] = first; tails[i] = tail; }
        }

        foreach (var tourItems in heads.Keys.GroupBy(i => i.Tour))
        {
            var tour = state.Tours[tourItems.Key];
            var list = tourItems.ToList();
            var headValues = list.Select(i => heads[i]).Distinct().Order().ToList();
            var tailValues = list.Select(i => tails[i]).Distinct().Order().ToList();
            foreach (var a in headValues)
                foreach (var b in tailValues)
                {
                    long demand = list.Where(i => heads[i] >= a && tails[i] >= b)
                        .Sum(i => context.Monday ? (long)i.Weeks : 7L * i.Weeks - 2);
                    if (demand == 0) continue;
                    bound = Math.Max(bound, CoveredBy(context, tour, a, demand) + b);
                }
        }
        return bound;
    }

    /// <summary>
    /// The leader's chain around one blocked interval at a time (an unavailable period, or a booked or pinned stint
    /// widened by the gap): every stint lies wholly before or wholly after it, so the leader finishes no earlier than
    /// the best split of their needs into a chain that ends before the block and a chain that starts after it
    /// (subset sums; leaders with more than 12 needs skip this part).
    /// </summary>
    private static int AroundBlocks(PlanContext context, LeaderCalendar calendar, List<Item> list, int first, int transition, int chain)
    {
        if (list.Count > 12) return int.MinValue;
        var blocks = calendar.Unavailable.Select(u => (From: u.From, To: u.To))
            .Concat(calendar.Stints.Where(b => b.Source != Source.Planned).Select(b => (From: b.Start - context.Gap, To: b.End + context.Gap)))
            .Where(b => b.To >= first && b.From <= chain).ToList();
        if (blocks.Count == 0) return int.MinValue;
        var n = list.Count;
        var lengths = list.Select(i => 7 * i.Weeks - 3).ToArray();
        var sums = new int[1 << n];
        for (var set = 1; set < 1 << n; set++)
        {
            var k = System.Numerics.BitOperations.TrailingZeroCount(set);
            sums[set] = sums[set & (set - 1)] + lengths[k];
        }
        var full = (1 << n) - 1;
        var bound = int.MinValue;
        foreach (var (from, to) in blocks)
        {
            var after = context.SlotAtOrAfter(to + 1);
            var best = int.MaxValue;
            for (var set = 0; set <= full && best > chain; set++)
            {
                var count = System.Numerics.BitOperations.PopCount((uint)set);
                if (count > 0 && first + sums[set] + (count - 1) * transition > from - 1) continue; // does not fit before
                var rest = full & ~set;
                var restCount = n - count;
                var finish = rest == 0 ? first + sums[set] + (count - 1) * transition : after + sums[rest] + (restCount - 1) * transition;
                best = Math.Min(best, finish);
            }
            bound = Math.Max(bound, best);
        }
        return bound;
    }

    /// <summary>The first day by which the tour's free capacity from slot <paramref name="from"/> covers the demand.</summary>
    private static int CoveredBy(PlanContext context, TourCalendar tour, int from, long demand)
    {
        long sum = 0;
        if (context.Monday)
        {
            for (var week = context.SlotAtOrAfter(from); ; week += 7)
            {
                sum += Math.Max(0, tour.Capacity - tour.MaxOccupancy(week, week + 4));
                if (sum >= demand) return week + 4;
            }
        }
        for (var day = from; ; day++)
        {
            sum += Math.Max(0, tour.Capacity - tour[day]);
            if (sum >= demand) return day;
        }
    }
}
