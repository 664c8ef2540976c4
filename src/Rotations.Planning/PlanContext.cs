using System.Globalization;

namespace Rotations.Planning;

/// <summary>
/// The input, validated and put in a fixed order (tours and leaders by id, needs by tour id, kind and weeks), with
/// day arithmetic. Inside the planner a day is an int: days since <see cref="PlanningInput.From"/> (day 0).
/// </summary>
internal sealed class PlanContext
{
    public PlanningInput Input { get; }
    public PlanTour[] Tours { get; }
    public PlanLeader[] Leaders { get; }
    public Need[][] Needs { get; }
    public Dictionary<Guid, int> TourIndex { get; } = [];
    public Dictionary<Guid, int> LeaderIndex { get; } = [];
    public int Gap => Input.Rules.MinGapDays;
    public bool Monday => Input.Rules.StartOnMonday;
    public bool ExecutiveLast => Input.Rules.ExecutiveLast;
    /// <summary>The last day of the horizon (To).</summary>
    public int LastDay { get; }
    private readonly int origin;

    public PlanContext(PlanningInput input)
    {
        Validate(input);
        Input = input;
        origin = input.From.DayNumber;
        LastDay = input.To.DayNumber - origin;
        Tours = [.. input.Tours.OrderBy(t => t.Id)];
        for (var i = 0; i < Tours.Length; i++)
            if (!TourIndex.TryAdd(Tours[i].Id, i)) throw new ArgumentException($"Tours: the id {Tours[i].Id} appears twice.", nameof(input));
        Leaders = [.. input.Leaders.OrderBy(l => l.Id)];
        for (var i = 0; i < Leaders.Length; i++)
            if (!LeaderIndex.TryAdd(Leaders[i].Id, i)) throw new ArgumentException($"Leaders: the id {Leaders[i].Id} appears twice.", nameof(input));
        Needs = [.. Leaders.Select(l => l.Needs.OrderBy(n => n.TourId).ThenBy(n => n.Kind).ThenBy(n => n.Weeks).ToArray())];

        foreach (var l in Leaders)
            foreach (var n in l.Needs)
                if (!TourIndex.ContainsKey(n.TourId))
                    throw new ArgumentException($"Leaders[{l.Id}].Needs: unknown tour id {n.TourId}.", nameof(input));
        foreach (var b in input.Booked)
            if (!TourIndex.ContainsKey(b.TourId)) throw new ArgumentException($"Booked: unknown tour id {b.TourId}.", nameof(input));
        foreach (var p in input.Pinned)
        {
            if (!TourIndex.ContainsKey(p.TourId)) throw new ArgumentException($"Pinned: unknown tour id {p.TourId}.", nameof(input));
            if (!LeaderIndex.ContainsKey(p.LeaderId)) throw new ArgumentException($"Pinned: leader {p.LeaderId} is not in the cohort.", nameof(input));
        }
    }

    private static void Validate(PlanningInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Tours, "input.Tours");
        ArgumentNullException.ThrowIfNull(input.Leaders, "input.Leaders");
        ArgumentNullException.ThrowIfNull(input.Booked, "input.Booked");
        ArgumentNullException.ThrowIfNull(input.Pinned, "input.Pinned");
        ArgumentNullException.ThrowIfNull(input.Rules, "input.Rules");
        if (input.From > input.To) throw new ArgumentException($"From ({input.From:yyyy-MM-dd}) is after To ({input.To:yyyy-MM-dd}).", nameof(input));
        if (input.Rules.MinGapDays < 0) throw new ArgumentException("Rules.MinGapDays must be 0 or more.", nameof(input));
        foreach (var t in input.Tours)
            if (t.Capacity < 0) throw new ArgumentException($"Tours[{t.Code}].Capacity must be 0 or more (it is {t.Capacity}).", nameof(input));
        foreach (var l in input.Leaders)
        {
            ArgumentNullException.ThrowIfNull(l.Needs, $"Leaders[{l.Id}].Needs");
            ArgumentNullException.ThrowIfNull(l.Unavailable, $"Leaders[{l.Id}].Unavailable");
            foreach (var n in l.Needs)
                if (n.Weeks < 1) throw new ArgumentException($"Leaders[{l.Id}].Needs: Weeks must be 1 or more (it is {n.Weeks}).", nameof(input));
            foreach (var u in l.Unavailable)
                if (u.From > u.To) throw new ArgumentException($"Leaders[{l.Id}].Unavailable: From is after To.", nameof(input));
        }
        foreach (var b in input.Booked)
            if (b.Start > b.End) throw new ArgumentException($"Booked: a stint of leader {b.LeaderId} starts after it ends.", nameof(input));
        foreach (var p in input.Pinned)
            if (p.Start > p.End) throw new ArgumentException($"Pinned: a stint of leader {p.LeaderId} starts after it ends.", nameof(input));
    }

    public int Day(DateOnly date) => date.DayNumber - origin;
    public DateOnly Date(int day) => DateOnly.FromDayNumber(origin + day);
    public string Text(int day) => Format(Date(day));
    public static string Format(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The first day a stint may start on at or after <paramref name="day"/>: the next Monday, or the day itself.</summary>
    public int SlotAtOrAfter(int day)
    {
        if (!Monday) return day;
        var dow = (int)Date(day).DayOfWeek;
        return day + ((int)DayOfWeek.Monday - dow + 7) % 7;
    }

    public int NextSlot(int slot) => Monday ? slot + 7 : slot + 1;
    public bool IsSlot(int day) => !Monday || Date(day).DayOfWeek == DayOfWeek.Monday;

    /// <summary>The last day of a planned stint of <paramref name="weeks"/> weeks starting on <paramref name="start"/>.</summary>
    public static int EndOf(int start, int weeks) => start + 7 * weeks - 3;

    /// <summary>The earliest start of a stint that follows one ending on <paramref name="end"/>, given the gap.</summary>
    public int NextStartAfter(int end) => SlotAtOrAfter(end + Gap + 1);
}
