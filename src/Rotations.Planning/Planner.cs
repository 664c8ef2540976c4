namespace Rotations.Planning;

/// <summary>
/// The auto-planner (issue 7): proposes stints for a cohort within a horizon that break no rule (see Model.cs for the
/// rules, Scheduler.cs for the heuristic, LowerBound.cs for the bound, Diagnosis.cs for the reasons). Deterministic:
/// the input is put in id order first and nothing depends on hashing or randomness, so the same input (in any order)
/// gives the same proposal.
/// </summary>
public static class Planner
{
    /// <exception cref="ArgumentException">The input is invalid (the message names the field).</exception>
    public static PlanningResult Plan(PlanningInput input)
    {
        var context = new PlanContext(input);
        var length = context.LastDay + 1;
        var tours = context.Tours.Select(t => new TourCalendar(t.Capacity, t.IsExecutive, length)).ToArray();
        var leaders = context.Leaders.Select(_ => new LeaderCalendar()).ToArray();
        foreach (var b in input.Booked)
        {
            var ti = context.TourIndex[b.TourId];
            int start = context.Day(b.Start), end = context.Day(b.End);
            tours[ti].Add(start, end);
            if (context.LeaderIndex.TryGetValue(b.LeaderId, out var li))
                leaders[li].Add(new Busy(start, end, ti, Source.Booked), context.Tours[ti].IsExecutive,
                    countsForOrder: end >= 0 && start <= context.LastDay);
        }
        for (var li = 0; li < context.Leaders.Length; li++)
            foreach (var u in context.Leaders[li].Unavailable.OrderBy(u => u.From).ThenBy(u => u.To))
                leaders[li].AddUnavailable(context.Day(u.From), context.Day(u.To));
        var state = new PlanState(tours, leaders);

        var needs = context.Needs.Select(n => n.ToList()).ToArray();
        var stints = new List<ProposedStint>();
        var unplaced = new List<Unplaced>();
        Pins.Apply(context, state, needs, stints, unplaced);

        var items = new List<Item>();
        for (var li = 0; li < needs.Length; li++)
            foreach (var need in needs[li])
            {
                var ti = context.TourIndex[need.TourId];
                items.Add(new Item(li, ti, need.Kind, need.Weeks, context.Tours[ti].IsExecutive, items.Count));
            }

        var lowerBound = LowerBound.Compute(context, state, items, stints);
        var pinnedEnd = stints.Count == 0 ? int.MinValue : stints.Max(p => context.Day(p.End));
        (state, items) = Improve(context, state, items, lowerBound, pinnedEnd);
        Repair.Run(context, state, items);
        // Re-planning leaders can free room: one more sweep for what is still unplaced keeps "unplaced means it fits nowhere".
        if (items.Any(i => !i.Placed)) new Scheduler(context, state, context.LastDay, lowerBound).Run(items);
        unplaced.AddRange(Diagnosis.Explain(context, state, items, lowerBound));

        foreach (var item in items.Where(i => i.Placed))
            stints.Add(new ProposedStint(context.Leaders[item.Leader].Id, context.Tours[item.Tour].Id, item.Kind,
                context.Date(item.Start), context.Date(item.End), Pinned: false));
        stints.Sort((a, b) =>
        {
            var c = a.LeaderId.CompareTo(b.LeaderId);
            if (c == 0) c = a.Start.CompareTo(b.Start);
            if (c == 0) c = a.TourId.CompareTo(b.TourId);
            return c;
        });
        var orderedUnplaced = unplaced.OrderBy(u => u.LeaderId).ThenBy(u => u.TourId).ThenBy(u => u.Kind).ThenBy(u => u.Weeks)
            .ThenBy(u => u.Pinned).ThenBy(u => u.Reason, StringComparer.Ordinal).ToList();

        return new PlanningResult(stints, orderedUnplaced, Metrics(context, state, stints, orderedUnplaced.Count, lowerBound));
    }

    /// <summary>Rounds of squeaky-wheel improvement after the first plan (each round is one run of the scheduler).</summary>
    internal const int ImprovementRounds = 12;

    /// <summary>
    /// Squeaky-wheel optimisation: plan, find the leaders who finish after the lower bound (or keep an item unplaced),
    /// move them up the priority by how late they are, plan again from the same starting state; keep the best plan
    /// (fewest unplaced items, then earliest makespan, then the earliest round). Stops early when a plan reaches the
    /// bound. Deterministic: the boosts are computed from the previous plan only.
    /// </summary>
    private static (PlanState, List<Item>) Improve(PlanContext context, PlanState start, List<Item> template, int lowerBound, int pinnedEnd)
    {
        var boost = new int[context.Leaders.Length];
        (PlanState State, List<Item> Items, int Unplaced, int Makespan)? best = null;
        for (var round = 0; round <= ImprovementRounds; round++)
        {
            var state = start.Extended(0); // a copy
            var items = template.Select(i => new Item(i.Leader, i.Tour, i.Kind, i.Weeks, i.Executive, i.Order)).ToList();
            new Scheduler(context, state, context.LastDay, lowerBound, round == 0 ? null : boost).Run(items);
            var unplaced = items.Count(i => !i.Placed);
            var makespan = Math.Max(pinnedEnd, items.Where(i => i.Placed).Select(i => i.End).DefaultIfEmpty(int.MinValue).Max());
            if (best is null || unplaced < best.Value.Unplaced || (unplaced == best.Value.Unplaced && makespan < best.Value.Makespan))
                best = (state, items, unplaced, makespan);
            if ((unplaced == 0 && makespan <= lowerBound) || template.Count == 0) break;

            var completion = new int[context.Leaders.Length];
            Array.Fill(completion, int.MinValue);
            foreach (var item in items)
                completion[item.Leader] = Math.Max(completion[item.Leader], item.Placed ? item.End : lowerBound + 28);
            for (var l = 0; l < boost.Length; l++)
                if (completion[l] > lowerBound) boost[l] += completion[l] - lowerBound;
        }
        return (best!.Value.State, best.Value.Items);
    }

    private static PlanMetrics Metrics(PlanContext context, PlanState state, List<ProposedStint> stints, int unplaced, int lowerBound)
    {
        var lb = context.Date(lowerBound);
        if (stints.Count == 0) return new PlanMetrics(null, lb, 0, 0, 0, 0, unplaced);
        var makespan = stints.Max(s => s.End);
        var last = context.Day(makespan);
        var gap = 100.0 * (last - lowerBound) / (lowerBound + 1);

        long used = 0, capacity = 0;
        foreach (var tour in state.Tours)
        {
            capacity += (long)tour.Capacity * (last + 1);
            for (var d = 0; d <= last; d++) used += tour[d];
        }
        var ends = stints.GroupBy(s => s.LeaderId).Select(g => g.Max(s => s.End.DayNumber)).ToList();
        return new PlanMetrics(makespan, lb, Math.Round(gap, 2), capacity == 0 ? 0 : Math.Round((double)used / capacity, 4),
            ends.Max() - ends.Min(), stints.Count, unplaced);
    }
}
