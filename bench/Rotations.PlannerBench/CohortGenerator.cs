using Rotations.Planning;

namespace Rotations.PlannerBench;

/// <summary>How a generated cohort looks. The defaults are the benchmark's "realistic" shape.</summary>
public sealed record CohortShape
{
    public int Leaders { get; init; } = 100;
    public int Seed { get; init; } = 1;
    /// <summary>The horizon starts here (moved forward by up to <see cref="FromJitterDays"/>).</summary>
    public DateOnly From { get; init; } = new(2027, 1, 4);
    public int FromJitterDays { get; init; }
    public int MinHorizonWeeks { get; init; } = 104;
    public int MaxHorizonWeeks { get; init; } = 104;
    /// <summary>
    /// Realistic: each tour's capacity is scaled to its demand so that it alone would be busy for a share of the
    /// horizon between <see cref="MinLoad"/> and <see cref="MaxLoad"/> (for 500 leaders that is about leaders/25).
    /// Otherwise every tour gets a capacity from 1 to 4 (executive management 1 to 2), or 0 with <see cref="ZeroCapacityChance"/>.
    /// </summary>
    public bool ScaleCapacity { get; init; } = true;
    public double MinLoad { get; init; } = 0.40;
    public double MaxLoad { get; init; } = 0.70;
    public double ZeroCapacityChance { get; init; }
    public int MinTours { get; init; } = 3;
    public int MaxTours { get; init; } = 8;
    public double ExecutiveChance { get; init; } = 0.40;
    public double AssignmentChance { get; init; } = 0.20;
    public double UnavailableChance { get; init; } = 0.10;
    /// <summary>Share of leaders with a stint already booked (on a tour they no longer need), near the start.</summary>
    public double BookedChance { get; init; } = 0.15;
    /// <summary>Booked stints of people outside the cohort, per cohort leader.</summary>
    public double OutsiderBookedPerLeader { get; init; } = 0.05;
    /// <summary>Whether booked stints may exceed a tour's capacity (they are kept as they are).</summary>
    public bool AllowOverbooking { get; init; }
    /// <summary>Pinned stints: random dates, on a Monday most of the time, so some break rules.</summary>
    public int Pins { get; init; }
    public PlanningRules Rules { get; init; } = new();
}

/// <summary>Seeded cohorts of the product's shape: the eleven tours, leaders needing 3–8 of them, executive management for ~40%.</summary>
public static class CohortGenerator
{
    private static readonly (string Code, string Name)[] Catalogue =
    [
        ("SALES", "Sales"), ("SERVICE", "Customer service"), ("CONTACT", "Contact centre"), ("FIELD", "Field service"),
        ("DEPOT", "Depot service"), ("SELF", "Self service"), ("PRODUCT", "Product management"), ("MARKETING", "Marketing"),
        ("DIGITAL", "Digital & innovation"), ("WAREHOUSE", "Fulfilment & warehouse"), ("EXEC", "Executive management"),
    ];

