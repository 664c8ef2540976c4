using Rotations.Planning.Tests.Support;
using Rotations.PlannerBench;

namespace Rotations.Planning.Tests;

/// <summary>The checker itself catches each kind of broken rule (a checker that finds nothing proves nothing).</summary>
public class PlanCheckerTests
{
    private static (PlanningInput Input, PlanningResult Result) Valid()
    {
        var input = CohortGenerator.Generate(new CohortShape { Leaders = 40, Seed = 5, MinLoad = 0.3, MaxLoad = 0.4 });
        var result = Planner.Plan(input);
        Assert.Empty(PlanChecker.Check(input, result));
        return (input, result);
    }

    private static PlanningResult With(PlanningResult r, int index, Func<ProposedStint, ProposedStint> change) =>
        r with { Stints = [.. r.Stints.Select((s, i) => i == index ? change(s) : s)] };

    [Fact]
    public void A_stint_moved_off_Monday_is_caught() =>
        Assert.Contains(PlanChecker.Check(Valid().Input, With(Valid().Result, 0, s => s with { Start = s.Start.AddDays(1), End = s.End.AddDays(1) }), false),
            e => e.Contains("Monday"));

    [Fact]
    public void A_stint_outside_the_horizon_is_caught()
    {
        var (input, result) = Valid();
        Assert.Contains(PlanChecker.Check(input, With(result, 0, s => s with { Start = input.From.AddDays(-7), End = s.End.AddDays(-7) }), false),
            e => e.Contains("horizon"));
    }

    [Fact]
    public void Overlapping_stints_of_one_leader_are_caught()
    {
        var (input, result) = Valid();
        var i = result.Stints.Select((s, k) => (s, k)).First(x => x.k > 0 && result.Stints[x.k - 1].LeaderId == x.s.LeaderId).k;
        var previous = result.Stints[i - 1];
        var broken = With(result, i, s => s with { Start = previous.Start, End = previous.Start.AddDays(s.End.DayNumber - s.Start.DayNumber) });
        Assert.Contains(PlanChecker.Check(input, broken, false), e => e.Contains("free days apart"));
    }

    [Fact]
    public void A_tour_over_capacity_is_caught()
    {
        var (input, result) = Valid();
        var tour = input.Tours.First(t => !t.IsExecutive);
        var input1 = input with { Tours = [.. input.Tours.Select(t => t.Id == tour.Id ? t with { Capacity = 0 } : t)] };
        Assert.Contains(PlanChecker.Check(input1, result, false), e => e.Contains("capacity"));
    }

    [Fact]
    public void A_lost_need_and_an_executive_stint_too_early_are_caught()
    {
        var (input, result) = Valid();
        var lost = result with { Stints = [.. result.Stints.Skip(1)], Metrics = result.Metrics with { Placed = result.Stints.Count - 1 } };
        Assert.Contains(PlanChecker.Check(input, lost, false), e => e.Contains("neither planned nor unplaced"));

        var exec = input.Tours.Single(t => t.IsExecutive);
        var leader = result.Stints.GroupBy(s => s.LeaderId).First(g => g.Any(s => s.TourId == exec.Id) && g.Count() > 1);
        var first = leader.OrderBy(s => s.Start).First();
        var execStint = leader.Single(s => s.TourId == exec.Id);
        var swapped = result with
        {
            Stints = [.. result.Stints.Select(s => s == execStint ? s with { Start = first.Start, End = first.Start.AddDays(s.End.DayNumber - s.Start.DayNumber) } : s)],
        };
        Assert.Contains(PlanChecker.Check(input with { Rules = input.Rules with { MinGapDays = 0 } }, swapped, false), e => e.Contains("executive"));
    }

    [Fact]
    public void A_need_left_out_that_would_fit_is_caught()
    {
        var (input, result) = Valid();
        var dropped = result.Stints.Where(s => !s.Pinned).MinBy(s => s.End)!;
        var weeks = (dropped.End.DayNumber - dropped.Start.DayNumber + 3) / 7;
        var broken = result with
        {
            Stints = [.. result.Stints.Where(s => s != dropped)],
            Unplaced = [.. result.Unplaced, new Unplaced(dropped.LeaderId, dropped.TourId, dropped.Kind, weeks, "r", "f")],
            Metrics = result.Metrics with { Placed = result.Stints.Count - 1, UnplacedCount = result.Unplaced.Count + 1 },
        };
        Assert.Contains(PlanChecker.Check(input, broken), e => e.Contains("would fit"));
    }
}
