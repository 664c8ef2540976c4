using Rotations.Bench;

namespace Rotations.Tests.Benchmarks;

/// <summary>The benchmark's generated programme: reproducible from its seed, and a schedule the booking rules would allow.</summary>
public sealed class ProgrammeDatasetTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);

    [Fact]
    public void SameSeed_SameProgramme_OtherSeed_Another()
    {
        var a = new ProgrammeDataset(600, seed: 7, Today);
        var b = new ProgrammeDataset(600, seed: 7, Today);
        var c = new ProgrammeDataset(600, seed: 8, Today);
        Assert.Equal(a.Stints, b.Stints);
        Assert.Equal(a.Notes, b.Notes);
        Assert.Equal(a.Reviews.Select(r => r.Id), b.Reviews.Select(r => r.Id));
        Assert.NotEqual(a.Stints.Select(s => s.Id), c.Stints.Select(s => s.Id));
    }

    [Fact]
    public void Programme_HasItsCohorts_FiveYears_AndNeverOverfillsATourOrDoublesALeader()
    {
        var data = new ProgrammeDataset(900, seed: 1, Today);
        Assert.Equal(900, data.Leaders.Count);
        Assert.Equal(ProgrammeDataset.PlanCohortSize, data.Profiles.Count(p => p.CohortId == data.PlanCohort.Id));
        var planned = data.Profiles.Where(p => p.CohortId == data.PlanCohort.Id).Select(p => p.PersonId).ToHashSet();
        Assert.DoesNotContain(data.Stints, s => planned.Contains(s.LeaderId));
        Assert.True(data.Stints.Min(s => s.Start) < Today.AddYears(-3).AddDays(-300), "stints reach back four years");
        Assert.True(data.Stints.Max(s => s.End) > Today.AddDays(300), "stints reach a year ahead");
        Assert.NotEmpty(data.Reflections);
        Assert.NotEmpty(data.Feedback);
        Assert.NotEmpty(data.Reviews);
        Assert.NotEmpty(data.Notes);

        var live = data.Stints.Where(s => !s.Cancelled).ToList();
        var busiest = live.SelectMany(s => Enumerable.Range(0, s.End.DayNumber - s.Start.DayNumber + 1).Select(d => (s.Tour, Day: s.Start.DayNumber + d)))
            .GroupBy(x => x).Max(g => g.Count());
        Assert.True(busiest <= data.Capacity, $"a tour has {busiest} leaders on one day for {data.Capacity} seats");
        foreach (var mine in live.GroupBy(s => s.LeaderId))
        {
            var ordered = mine.OrderBy(s => s.Start).ToList();
            for (var i = 1; i < ordered.Count; i++) Assert.True(ordered[i].Start > ordered[i - 1].End, "a leader's stints overlap");
        }
        // Reflections only for stints that ended, a week to write them.
        var ended = data.Stints.ToDictionary(s => s.Id);
        Assert.All(data.Reflections, r => Assert.True(ended[r.StintId].End < Today && r.DueOn == ended[r.StintId].End.AddDays(7)));
    }
}
