using Rotations.Planning;

namespace Rotations.Planning.Tests.Support;

/// <summary>
/// An independent checker of a proposal: written from the rules in Model.cs, sharing no code with the engine. It
/// returns every rule the output breaks (empty when the proposal is valid):
/// every stint in the horizon, on a known tour, of a cohort leader; planned stints start on a slot and last exactly a
/// need's weeks; pinned stints are exactly an input pin; every need and pin is accounted for once; no overlap or short
/// gap among a leader's stints (booked included); no unavailable day; no tour over capacity on a day a proposed stint
/// runs; executive management last; the metrics agree with the stints; and no unplaced need would fit anywhere in the
/// plan as it stands (the planner leaves nothing out that it could have put in).
/// </summary>
public static class PlanChecker
{
    private sealed record S(Guid Leader, Guid Tour, DateOnly Start, DateOnly End, bool Output, string What);

    public static List<string> Check(PlanningInput input, PlanningResult result, bool checkMaximal = true)
    {
        var errors = new List<string>();
        var rules = input.Rules;
        var tours = input.Tours.ToDictionary(t => t.Id);
        var leaders = input.Leaders.ToDictionary(l => l.Id);

        foreach (var s in result.Stints)
        {
            var label = $"{s.LeaderId}/{(tours.TryGetValue(s.TourId, out var tt) ? tt.Code : s.TourId.ToString())} {s.Start}–{s.End}";
            if (!leaders.ContainsKey(s.LeaderId)) errors.Add($"{label}: leader not in the cohort");
            if (!tours.ContainsKey(s.TourId)) errors.Add($"{label}: unknown tour");
            if (s.Start < input.From || s.End > input.To) errors.Add($"{label}: outside the horizon");
            if (s.End < s.Start) errors.Add($"{label}: ends before it starts");
            if (rules.StartOnMonday && s.Start.DayOfWeek != DayOfWeek.Monday) errors.Add($"{label}: does not start on a Monday");
            if (s.Pinned)
            {
                if (!input.Pinned.Any(p => p.LeaderId == s.LeaderId && p.TourId == s.TourId && p.Kind == s.Kind && p.Start == s.Start && p.End == s.End))
                    errors.Add($"{label}: marked pinned but is no input pin");
            }
            else
            {
                var days = s.End.DayNumber - s.Start.DayNumber + 3;
                if (days % 7 != 0 || days / 7 < 1) errors.Add($"{label}: not a whole number of weeks ending on the last week's fifth day");
            }
        }

        // Accounting: needs, per leader and tour.
        var stintsOf = result.Stints.ToLookup(s => s.LeaderId);
        var unplacedOf = result.Unplaced.ToLookup(u => u.LeaderId);
        var pinsOf = input.Pinned.ToLookup(p => p.LeaderId);
        foreach (var leader in input.Leaders)
        {
            foreach (var group in leader.Needs.GroupBy(n => n.TourId))
            {
                var needs = group.Select(n => (n.Kind, n.Weeks)).ToList();
                var planned = stintsOf[leader.Id].Where(s => s.TourId == group.Key && !s.Pinned)
                    .Select(s => (s.Kind, Weeks: (s.End.DayNumber - s.Start.DayNumber + 3) / 7)).ToList();
                var unplaced = unplacedOf[leader.Id].Where(u => u.TourId == group.Key && !u.Pinned)
                    .Select(u => (u.Kind, u.Weeks)).ToList();
                var pins = pinsOf[leader.Id].Count(p => p.TourId == group.Key);
                var rest = needs.ToList();
                foreach (var x in planned.Concat(unplaced))
                    if (!rest.Remove(x)) errors.Add($"{leader.Name}: {x.Kind} {x.Weeks} weeks on {tours[group.Key].Code} is no need of theirs (or is there twice)");
                if (rest.Count != Math.Min(needs.Count, pins))
                    errors.Add($"{leader.Name}: on {tours[group.Key].Code}, {rest.Count} needs are neither planned nor unplaced (pins there: {pins})");
            }
            foreach (var s in stintsOf[leader.Id].Where(s => !s.Pinned))
                if (!leader.Needs.Any(n => n.TourId == s.TourId)) errors.Add($"{leader.Name}: planned on a tour not needed");
        }
        var pinsLeft = input.Pinned.Select(p => (p.LeaderId, p.TourId, p.Kind)).ToList();
        foreach (var x in result.Stints.Where(s => s.Pinned).Select(s => (s.LeaderId, s.TourId, s.Kind))
                     .Concat(result.Unplaced.Where(u => u.Pinned).Select(u => (u.LeaderId, u.TourId, u.Kind))))
            if (!pinsLeft.Remove(x)) errors.Add($"pin {x} reported that was not given (or twice)");
        if (pinsLeft.Count > 0) errors.Add($"{pinsLeft.Count} pins neither placed nor reported");
        foreach (var u in result.Unplaced)
            if (string.IsNullOrWhiteSpace(u.Reason) || string.IsNullOrWhiteSpace(u.Fix)) errors.Add($"unplaced {u.LeaderId}/{u.TourId}: reason or fix missing");

        errors.AddRange(RuleBreaks(input, result.Stints.Select(s => new S(s.LeaderId, s.TourId, s.Start, s.End, true,
            $"{(s.Pinned ? "pinned" : "planned")} {tours.GetValueOrDefault(s.TourId)?.Code} {s.Start}–{s.End}")).ToList()));

        // Metrics.
        var m = result.Metrics;
        if (m.Placed != result.Stints.Count) errors.Add($"metrics: Placed {m.Placed} but {result.Stints.Count} stints");
        if (m.UnplacedCount != result.Unplaced.Count) errors.Add($"metrics: UnplacedCount {m.UnplacedCount} but {result.Unplaced.Count} unplaced");
        DateOnly? makespan = result.Stints.Count == 0 ? null : result.Stints.Max(s => s.End);
        if (m.Makespan != makespan) errors.Add($"metrics: makespan {m.Makespan} but the last stint ends {makespan}");
        if (result.Unplaced.Count == 0 && makespan is { } mk && m.LowerBound > mk)
            errors.Add($"metrics: the lower bound {m.LowerBound} is after the makespan {mk} of a complete plan: it is not a lower bound");
        if (m.CapacityUse < 0 || double.IsNaN(m.CapacityUse)) errors.Add("metrics: capacity use out of range");

        if (checkMaximal && errors.Count == 0) errors.AddRange(Maximality(input, result));
        return errors;
    }

