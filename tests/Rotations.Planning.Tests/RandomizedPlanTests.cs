using Rotations.Planning.Tests.Support;
using Rotations.PlannerBench;

namespace Rotations.Planning.Tests;

/// <summary>
/// Thousands of seeded, reproducible cohorts of every shape (small and crowded, tours without capacity, overbooked
/// tours, odd horizons, any gap, with and without the Monday and executive rules, pins that break rules): the
/// independent checker finds no broken rule in any proposal, and planning twice gives the same proposal.
/// </summary>
public class RandomizedPlanTests
{
    public static CohortShape Shape(int seed)
    {
        var rng = new Random(seed * 7919 + 13);
        var minWeeks = rng.Next(3, 60);
        return new CohortShape
        {
            Seed = seed,
            Leaders = rng.Next(1, 26),
            FromJitterDays = 6,
            MinHorizonWeeks = minWeeks,
            MaxHorizonWeeks = minWeeks + rng.Next(0, 40),
            ScaleCapacity = rng.NextDouble() < 0.3,
            ZeroCapacityChance = 0.05,
            MinTours = 1,
            MaxTours = rng.Next(1, 9),
            UnavailableChance = 0.25,
            BookedChance = 0.3,
            OutsiderBookedPerLeader = 0.2,
            AllowOverbooking = rng.NextDouble() < 0.3,
            Pins = rng.Next(0, 5),
            Rules = new PlanningRules(
                MinGapDays: rng.Next(0, 15),
                StartOnMonday: rng.NextDouble() < 0.85,
                ExecutiveLast: rng.NextDouble() < 0.8),
        };
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void No_proposal_breaks_a_rule_and_the_same_input_gives_the_same_proposal(int block)
    {
        const int perBlock = 500;
        for (var seed = block * perBlock; seed < (block + 1) * perBlock; seed++)
        {
            var input = CohortGenerator.Generate(Shape(seed));
            var result = Planner.Plan(input);
            var errors = PlanChecker.Check(input, result);
            Assert.True(errors.Count == 0, $"seed {seed}: {string.Join("; ", errors.Take(5))}");
            if (seed % 5 == 0) PlanAssert.Same(result, Planner.Plan(input), $"seed {seed}");
        }
    }

    [Fact]
    public void The_order_of_the_input_does_not_matter()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var input = CohortGenerator.Generate(Shape(seed) with { MaxHorizonWeeks = 40, MinHorizonWeeks = 20 });
            var rng = new Random(seed);
            var shuffled = input with
            {
                Tours = [.. input.Tours.OrderBy(_ => rng.Next())],
                Leaders = [.. input.Leaders.OrderBy(_ => rng.Next()).Select(l => l with { Needs = [.. l.Needs.OrderBy(_ => rng.Next())] })],
                Booked = [.. input.Booked.OrderBy(_ => rng.Next())],
                Pinned = [.. input.Pinned.OrderBy(_ => rng.Next())],
            };
            PlanAssert.Same(Planner.Plan(input), Planner.Plan(shuffled), $"seed {seed}");
        }
    }

    /// <summary>Quality, not speed: on the benchmark's realistic shape, the makespan is within 10% of the lower bound.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Realistic_cohorts_finish_within_ten_percent_of_the_lower_bound(int seed)
    {
        var input = CohortGenerator.Generate(new CohortShape { Leaders = 300, Seed = seed });
        var result = Planner.Plan(input);
        Assert.Empty(PlanChecker.Check(input, result));
        Assert.Empty(result.Unplaced);
        Assert.InRange(result.Metrics.GapPercent, 0, 10);
    }
}

public static class PlanAssert
{
    public static void Same(PlanningResult a, PlanningResult b, string because)
    {
        Assert.True(a.Stints.SequenceEqual(b.Stints), $"{because}: different stints");
        Assert.True(a.Unplaced.SequenceEqual(b.Unplaced), $"{because}: different unplaced items");
        Assert.Equal(a.Metrics, b.Metrics);
    }
}
