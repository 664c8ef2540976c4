using Rotations.Planning.Tests.Support;

namespace Rotations.Planning.Tests;

/// <summary>Hand-written cases: the stint and gap arithmetic, each unplaced reason, pinned stints, and input validation.</summary>
public class PlannerCaseTests
{
    private static readonly DateOnly Monday = new(2027, 3, 1); // a Monday
    private static readonly PlanTour Sales = new(G(1), "SALES", "Sales", 2, false);
    private static readonly PlanTour Contact = new(G(2), "CONTACT", "Contact centre", 1, false);
    private static readonly PlanTour Exec = new(G(3), "EXEC", "Executive management", 1, true);
    private static readonly Guid Lena = G(101), Omar = G(102);

    private static Guid G(int n) => new($"00000000-0000-0000-0000-{n:000000000000}");

    private static PlanningInput Input(int weeks, PlanLeader[] leaders, BookedStint[]? booked = null, PinnedStint[]? pinned = null,
        PlanTour[]? tours = null, PlanningRules? rules = null) =>
        new(Monday, Monday.AddDays(7 * weeks - 1), tours ?? [Sales, Contact, Exec], leaders, booked ?? [], pinned ?? [], rules ?? new PlanningRules());

    private static PlanLeader Leader(Guid id, string name, params Need[] needs) => new(id, name, needs, []);

    private static PlanningResult Plan(PlanningInput input)
    {
        var result = Planner.Plan(input);
        Assert.Empty(PlanChecker.Check(input, result));
        return result;
    }

    [Fact]
    public void A_stint_of_N_weeks_ends_on_the_Friday_of_its_Nth_week_and_the_next_follows_after_a_free_week()
    {
        var result = Plan(Input(20, [Leader(Lena, "Lena Fischer", new(Sales.Id, StintKind.Orientation, 3), new(Contact.Id, StintKind.Orientation, 2))]));
        var stints = result.Stints.OrderBy(s => s.Start).ToList();
        var sales = result.Stints.Single(s => s.TourId == Sales.Id);
        Assert.Equal(Monday, stints[0].Start);
        Assert.All(stints, s => Assert.Equal(DayOfWeek.Friday, s.End.DayOfWeek));
        Assert.Equal(sales.Start.AddDays(7 * 3 - 3), sales.End);
        Assert.Equal(stints[0].End.AddDays(10), stints[1].Start); // Friday → the Monday after next: 9 free days ≥ 7
        Assert.Equal(stints[1].End, result.Metrics.Makespan);
        Assert.Equal(result.Metrics.Makespan, result.Metrics.LowerBound);
        Assert.Equal(0, result.Metrics.GapPercent);
    }

    [Fact]
    public void A_full_tour_is_named_with_the_extension_and_the_capacity_that_would_fit_it()
    {
        var result = Plan(Input(6, [
            Leader(Lena, "Lena Fischer", new Need(Contact.Id, StintKind.Orientation, 4)),
            Leader(Omar, "Omar Haddad", new Need(Contact.Id, StintKind.Orientation, 4))]));
        var u = Assert.Single(result.Unplaced);
        Assert.Equal(Omar, u.LeaderId);
        Assert.StartsWith("CONTACT is full (capacity 1) in every 4-week window Omar Haddad has free from 1 Mar 2027", u.Reason);
        Assert.Equal("extend the horizon by 2 weeks or raise its capacity to 2", u.Fix); // Omar from 29 Mar to 23 Apr; To is 11 Apr
    }

    [Fact]
    public void A_tour_without_capacity_says_so()
    {
        var result = Plan(Input(10, [Leader(Lena, "Lena Fischer", new Need(Contact.Id, StintKind.Orientation, 2))],
            tours: [Sales, Contact with { Capacity = 0 }, Exec]));
        var u = Assert.Single(result.Unplaced);
        Assert.Equal(("CONTACT has no capacity", "raise its capacity to 1"), (u.Reason, u.Fix));
    }

    [Fact]
    public void An_unavailable_leader_is_named_with_the_period()
    {
        var lena = new PlanLeader(Lena, "Lena Fischer", [new Need(Sales.Id, StintKind.Orientation, 4)],
            [new Period(Monday.AddDays(14), Monday.AddDays(41))]);
        var u = Assert.Single(Plan(Input(8, [lena])).Unplaced);
        Assert.Equal("Lena Fischer is unavailable from 15 Mar 2027 to 11 Apr 2027, and has no other free 4-week window in the horizon", u.Reason);
        Assert.Equal("extend the horizon by 2 weeks or shorten the unavailable period", u.Fix);
    }

