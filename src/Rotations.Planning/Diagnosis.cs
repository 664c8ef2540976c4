namespace Rotations.Planning;

/// <summary>
/// Why an item is unplaced, in plain words, and what would let it in. Reasons, in the order they are tried:
/// the tour has no capacity; the horizon cannot hold the leader's needs even back to back; the tour is full in every
/// window the leader has free; executive-last leaves no window; the leader's unavailable periods leave none; the
/// leader's calendar (booked, pinned, planned stints with their gaps) leaves none.
/// <para>
/// "Extend the horizon by N weeks" comes from planning the unplaced items again, the same way, on a copy of the final
/// state with the horizon pushed out: N is how far the last of them, in that what-if plan, ends beyond To. Items of
/// one leader are planned together, so the figures for them are consistent with each other.
/// "Raise its capacity to C" is the least capacity that opens one of the leader's free windows on that tour.
/// </para>
/// </summary>
internal static class Diagnosis
{
    private const int MaxExtensionDays = 20 * 365;

    public static List<Unplaced> Explain(PlanContext context, PlanState state, IReadOnlyList<Item> all, int target)
    {
        var unplaced = all.Where(i => !i.Placed).ToList();
        var result = new List<Unplaced>();
        if (unplaced.Count == 0) return result;
        var whatIf = WhatIf(context, state, unplaced, target, out var extension);

        foreach (var item in unplaced)
        {
            var (reason, fix) = Explain(context, state, all, item, Extend(context, whatIf[item], extension));
            result.Add(new Unplaced(context.Leaders[item.Leader].Id, context.Tours[item.Tour].Id, item.Kind, item.Weeks, reason, fix));
        }
        return result;
    }

    private static string Extend(PlanContext context, int? end, int extension) => end is { } e
        ? $"extend the horizon by {Weeks((e - context.LastDay + 6) / 7)}"
        : $"extend the horizon by more than {Weeks(extension / 7)}";

    public static string Weeks(int n) => n == 1 ? "1 week" : $"{n} weeks";

    private static Dictionary<Item, int?> WhatIf(PlanContext context, PlanState state, List<Item> unplaced, int target, out int extension)
    {
        var beyond = 0;
        foreach (var leader in state.Leaders)
        {
            foreach (var b in leader.Stints) beyond = Math.Max(beyond, b.End - context.LastDay);
            foreach (var u in leader.Unavailable) beyond = Math.Max(beyond, u.To - context.LastDay);
        }
        var needed = unplaced.Sum(i => (long)7 * i.Weeks + context.Gap + 7) + beyond + 14;
        extension = (int)Math.Min(MaxExtensionDays, needed);
        var copy = state.Extended(context.LastDay + 1 + extension);
        var clones = unplaced.ToDictionary(i => i, i => new Item(i.Leader, i.Tour, i.Kind, i.Weeks, i.Executive, i.Order));
        new Scheduler(context, copy, context.LastDay + extension, target).Run([.. clones.Values.OrderBy(c => c.Order)]);
        return clones.ToDictionary(kv => kv.Key, kv => kv.Value.Placed ? kv.Value.End : (int?)null);
    }

    private static (string Reason, string Fix) Explain(PlanContext context, PlanState state, IReadOnlyList<Item> all, Item item, string extend)
    {
        var tour = context.Tours[item.Tour];
        var leader = context.Leaders[item.Leader];
        var calendar = state.Leaders[item.Leader];
        var gap = context.Gap;
        var weeks = $"{item.Weeks}-week";

        if (tour.Capacity == 0) return ($"{tour.Code} has no capacity", "raise its capacity to 1");

        var mine = all.Where(i => i.Leader == item.Leader).ToList();
        var first = context.SlotAtOrAfter(0);
        var fridayEnd = PlanContext.EndOf(first, 1);
        var transition = context.NextStartAfter(fridayEnd) - fridayEnd;
        var chainEnd = first + mine.Sum(i => 7 * i.Weeks - 3) + (mine.Count - 1) * transition;
        if (chainEnd > context.LastDay)
            return ($"the horizon is too short for {mine.Count} stints of {leader.Name}: back to back, with the gaps, they take " +
                    $"{Weeks((chainEnd - first + 7) / 7)}, and the horizon has {Weeks((context.LastDay - first + 3) / 7)}",
                $"{extend} or plan fewer tours for {leader.Name}");

        int? windowFrom = null, windowTo = null;
        var leastFull = int.MaxValue;
        bool orderOnly = false, unavailableOnly = false;
        for (var s = first; PlanContext.EndOf(s, item.Weeks) <= context.LastDay; s = context.NextSlot(s))
        {
            var e = PlanContext.EndOf(s, item.Weeks);
            var clash = calendar.Clash(s, e, gap) is not null;
            var unavailable = calendar.UnavailableIn(s, e) is not null;
            var order = !context.ExecutiveLast || calendar.OrderAllows(s, e, item.Executive);
            if (!clash && !unavailable && order)
            {
                windowFrom ??= s;
                windowTo = e;
                leastFull = Math.Min(leastFull, state.Tours[item.Tour].MaxOccupancy(s, e));
            }
            else if (!clash && !unavailable) orderOnly = true;
            else if (!clash && order) unavailableOnly = true;
        }

        if (windowFrom is { } from && windowTo is { } to)
            return ($"{tour.Code} is full (capacity {tour.Capacity}) in every {weeks} window {leader.Name} has free " +
                    $"from {context.Text(from)} to {context.Text(to)}",
                $"{extend} or raise its capacity to {leastFull + 1}");
        if (orderOnly)
            return (item.Executive
                    ? $"executive management comes last, and {leader.Name}'s other stints run until {context.Text(calendar.NonExecEnd)}: " +
                      $"no {weeks} window after that in the horizon"
                    : $"executive management comes last, and {leader.Name}'s executive stint starts on {context.Text(calendar.ExecStart)}: " +
                      $"no {weeks} window for {tour.Code} before it",
                extend);
        var periods = calendar.Unavailable.Where(u => u.To >= 0 && u.From <= context.LastDay).OrderBy(u => u.From)
            .Select(u => $"from {context.Text(u.From)} to {context.Text(u.To)}").ToList();
        if (unavailableOnly)
            return ($"{leader.Name} is unavailable {string.Join(" and ", periods)}, and has no other free {weeks} window in the horizon",
                $"{extend} or shorten the unavailable period");
        return ($"{leader.Name} has no free {weeks} window in the horizon: booked, pinned and planned stints, with {gap}-day gaps" +
                (periods.Count > 0 ? ", and the unavailable periods," : "") + " fill it",
            extend);
    }
}
