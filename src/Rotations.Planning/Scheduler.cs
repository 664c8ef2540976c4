namespace Rotations.Planning;

/// <summary>
/// The heuristic: a time-driven greedy list scheduler over start slots (Mondays, or every day without the Monday rule).
/// <para>
/// At each slot, tours are visited scarcest first (remaining demand in weeks ÷ capacity, then id); each tour with room
/// on that day takes, while it has room, the best candidate among the leaders free to start there: the leader with the
/// most work still to plan first (so long chains start early), then the longer stint, then the leader id, then the
/// need's order. A candidate fits when the whole stint is inside the horizon, the tour is below capacity on every day
/// of it, and the leader's calendar allows it (no overlap and the gap with any stint, no unavailable day, executive
/// last). Work-conserving on the scarce tours: a scarce tour is never left idle while someone who needs it could start.
/// </para>
/// <para>
/// Each leader is planned forwards in time, so a leader's next possible start only moves forwards; occupancy only grows.
/// Hence an item that fits at no slot of the sweep fits nowhere in the final state, and one sweep is enough — except for
/// executive items, which in the strict pass wait until all of the leader's other items are placed: a second, relaxed
/// pass lets them follow the stints that were placed when some of the others could not be.
/// </para>
/// Cost: O(slots × tours × candidates log candidates) plus O(stint length) per placement; leaders' calendars are short.
/// </summary>
internal sealed class Scheduler(PlanContext context, PlanState state, int lastDay, int target, int[]? boost = null)
{
    public void Run(IReadOnlyList<Item> items)
    {
        // FreeFrom is a filter valid within one sweep; the calendars may already hold planned stints (what-if, final fill).
        foreach (var leader in state.Leaders) { leader.PendingNonExec = 0; leader.RemainingWork = 0; leader.RemainingExecWork = 0; leader.FreeFrom = int.MinValue; }
        foreach (var item in items.Where(i => !i.Placed))
        {
            var leader = state.Leaders[item.Leader];
            if (!item.Executive) leader.PendingNonExec++;
            else leader.RemainingExecWork += item.Work(context.Gap);
            leader.RemainingWork += item.Work(context.Gap);
        }
        SetTargets(items);
        Sweep(items, relaxed: false);
        if (items.Any(i => !i.Placed && i.Executive)) Sweep([.. items.Where(i => !i.Placed && i.Executive)], relaxed: true);
    }

    private void Sweep(IReadOnlyList<Item> items, bool relaxed)
    {
        var tours = state.Tours;
        var byTour = new List<Item>[tours.Length];
        var demand = new long[tours.Length];
        for (var t = 0; t < tours.Length; t++) byTour[t] = [];
        foreach (var item in items)
            if (!item.Placed && tours[item.Tour].Capacity > 0)
            {
                byTour[item.Tour].Add(item);
                demand[item.Tour] += item.Weeks;
            }
        var order = Enumerable.Range(0, tours.Length).ToArray();
        var candidates = new List<Item>();
        var left = byTour.Sum(l => l.Count);
        var maxWeeks = items.Count == 0 ? 1 : items.Max(i => i.Weeks);

        for (var slot = context.SlotAtOrAfter(0); slot <= lastDay && left > 0; slot = context.NextSlot(slot))
        {
            // Scarcest first: remaining demand per unit of capacity, ties by tour id (the tours are sorted by id).
            Array.Sort(order, (a, b) =>
            {
                var c = (demand[b] * tours[a].Capacity).CompareTo(demand[a] * tours[b].Capacity);
                return c != 0 ? c : a.CompareTo(b);
            });
            foreach (var t in order)
            {
                var tour = tours[t];
                var list = byTour[t];
                if (list.Count == 0 || !tour.HasRoom(slot)) continue;
                candidates.Clear();
                foreach (var item in list)
                {
                    var leader = state.Leaders[item.Leader];
                    if (leader.FreeFrom > slot) continue;
                    var end = PlanContext.EndOf(slot, item.Weeks);
                    if (end > lastDay) continue;
                    if (item.Executive && context.ExecutiveLast && !relaxed && leader.PendingNonExec > 0) continue;
                    if (!leader.Fits(slot, end, context.Gap, item.Executive, context.ExecutiveLast)) continue;
                    candidates.Add(item);
                }
                if (candidates.Count == 0) continue;
                candidates.Sort(Compare);

                var horizonOfCheck = Math.Min(lastDay, PlanContext.EndOf(slot, maxWeeks));
                var firstFull = tour.FirstFull(slot, horizonOfCheck);
                var placedHere = false;
                foreach (var item in candidates)
                {
                    var end = PlanContext.EndOf(slot, item.Weeks);
                    if (end >= firstFull) continue;
                    var leader = state.Leaders[item.Leader];
                    if (leader.FreeFrom > slot || leader.Clash(slot, end, context.Gap) is not null) continue; // placed on another need this slot
                    Place(item, slot);
                    placedHere = true;
                    demand[t] -= item.Weeks;
                    left--;
                    firstFull = tour.FirstFull(slot, horizonOfCheck);
                    if (firstFull == slot) break;
                }
                if (placedHere) list.RemoveAll(i => i.Placed);
            }
        }
    }