    [Fact]
    public void A_horizon_too_short_for_the_leader_counts_the_stints()
    {
        var needs = Enumerable.Range(0, 5).Select(_ => new Need(Sales.Id, StintKind.Orientation, 4)).ToArray();
        var result = Plan(Input(10, [Leader(Lena, "Lena Fischer", needs)], tours: [Sales with { Capacity = 5 }, Contact, Exec]));
        Assert.Equal(3, result.Unplaced.Count);
        Assert.All(result.Unplaced, u => Assert.StartsWith("the horizon is too short for 5 stints of Lena Fischer: back to back, with the gaps, they take 24 weeks, and the horizon has 10 weeks", u.Reason));
        Assert.All(result.Unplaced, u => Assert.EndsWith("or plan fewer tours for Lena Fischer", u.Fix));
    }

    [Fact]
    public void Executive_management_last_is_the_reason_when_a_booked_stint_ends_too_late()
    {
        var booked = new BookedStint(Lena, Sales.Id, Monday.AddDays(28), Monday.AddDays(28 + 7 * 3 - 3));
        var u = Assert.Single(Plan(Input(8, [Leader(Lena, "Lena Fischer", new Need(Exec.Id, StintKind.Orientation, 2))], [booked])).Unplaced);
        Assert.Equal("executive management comes last, and Lena Fischer's other stints run until 16 Apr 2027: no 2-week window after that in the horizon", u.Reason);
        Assert.Equal("extend the horizon by 2 weeks", u.Fix); // EXEC from 26 Apr to 7 May; To is 25 Apr
    }

    [Fact]
    public void Executive_management_is_planned_after_the_other_tours()
    {
        var result = Plan(Input(30, [Leader(Lena, "Lena Fischer", new(Exec.Id, StintKind.Orientation, 2), new(Sales.Id, StintKind.Orientation, 3))]));
        var exec = result.Stints.Single(s => s.TourId == Exec.Id);
        Assert.True(exec.Start > result.Stints.Single(s => s.TourId == Sales.Id).End);
    }

    [Fact]
    public void A_full_calendar_of_booked_stints_is_the_reason()
    {
        var booked = new BookedStint(Lena, Contact.Id, Monday.AddDays(14), Monday.AddDays(14 + 7 * 4 - 3));
        var u = Assert.Single(Plan(Input(8, [Leader(Lena, "Lena Fischer", new Need(Sales.Id, StintKind.Orientation, 3))], [booked])).Unplaced);
        Assert.Equal("Lena Fischer has no free 3-week window in the horizon: booked, pinned and planned stints, with 7-day gaps fill it", u.Reason);
        Assert.StartsWith("extend the horizon by ", u.Fix);
    }

    [Fact]
    public void Booked_stints_of_people_outside_the_cohort_count_against_capacity()
    {
        var outsider = new BookedStint(G(999), Contact.Id, Monday, Monday.AddDays(7 * 4 - 3));
        var result = Plan(Input(12, [Leader(Lena, "Lena Fischer", new Need(Contact.Id, StintKind.Orientation, 2))], [outsider]));
        Assert.Equal(Monday.AddDays(28), Assert.Single(result.Stints).Start);
    }

    [Fact]
    public void A_pinned_stint_is_placed_exactly_and_the_rest_is_planned_around_it()
    {
        var pin = new PinnedStint(Lena, Contact.Id, StintKind.Assignment, Monday, Monday.AddDays(7 * 8 - 3));
        var result = Plan(Input(20, [
            Leader(Lena, "Lena Fischer", new Need(Contact.Id, StintKind.Assignment, 8)),
            Leader(Omar, "Omar Haddad", new Need(Contact.Id, StintKind.Orientation, 2))], pinned: [pin]));
        Assert.Contains(result.Stints, s => s is { Pinned: true } && s.LeaderId == Lena && s.Start == pin.Start && s.End == pin.End);
        Assert.Single(result.Stints, s => s.LeaderId == Lena); // the pin stands for Lena's need
        Assert.Equal(Monday.AddDays(56), result.Stints.Single(s => s.LeaderId == Omar).Start); // CONTACT holds one at a time
        Assert.Empty(result.Unplaced);
    }