    public static PlanningInput Generate(CohortShape shape)
    {
        var rng = new Random(shape.Seed);
        Guid NewId()
        {
            var bytes = new byte[16];
            rng.NextBytes(bytes);
            return new Guid(bytes);
        }
        var from = shape.From.AddDays(shape.FromJitterDays > 0 ? rng.Next(shape.FromJitterDays + 1) : 0);
        var horizonWeeks = rng.Next(shape.MinHorizonWeeks, shape.MaxHorizonWeeks + 1);
        var to = from.AddDays(7 * horizonWeeks - 1);
        var monday = from.AddDays(((int)DayOfWeek.Monday - (int)from.DayOfWeek + 7) % 7);

        var tourIds = Catalogue.Select(_ => NewId()).ToArray();
        var exec = Catalogue.Length - 1;

        // Needs.
        var leaders = new List<PlanLeader>();
        var demand = new double[Catalogue.Length];
        var needsOf = new List<List<(int Tour, Need Need)>>();
        for (var i = 0; i < shape.Leaders; i++)
        {
            var count = rng.Next(shape.MinTours, shape.MaxTours + 1);
            var needsExec = rng.NextDouble() < shape.ExecutiveChance;
            var others = Enumerable.Range(0, exec).OrderBy(_ => rng.Next()).Take(needsExec ? count - 1 : count).ToList();
            if (needsExec) others.Add(exec);
            var needs = new List<(int, Need)>();
            foreach (var t in others)
            {
                var assignment = t != exec ? rng.NextDouble() < shape.AssignmentChance : rng.NextDouble() < shape.AssignmentChance / 4;
                var weeks = assignment ? rng.Next(8, 13) : rng.Next(2, 5);
                needs.Add((t, new Need(tourIds[t], assignment ? StintKind.Assignment : StintKind.Orientation, weeks)));
                demand[t] += weeks;
            }
            needsOf.Add(needs);
        }

        // Capacities.
        var tours = new List<PlanTour>();
        for (var t = 0; t < Catalogue.Length; t++)
        {
            int capacity;
            if (shape.ScaleCapacity)
            {
                var load = shape.MinLoad + rng.NextDouble() * (shape.MaxLoad - shape.MinLoad);
                capacity = Math.Max(1, (int)Math.Ceiling(demand[t] / (load * horizonWeeks)));
            }
            else if (rng.NextDouble() < shape.ZeroCapacityChance) capacity = 0;
            else capacity = t == exec ? rng.Next(1, 3) : rng.Next(1, 5);
            tours.Add(new PlanTour(tourIds[t], Catalogue[t].Code, Catalogue[t].Name, capacity, t == exec));
        }

        // Booked stints: some leaders' earlier stints near the start, and people outside the cohort.
        var occupancy = new Dictionary<(int Tour, int Day), int>();
        var booked = new List<BookedStint>();
        void Book(Guid leader, int tour, DateOnly start, int weeks)
        {
            var end = start.AddDays(7 * weeks - 3);
            if (!shape.AllowOverbooking)
                for (var d = start; d <= end; d = d.AddDays(1))
                    if (occupancy.GetValueOrDefault((tour, d.DayNumber)) >= tours[tour].Capacity) return;
            for (var d = start; d <= end; d = d.AddDays(1)) occupancy[(tour, d.DayNumber)] = occupancy.GetValueOrDefault((tour, d.DayNumber)) + 1;
            booked.Add(new BookedStint(leader, tourIds[tour], start, end));
        }

        for (var i = 0; i < shape.Leaders; i++)
        {
            var id = NewId();
            var unavailable = new List<Period>();
            if (rng.NextDouble() < shape.UnavailableChance)
            {
                var start = from.AddDays(rng.Next(7 * horizonWeeks));
                unavailable.Add(new Period(start, start.AddDays(rng.Next(7, 57))));
            }
            if (rng.NextDouble() < shape.BookedChance)
            {
                var needed = needsOf[i].Select(n => n.Tour).ToHashSet();
                var free = Enumerable.Range(0, exec).Where(t => !needed.Contains(t)).ToList();
                if (free.Count > 0) Book(id, free[rng.Next(free.Count)], monday.AddDays(7 * rng.Next(-4, 8)), rng.Next(2, 5));
            }
            leaders.Add(new PlanLeader(id, $"Leader {i + 1:0000}", [.. needsOf[i].Select(n => n.Need)], unavailable));
        }
        var outsiders = (int)Math.Round(shape.Leaders * shape.OutsiderBookedPerLeader);
        for (var i = 0; i < outsiders; i++)
            Book(NewId(), rng.Next(Catalogue.Length), monday.AddDays(7 * rng.Next(-2, horizonWeeks)), rng.Next(2, 5));

        // Pins.
        var pinned = new List<PinnedStint>();
        for (var i = 0; i < shape.Pins && leaders.Count > 0; i++)
        {
            var li = rng.Next(leaders.Count);
            if (needsOf[li].Count == 0) continue;
            var (t, need) = needsOf[li][rng.Next(needsOf[li].Count)];
            var start = monday.AddDays(7 * rng.Next(horizonWeeks));
            if (rng.NextDouble() < 0.1) start = start.AddDays(rng.Next(1, 7));
            pinned.Add(new PinnedStint(leaders[li].Id, tourIds[t], need.Kind, start, start.AddDays(7 * need.Weeks - 3)));
        }

        return new PlanningInput(from, to, tours, leaders, booked, pinned, shape.Rules);
    }
}