    /// <summary>Every rule a set of proposed stints breaks, with the input's booked stints and unavailable periods.</summary>
    private static List<string> RuleBreaks(PlanningInput input, List<S> proposed)
    {
        var errors = new List<string>();
        var rules = input.Rules;
        var tours = input.Tours.ToDictionary(t => t.Id);
        var booked = input.Booked.Select(b => new S(b.LeaderId, b.TourId, b.Start, b.End, false, $"booked {tours[b.TourId].Code} {b.Start}–{b.End}")).ToList();
        var byLeader = proposed.Concat(booked).ToLookup(s => s.Leader);

        foreach (var leader in input.Leaders)
        {
            var all = byLeader[leader.Id].ToList();
            for (var i = 0; i < all.Count; i++)
                for (var j = i + 1; j < all.Count; j++)
                {
                    var (a, b) = all[i].Start <= all[j].Start ? (all[i], all[j]) : (all[j], all[i]);
                    if (!a.Output && !b.Output) continue;
                    var free = b.Start.DayNumber - a.End.DayNumber - 1;
                    if (free < rules.MinGapDays) errors.Add($"{leader.Name}: {a.What} and {b.What} are {free} free days apart (min {rules.MinGapDays})");
                }
            foreach (var s in all.Where(s => s.Output))
                foreach (var u in leader.Unavailable)
                    if (s.Start <= u.To && u.From <= s.End) errors.Add($"{leader.Name}: {s.What} during unavailability {u.From}–{u.To}");
            if (rules.ExecutiveLast)
            {
                var counted = all.Where(s => s.Output || (s.End >= input.From && s.Start <= input.To)).ToList();
                foreach (var e in counted.Where(s => tours[s.Tour].IsExecutive))
                    foreach (var n in counted.Where(s => !tours[s.Tour].IsExecutive))
                        if ((e.Output || n.Output) && e.Start <= n.End) errors.Add($"{leader.Name}: executive {e.What} does not come after {n.What}");
            }
        }

        var bookedByTour = booked.ToLookup(b => b.Tour);
        foreach (var tourStints in proposed.GroupBy(s => s.Tour))
        {
            var tour = tours[tourStints.Key];
            // Running count per day: +1 on a stint's first day, −1 after its last.
            var delta = new SortedDictionary<int, int>();
            foreach (var s in tourStints.Concat(bookedByTour[tour.Id]))
            {
                delta[s.Start.DayNumber] = delta.GetValueOrDefault(s.Start.DayNumber) + 1;
                delta[s.End.DayNumber + 1] = delta.GetValueOrDefault(s.End.DayNumber + 1) - 1;
            }
            var proposedDays = new HashSet<int>(tourStints.SelectMany(s => Enumerable.Range(s.Start.DayNumber, s.End.DayNumber - s.Start.DayNumber + 1)));
            var keys = delta.Keys.ToList();
            var count = 0;
            for (var k = 0; k < keys.Count; k++)
            {
                count += delta[keys[k]];
                var until = k + 1 < keys.Count ? keys[k + 1] : keys[k] + 1;
                if (count <= tour.Capacity) continue;
                var bad = Enumerable.Range(keys[k], until - keys[k]).FirstOrDefault(proposedDays.Contains, -1);
                if (bad >= 0) { errors.Add($"{tour.Code}: {count} stints on {DateOnly.FromDayNumber(bad)} (capacity {tour.Capacity})"); break; }
            }
        }
        return errors;
    }

