using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Tests.Scheduling;

/// <summary>The rules of SchedulingService, called directly against a real database.</summary>
public sealed class SchedulingRulesTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private static readonly DateOnly Jan4 = new(2027, 1, 4);

    private Task<Stint> Book(Guid leader, Guid tour, DateOnly start, DateOnly end, StintKind kind = StintKind.Orientation, Guid? host = null) =>
        app.WithServiceAsync<SchedulingService, Stint>(s => s.BookAsync(new StintRequest(leader, tour, host, start, end, kind, "")));

    [Fact]
    public async Task Book_WithinTheRules_IsPlanned()
    {
        var leader = await app.LeaderAsync();
        var tour = await app.NewTourAsync();

        var stint = await Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(13));

        Assert.Equal(StintStatus.Planned, stint.StatusOn(new DateOnly(2026, 12, 1)));
        Assert.Equal(StintStatus.InProgress, stint.StatusOn(Jan4.AddDays(3)));
        Assert.Equal(StintStatus.Completed, stint.StatusOn(Jan4.AddDays(14)));
        Assert.NotEqual(0u, stint.Version);
    }

    [Fact]
    public async Task Book_EndBeforeStart_NamesTheEndDate()
    {
        var leader = await app.LeaderAsync();
        var tour = await app.NewTourAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(-1)));

        Assert.Contains("is before the first day", Assert.Single(ex.Errors["endDate"]));
    }

    [Fact]
    public async Task Book_LongerThanTheTourAllows_NamesTheBoundsAndTheLength()
    {
        var leader = await app.LeaderAsync();
        var tour = await app.NewTourAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(44)));

        Assert.Equal($"An orientation stint at Test tour ({tour.Code}) lasts 1 to 4 weeks; this one spans 7 weeks (45 days).",
            Assert.Single(ex.Errors["endDate"]));
    }

    [Fact]
    public async Task Book_OverlappingTheLeadersOtherStint_Returns409NamingTheClash()
    {
        var leader = await app.LeaderAsync();
        var first = await Book(leader.Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));
        var other = await app.NewTourAsync();

        var ex = await Assert.ThrowsAsync<ConflictException>(() => Book(leader.Id, other.Id, Jan4.AddDays(7), Jan4.AddDays(20)));

        var clash = Assert.Single(ex.Clashes);
        Assert.Equal("Overlap", clash.Kind);
        Assert.Equal([first.Id], clash.StintIds);
        Assert.Contains("already has Test tour", clash.Message);
        Assert.Equal(Jan4.AddDays(7), clash.From);
        Assert.Equal(Jan4.AddDays(13), clash.To);
    }

    [Fact]
    public async Task Book_WhenTheTourIsFull_Returns409NamingThePeriodAndTheOccupants()
    {
        var tour = await app.NewTourAsync(capacity: 2);
        var a = await app.LeaderAsync("ann");
        var b = await app.LeaderAsync("bob");
        await Book(a.Id, tour.Id, Jan4, Jan4.AddDays(13));
        await Book(b.Id, tour.Id, Jan4.AddDays(7), Jan4.AddDays(20));
        var c = await app.LeaderAsync("cat");

        var ex = await Assert.ThrowsAsync<ConflictException>(() => Book(c.Id, tour.Id, Jan4, Jan4.AddDays(27)));

        var clash = Assert.Single(ex.Clashes);
        Assert.Equal("Capacity", clash.Kind);
        Assert.Equal(Jan4.AddDays(7), clash.From);
        Assert.Equal(Jan4.AddDays(13), clash.To);
        Assert.Contains("2 of 2 places taken by Ann", clash.Message);
        Assert.Equal(2, clash.StintIds.Count);
    }

    [Fact]
    public async Task Book_ACancelledStintFreesItsPlaceAndItsDates()
    {
        var tour = await app.NewTourAsync(capacity: 1);
        var a = await app.LeaderAsync("ann");
        var first = await Book(a.Id, tour.Id, Jan4, Jan4.AddDays(13));
        await app.WithServiceAsync<SchedulingService, Stint>(s => s.CancelAsync(first.Id, first.Version, "Ann changed jobs"));

        var again = await Book(a.Id, tour.Id, Jan4, Jan4.AddDays(13));

        Assert.NotEqual(first.Id, again.Id);
    }

    [Fact]
    public async Task Book_WithAHostWhoDoesNotHostTheTour_NamesTheHost()
    {
        var tour = await app.NewTourAsync();
        var leader = await app.LeaderAsync();
        var stranger = await app.CreatePersonAsync(TestData.UniqueEmail("harry.host"), Web.Features.Account.Roles.Host);

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(13), host: stranger.Id));

        Assert.Contains("does not host Test tour", Assert.Single(ex.Errors["hostId"]));
    }

    [Fact]
    public async Task Book_ForSomeoneWhoIsNotALeader_IsRefused()
    {
        var tour = await app.NewTourAsync();
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Web.Features.Account.Roles.HR);

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => Book(hr.Id, tour.Id, Jan4, Jan4.AddDays(13)));

        Assert.Contains("is not a leader", Assert.Single(ex.Errors["leaderId"]));
    }

    [Fact]
    public async Task Book_InThePast_FollowsTheSameRules()
    {
        var tour = await app.NewTourAsync(capacity: 1);
        var a = await app.LeaderAsync("ann");
        var b = await app.LeaderAsync("bob");
        var past = new DateOnly(2020, 3, 2);
        await Book(a.Id, tour.Id, past, past.AddDays(13));

        await Assert.ThrowsAsync<ConflictException>(() => Book(b.Id, tour.Id, past.AddDays(3), past.AddDays(16)));
    }

    [Fact]
    public async Task Reschedule_WithAStaleVersion_IsRefusedAndChangesNothing()
    {
        var tour = await app.NewTourAsync();
        var leader = await app.LeaderAsync();
        var stint = await Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(13));
        var moved = await app.WithServiceAsync<SchedulingService, Stint>(s => s.RescheduleAsync(stint.Id, stint.Version,
            new StintRequest(null, null, null, Jan4.AddDays(7), Jan4.AddDays(20), StintKind.Orientation, null)));
        Assert.NotEqual(stint.Version, moved.Version);

        await Assert.ThrowsAsync<StaleVersionException>(() => app.WithServiceAsync<SchedulingService, Stint>(s => s.RescheduleAsync(
            stint.Id, stint.Version, new StintRequest(null, null, null, Jan4.AddDays(14), Jan4.AddDays(27), StintKind.Orientation, null))));

        var stored = await app.WithDbAsync(db => db.Stints.AsNoTracking().SingleAsync(s => s.Id == stint.Id));
        Assert.Equal(Jan4.AddDays(7), stored.StartDate);
    }

    [Fact]
    public async Task Reschedule_IntoAFullPeriod_IsRefusedButMovingWithinItsOwnPlaceIsFine()
    {
        var tour = await app.NewTourAsync(capacity: 1);
        var a = await app.LeaderAsync("ann");
        var b = await app.LeaderAsync("bob");
        var first = await Book(a.Id, tour.Id, Jan4, Jan4.AddDays(13));
        var second = await Book(b.Id, tour.Id, Jan4.AddDays(28), Jan4.AddDays(41));

        var shifted = await app.WithServiceAsync<SchedulingService, Stint>(s => s.RescheduleAsync(first.Id, first.Version,
            new StintRequest(null, null, null, Jan4.AddDays(1), Jan4.AddDays(14), StintKind.Orientation, null)));
        Assert.Equal(Jan4.AddDays(1), shifted.StartDate);

        var ex = await Assert.ThrowsAsync<ConflictException>(() => app.WithServiceAsync<SchedulingService, Stint>(s => s.RescheduleAsync(
            second.Id, second.Version, new StintRequest(null, null, null, Jan4.AddDays(7), Jan4.AddDays(20), StintKind.Orientation, null))));
        Assert.Equal("Capacity", Assert.Single(ex.Clashes).Kind);
    }

    [Fact]
    public async Task ParallelBookings_ForTheLastPlace_ExactlyOneSucceeds()
    {
        var tour = await app.NewTourAsync(capacity: 1);
        var leaders = new List<Guid>();
        for (var i = 0; i < 8; i++) leaders.Add((await app.LeaderAsync($"p{i}")).Id);

        var results = await Task.WhenAll(leaders.Select(async l =>
        {
            try { await Book(l, tour.Id, Jan4, Jan4.AddDays(13)); return "ok"; }
            catch (ConflictException) { return "conflict"; }
        }));

        Assert.Equal(1, results.Count(r => r == "ok"));
        Assert.Equal(7, results.Count(r => r == "conflict"));
        Assert.Equal(1, await app.WithDbAsync(db => db.Stints.CountAsync(s => s.TourId == tour.Id)));
    }

    [Fact]
    public async Task EveryBookingChangeAndCancel_IsInTheAuditTrail()
    {
        var tour = await app.NewTourAsync();
        var leader = await app.LeaderAsync();
        var stint = await Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(13));
        var moved = await app.WithServiceAsync<SchedulingService, Stint>(s => s.RescheduleAsync(stint.Id, stint.Version,
            new StintRequest(null, null, null, Jan4.AddDays(7), Jan4.AddDays(20), StintKind.Orientation, null)));
        await app.WithServiceAsync<SchedulingService, Stint>(s => s.CancelAsync(stint.Id, moved.Version, "Plans changed"));

        var trail = await app.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == "Stint" && a.EntityKey == stint.Id.ToString()).OrderBy(a => a.Id).ToListAsync());

        Assert.Equal(["Created", "Changed", "Changed"], trail.Select(t => t.Action));
        var change = trail[1].Changes.RootElement;
        Assert.Equal("2027-01-04", change.GetProperty("startDate").GetProperty("from").GetString());
        Assert.Equal("2027-01-11", change.GetProperty("startDate").GetProperty("to").GetString());
        Assert.Equal("Plans changed", trail[2].Changes.RootElement.GetProperty("cancelReason").GetProperty("to").GetString());
    }

    [Fact]
    public async Task Book_WithAHostWhoLeftTheHostRoleOrWasDeactivated_IsRefused()
    {
        var tour = await app.NewTourAsync();
        var leader = await app.LeaderAsync();
        var lapsed = await app.CreatePersonAsync(TestData.UniqueEmail("lapsed.host"), Web.Features.Account.Roles.Host);
        var gone = await app.CreatePersonAsync(TestData.UniqueEmail("gone.host"), Web.Features.Account.Roles.Host);
        await app.AddHostAsync(tour.Id, lapsed.Id);
        await app.AddHostAsync(tour.Id, gone.Id);
        await app.WithDbAsync(async db =>
        {
            await db.UserRoles.Where(ur => ur.UserId == lapsed.Id).ExecuteDeleteAsync();
            await db.Users.Where(p => p.Id == gone.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.IsActive, false));
        });

        var noRole = await Assert.ThrowsAsync<ValidationFailedException>(() => Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(13), host: lapsed.Id));
        var inactive = await Assert.ThrowsAsync<ValidationFailedException>(() => Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(13), host: gone.Id));

        Assert.Contains("no longer has the Host role", Assert.Single(noRole.Errors["hostId"]));
        Assert.Contains("is deactivated", Assert.Single(inactive.Errors["hostId"]));
    }
}