    /// <summary>
    /// Due dates for the priority. A leader's work is due by the target (the lower bound). Under executive-last, a
    /// leader who needs executive management must be ready for it in time for the executive tours to be busy from
    /// early on: the executive items are queued on the tour's capacity in order of how early their leaders could be
    /// ready (the chain of their other needs), and each leader's other work is due when their turn in that queue comes.
    /// </summary>
    private void SetTargets(IReadOnlyList<Item> items)
    {
        var first = context.SlotAtOrAfter(0);
        var fridayEnd = PlanContext.EndOf(first, 1);
        var transition = context.NextStartAfter(fridayEnd) - fridayEnd;
        foreach (var leader in state.Leaders) { leader.Target = target; leader.ExecTarget = target; }
        if (!context.ExecutiveLast) return;
        foreach (var tourGroup in items.Where(i => !i.Placed && i.Executive && state.Tours[i.Tour].Capacity > 0).GroupBy(i => i.Tour))
        {
            var queue = tourGroup.Select(i =>
                {
                    var leader = state.Leaders[i.Leader];
                    var ready = Math.Max(first + leader.RemainingWork - leader.RemainingExecWork, context.NextStartAfter(leader.NonExecEnd == int.MinValue ? -context.Gap - 1 : leader.NonExecEnd));
                    return (Item: i, Ready: ready);
                })
                .OrderBy(x => x.Ready).ThenBy(x => x.Item.Order).ToList();
            var free = new PriorityQueue<int, int>();
            for (var k = 0; k < state.Tours[tourGroup.Key].Capacity; k++) free.Enqueue(first, first);
            foreach (var (item, ready) in queue)
            {
                var at = Math.Max(ready, free.Dequeue());
                free.Enqueue(at + 7 * item.Weeks, at + 7 * item.Weeks);
                var leader = state.Leaders[item.Leader];
                leader.ExecTarget = Math.Min(leader.ExecTarget, at - transition);
            }
        }
    }

    /// <summary>The latest day the item's leader can start their remaining work (of this stage) and be on time.</summary>
    private int LatestStart(Item item)
    {
        var leader = state.Leaders[item.Leader];
        var latest = item.Executive || leader.PendingNonExec == 0
            ? leader.Target - leader.RemainingWork
            : leader.ExecTarget - (leader.RemainingWork - leader.RemainingExecWork);
        return boost is null ? latest : latest - boost[item.Leader];
    }

    private int Compare(Item a, Item b)
    {
        var c = LatestStart(a).CompareTo(LatestStart(b));
        if (c != 0) return c;
        c = b.Weeks.CompareTo(a.Weeks);
        if (c != 0) return c;
        c = a.Leader.CompareTo(b.Leader);
        return c != 0 ? c : a.Order.CompareTo(b.Order);
    }

    private void Place(Item item, int slot)
    {
        item.Start = slot;
        var end = item.End;
        state.Tours[item.Tour].Add(slot, end);
        var leader = state.Leaders[item.Leader];
        leader.Add(new Busy(slot, end, item.Tour, Source.Planned), item.Executive, countsForOrder: true);
        leader.FreeFrom = Math.Max(leader.FreeFrom, end + context.Gap + 1);
        leader.RemainingWork -= item.Work(context.Gap);
        if (!item.Executive) leader.PendingNonExec--;
        else leader.RemainingExecWork -= item.Work(context.Gap);
    }
}