    /// <summary>No unplaced need fits, with every rule, at any start in the horizon, given the stints of the proposal.</summary>
    private static List<string> Maximality(PlanningInput input, PlanningResult result)
    {
        var errors = new List<string>();
        var rules = input.Rules;
        var tours = input.Tours.ToDictionary(t => t.Id);
        var all = result.Stints.Select(s => new S(s.LeaderId, s.TourId, s.Start, s.End, true, ""))
            .Concat(input.Booked.Select(b => new S(b.LeaderId, b.TourId, b.Start, b.End, false, ""))).ToList();
        foreach (var u in result.Unplaced.Where(u => !u.Pinned))
        {
            var tour = tours[u.TourId];
            if (tour.Capacity == 0) continue;
            var leader = input.Leaders.Single(l => l.Id == u.LeaderId);
            var mine = all.Where(s => s.Leader == u.LeaderId).ToList();
            var onTour = all.Where(s => s.Tour == u.TourId).ToList();
            for (var start = input.From; start.AddDays(7 * u.Weeks - 3) <= input.To; start = start.AddDays(1))
            {
                if (rules.StartOnMonday && start.DayOfWeek != DayOfWeek.Monday) continue;
                var end = start.AddDays(7 * u.Weeks - 3);
                bool Apart(S s) => s.Start <= start
                    ? start.DayNumber - s.End.DayNumber - 1 >= rules.MinGapDays
                    : s.Start.DayNumber - end.DayNumber - 1 >= rules.MinGapDays;
                if (!mine.All(Apart)) continue;
                if (leader.Unavailable.Any(p => start <= p.To && p.From <= end)) continue;
                if (rules.ExecutiveLast && mine.Where(s => s.Output || (s.End >= input.From && s.Start <= input.To)).Any(s =>
                        tour.IsExecutive ? !tours[s.Tour].IsExecutive && start <= s.End : tours[s.Tour].IsExecutive && s.Start <= end))
                    continue;
                var full = false;
                for (var d = start; d <= end && !full; d = d.AddDays(1))
                    full = onTour.Count(s => s.Start <= d && d <= s.End) + 1 > tour.Capacity;
                if (full) continue;
                errors.Add($"unplaced {u.Kind} {u.Weeks} weeks on {tour.Code} for {leader.Name} would fit from {start}");
                break;
            }
        }
        return errors;
    }
}
