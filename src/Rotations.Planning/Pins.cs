namespace Rotations.Planning;

/// <summary>
/// Pinned stints, taken in order of start (then leader id, tour id, end, kind): each is checked against every rule
/// with what is already in place (booked stints and the pins accepted before it) and placed exactly as given, or
/// reported unplaced with the rule it breaks and the first start where it would fit.
/// </summary>
internal static class Pins
{
    public static void Apply(PlanContext context, PlanState state, List<Need>[] needs, List<ProposedStint> stints, List<Unplaced> unplaced)
    {
        var pins = context.Input.Pinned
            .OrderBy(p => p.Start).ThenBy(p => p.LeaderId).ThenBy(p => p.TourId).ThenBy(p => p.End).ThenBy(p => p.Kind);
        foreach (var pin in pins)
        {
            var li = context.LeaderIndex[pin.LeaderId];
            var ti = context.TourIndex[pin.TourId];
            ConsumeNeed(needs[li], pin);
            var start = context.Day(pin.Start);
            var end = context.Day(pin.End);
            var broken = BrokenRule(context, state, li, ti, start, end);
            if (broken is null)
            {
                state.Tours[ti].Add(start, end);
                state.Leaders[li].Add(new Busy(start, end, ti, Source.Pinned), context.Tours[ti].IsExecutive, countsForOrder: true);
                stints.Add(new ProposedStint(pin.LeaderId, pin.TourId, pin.Kind, pin.Start, pin.End, Pinned: true));
                continue;
            }
            var fit = FirstFit(context, state, li, ti, end - start, Math.Max(0, start)) ?? FirstFit(context, state, li, ti, end - start, 0);
            var fix = fit is { } s
                ? $"move it to start on {context.Text(s)}, the first date it fits, or unpin it"
                : "unpin it: it fits nowhere in the horizon";
            unplaced.Add(new Unplaced(pin.LeaderId, pin.TourId, pin.Kind, (end - start + 3 + 6) / 7,
                $"the pinned {context.Tours[ti].Code} stint from {PlanContext.Format(pin.Start)} to {PlanContext.Format(pin.End)}: {broken}", fix, Pinned: true));
        }
    }

    /// <summary>The need a pin stands for: the same tour, the same kind preferred, then the nearest length.</summary>
    private static void ConsumeNeed(List<Need> needs, PinnedStint pin)
    {
        var weeks = (pin.End.DayNumber - pin.Start.DayNumber + 3 + 6) / 7;
        var match = needs.Select((n, i) => (n, i)).Where(x => x.n.TourId == pin.TourId)
            .OrderBy(x => x.n.Kind == pin.Kind ? 0 : 1).ThenBy(x => Math.Abs(x.n.Weeks - weeks)).ThenBy(x => x.i)
            .Select(x => (int?)x.i).FirstOrDefault();
        if (match is { } m) needs.RemoveAt(m);
    }

    /// <summary>The rule a stint [start, end] of this leader on this tour would break, in plain words, or null.</summary>
    public static string? BrokenRule(PlanContext context, PlanState state, int li, int ti, int start, int end)
    {
        var leader = context.Leaders[li];
        var calendar = state.Leaders[li];
        var tour = context.Tours[ti];
        if (start < 0 || end > context.LastDay)
            return $"it is outside the horizon ({PlanContext.Format(context.Input.From)} to {PlanContext.Format(context.Input.To)})";
        if (!context.IsSlot(start))
            return $"it starts on a {context.Date(start).DayOfWeek}, and stints start on Mondays";
        if (calendar.UnavailableIn(start, end) is { } u)
            return $"{leader.Name} is unavailable from {context.Text(u.From)} to {context.Text(u.To)}";
        if (calendar.Clash(start, end, context.Gap) is { } b)
        {
            var what = b.Start <= end && start <= b.End ? "it overlaps" : $"it is less than {context.Gap} days from";
            return $"{what} {leader.Name}'s {(b.Source == Source.Booked ? "booked" : "pinned")} {context.Tours[b.Tour].Code} stint " +
                $"from {context.Text(b.Start)} to {context.Text(b.End)}";
        }
        if (context.ExecutiveLast && !calendar.OrderAllows(start, end, tour.IsExecutive))
            return tour.IsExecutive
                ? $"executive management comes last, and {leader.Name}'s other stints run until {context.Text(calendar.NonExecEnd)}"
                : $"executive management comes last, and {leader.Name}'s executive stint starts on {context.Text(calendar.ExecStart)}";
        var full = state.Tours[ti].FirstFull(start, end);
        if (full <= end)
            return tour.Capacity == 0
                ? $"{tour.Code} has no capacity"
                : $"{tour.Code} is full on {context.Text(full)} (capacity {tour.Capacity})";
        return null;
    }

    /// <summary>The first start from <paramref name="from"/> where the pin would break no rule.</summary>
    private static int? FirstFit(PlanContext context, PlanState state, int li, int ti, int length, int from)
    {
        for (var s = context.SlotAtOrAfter(from); s + length <= context.LastDay; s = context.NextSlot(s))
            if (BrokenRule(context, state, li, ti, s, s + length) is null) return s;
        return null;
    }
}