    [Theory]
    [InlineData("monday", "it starts on a Tuesday, and stints start on Mondays", "move it to start on 8 Mar 2027, the first date it fits, or unpin it")]
    [InlineData("outside", "it is outside the horizon (1 Mar 2027 to 9 May 2027)", "move it to start on 1 Mar 2027, the first date it fits, or unpin it")]
    [InlineData("overlap", "it overlaps Lena Fischer's booked SALES stint from 1 Mar 2027 to 12 Mar 2027", "move it to start on 22 Mar 2027, the first date it fits, or unpin it")]
    [InlineData("full", "CONTACT is full on 1 Mar 2027 (capacity 1)", "move it to start on 15 Mar 2027, the first date it fits, or unpin it")]
    [InlineData("exec", "executive management comes last, and Lena Fischer's other stints run until 2 Apr 2027", "move it to start on 12 Apr 2027, the first date it fits, or unpin it")]
    [InlineData("unavailable", "Lena Fischer is unavailable from 1 Mar 2027 to 7 Mar 2027", "move it to start on 8 Mar 2027, the first date it fits, or unpin it")]
    public void A_pinned_stint_that_breaks_a_rule_is_reported_with_the_rule(string broken, string reason, string fix)
    {
        var start = broken switch { "monday" => Monday.AddDays(1), "outside" => Monday.AddDays(-7), _ => Monday };
        var tour = broken == "exec" ? Exec : Contact;
        var pin = new PinnedStint(Lena, tour.Id, StintKind.Orientation, start, start.AddDays(7 * 2 - 3));
        BookedStint[] booked = broken switch
        {
            "overlap" => [new BookedStint(Lena, Sales.Id, Monday, Monday.AddDays(11))],
            "exec" => [new BookedStint(Lena, Sales.Id, Monday.AddDays(21), Monday.AddDays(32))],
            "full" => [new BookedStint(Omar, Contact.Id, Monday, Monday.AddDays(11))],
            _ => [],
        };
        Period[] unavailable = broken == "unavailable" ? [new Period(Monday, Monday.AddDays(6))] : [];
        var input = Input(10, [new PlanLeader(Lena, "Lena Fischer", [new Need(tour.Id, StintKind.Orientation, 2)], unavailable)], booked, [pin]);
        var result = Plan(input);
        var u = Assert.Single(result.Unplaced);
        Assert.True(u.Pinned);
        Assert.Equal($"the pinned {tour.Code} stint from {start.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)} to " +
            $"{pin.End.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}: {reason}", u.Reason);
        Assert.Equal(fix, u.Fix);
        Assert.Empty(result.Stints); // the rejected pin's need is not planned elsewhere
    }

    [Fact]
    public void The_later_of_two_clashing_pins_is_the_one_reported()
    {
        var first = new PinnedStint(Lena, Sales.Id, StintKind.Orientation, Monday, Monday.AddDays(11));
        var second = new PinnedStint(Lena, Contact.Id, StintKind.Orientation, Monday.AddDays(14), Monday.AddDays(25));
        var result = Plan(Input(10, [Leader(Lena, "Lena Fischer")], pinned: [second, first]));
        Assert.Equal(first.Start, Assert.Single(result.Stints).Start);
        Assert.Contains("is less than 7 days from Lena Fischer's pinned SALES stint", Assert.Single(result.Unplaced).Reason);
    }

    [Fact]
    public void Without_the_Monday_rule_stints_start_on_the_first_day()
    {
        var wednesday = Monday.AddDays(2);
        var input = Input(10, [Leader(Lena, "Lena Fischer", new Need(Sales.Id, StintKind.Orientation, 2))], rules: new PlanningRules(StartOnMonday: false)) with { From = wednesday };
        Assert.Equal(wednesday, Assert.Single(Plan(input).Stints).Start);
    }

    [Fact]
    public void Invalid_input_is_refused_naming_the_field()
    {
        var ok = Input(10, [Leader(Lena, "Lena Fischer", new Need(Sales.Id, StintKind.Orientation, 2))]);
        Assert.Contains("From", Assert.Throws<ArgumentException>(() => Planner.Plan(ok with { To = ok.From.AddDays(-1) })).Message);
        Assert.Contains("Capacity", Assert.Throws<ArgumentException>(() => Planner.Plan(ok with { Tours = [Sales with { Capacity = -1 }] })).Message);
        Assert.Contains("Weeks", Assert.Throws<ArgumentException>(() => Planner.Plan(ok with { Leaders = [Leader(Lena, "L", new Need(Sales.Id, StintKind.Orientation, 0))] })).Message);
        Assert.Contains("unknown tour", Assert.Throws<ArgumentException>(() => Planner.Plan(ok with { Leaders = [Leader(Lena, "L", new Need(G(77), StintKind.Orientation, 2))] })).Message);
        Assert.Contains("Booked: unknown tour", Assert.Throws<ArgumentException>(() => Planner.Plan(ok with { Booked = [new BookedStint(Lena, G(77), Monday, Monday)] })).Message);
        Assert.Contains("Leaders", Assert.Throws<ArgumentException>(() => Planner.Plan(ok with { Leaders = [.. ok.Leaders, .. ok.Leaders] })).Message);
        Assert.Contains("Pinned", Assert.Throws<ArgumentException>(() => Planner.Plan(ok with { Pinned = [new PinnedStint(G(55), Sales.Id, StintKind.Orientation, Monday, Monday.AddDays(4))] })).Message);
        Assert.Contains("MinGapDays", Assert.Throws<ArgumentException>(() => Planner.Plan(ok with { Rules = new PlanningRules(MinGapDays: -1) })).Message);
    }

    [Fact]
    public void An_empty_cohort_gives_an_empty_proposal()
    {
        var result = Plan(Input(10, []));
        Assert.Empty(result.Stints);
        Assert.Null(result.Metrics.Makespan);
    }
}
