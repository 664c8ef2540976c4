using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Calendar;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Calendar;

/// <summary>
/// <c>GET /calendar/{token}.ics</c>: stints created through SchedulingService, the feed fetched without signing in
/// and read by a real iCalendar parser.
/// </summary>
public sealed class CalendarFeedTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private static readonly DateOnly Jan4 = new(2027, 1, 4);

    private Task<Stint> Book(Guid leader, Guid tour, DateOnly start, DateOnly end, string objectives = "", Guid? host = null) =>
        app.WithServiceAsync<SchedulingService, Stint>(s =>
            s.BookAsync(new StintRequest(leader, tour, host, start, end, StintKind.Orientation, objectives)));

    private Task<CalendarFeed> FeedOf(FeedOwner owner) =>
        app.WithServiceAsync<CalendarFeedService, CalendarFeed>(async s => (await s.GetOrCreateAsync(owner))!);

    private static string PathOf(CalendarFeed feed) => $"/calendar/{feed.Token}.ics";

    /// <summary>Fetched as a calendar app does: no cookie, no token header.</summary>
    private async Task<byte[]> Fetch(string urlOrPath)
    {
        var response = await app.CreateClient().GetAsync(urlOrPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<ParsedCalendar> FetchParsed(CalendarFeed feed) => await RealICalendarParser.ParseAsync(await Fetch(PathOf(feed)));

    [Fact]
    public async Task LeaderFeed_IsAnonymousICalendar_WithOneAllDayEventPerStint()
    {
        var leader = await app.LeaderAsync("lena");
        var tour = await app.NewTourAsync(capacity: 3);
        var first = await Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(13));
        var second = await Book(leader.Id, tour.Id, Jan4.AddDays(28), Jan4.AddDays(34));
        await app.WithServiceAsync<SchedulingService, Stint>(s => s.ConfirmAsync(second.Id, leader.Id));
        var feed = await FeedOf(FeedOwner.Person(leader.Id));

        var response = await app.CreateClient().GetAsync(PathOf(feed));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.True(response.Headers.CacheControl is { Private: true, MaxAge.TotalSeconds: 300, NoStore: false },
            $"Cache-Control: {response.Headers.CacheControl}");
        var calendar = await RealICalendarParser.ParseAsync(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(("2.0", "PUBLISH", "GREGORIAN"), (calendar.Version, calendar.Method, calendar.CalScale));
        Assert.NotEmpty(calendar.ProdId);
        Assert.Equal($"Rotations: {leader.DisplayName}", calendar.Name);
        Assert.Equal(2, calendar.Events.Count);

        var a = calendar.Event(first.Id);
        Assert.Equal(("2027-01-04", "date"), (a.DtStart, a.DtStartType));
        // All-day DTEND is exclusive: the day after the last day (17 January).
        Assert.Equal(("2027-01-18", "date"), (a.DtEnd, a.DtEndType));
        Assert.Equal($"Test tour ({tour.Code}) — orientation", a.Summary);
        Assert.Equal("TENTATIVE", a.Status);
        Assert.Equal(0, a.Sequence);
        Assert.EndsWith("+00:00", a.DtStamp);
        Assert.Contains("Host: not chosen yet", a.Description);
        Assert.Contains($"/Stints/{first.Id}", a.Description);

        var b = calendar.Event(second.Id);
        Assert.Equal(("2027-02-01", "2027-02-08"), (b.DtStart, b.DtEnd));
        Assert.Equal("CONFIRMED", b.Status);
    }

    [Fact]
    public async Task CancelledStint_StaysInTheFeed_MarkedCancelled()
    {
        var leader = await app.LeaderAsync();
        var stint = await Book(leader.Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));
        var feed = await FeedOf(FeedOwner.Person(leader.Id));
        var before = (await FetchParsed(feed)).Event(stint.Id);

        await app.WithServiceAsync<SchedulingService, Stint>(s => s.CancelAsync(stint.Id, null, "Department reorganised"));

        var after = (await FetchParsed(feed)).Event(stint.Id);
        Assert.Equal("CANCELLED", after.Status);
        Assert.StartsWith("Cancelled: ", after.Summary);
        Assert.Contains("Department reorganised", after.Description);
        Assert.True(after.Sequence > before.Sequence, $"sequence {before.Sequence} → {after.Sequence}");
    }

    [Fact]
    public async Task RescheduledStint_KeepsItsUid_WithNewDatesAndAHigherSequence()
    {
        var leader = await app.LeaderAsync();
        var stint = await Book(leader.Id, (await app.NewTourAsync()).Id, Jan4, Jan4.AddDays(13));
        var feed = await FeedOf(FeedOwner.Person(leader.Id));
        var before = (await FetchParsed(feed)).Event(stint.Id);

        await app.WithServiceAsync<SchedulingService, Stint>(s => s.RescheduleAsync(stint.Id, stint.Version,
            new StintRequest(null, null, null, Jan4.AddDays(7), Jan4.AddDays(20), StintKind.Orientation, null)));
        var once = (await FetchParsed(feed)).Event(stint.Id);
        var reloaded = await app.WithDbAsync(db => db.Stints.AsNoTracking().SingleAsync(s => s.Id == stint.Id));
        await app.WithServiceAsync<SchedulingService, Stint>(s => s.RescheduleAsync(stint.Id, reloaded.Version,
            new StintRequest(null, null, null, Jan4.AddDays(14), Jan4.AddDays(27), StintKind.Orientation, null)));
        var twice = (await FetchParsed(feed)).Event(stint.Id);

        Assert.Equal(before.Uid, once.Uid);
        Assert.Equal(before.Uid, twice.Uid);
        Assert.Equal(("2027-01-11", "2027-01-25"), (once.DtStart, once.DtEnd));
        Assert.Equal(("2027-01-18", "2027-02-01"), (twice.DtStart, twice.DtEnd));
        Assert.True(before.Sequence < once.Sequence && once.Sequence < twice.Sequence,
            $"sequences {before.Sequence}, {once.Sequence}, {twice.Sequence} do not increase");
    }

    [Fact]
    public async Task FoldingAndEscaping_SurviveCommasSemicolonsNewlinesAndNonAscii()
    {
        const string tourName = "Zürich; Q&A, ‘quotes’";
        var objectives = "Learn how escalations work, end to end; sit with three agents (Zoë, Jürgen, Ștefan) and note each KPI.\n" +
            "Second line: “smart quotes”, an emoji 📞, a back\\slash, and CJK 顧客体験 — then keep going, because this text must be longer " +
            "than two hundred characters; so it folds over several lines, splitting nowhere inside a character.";
        Assert.True(objectives.Length > 200);
        var leader = await app.LeaderAsync();
        var tour = await app.NewTourAsync();
        await app.WithDbAsync(db => db.Tours.Where(t => t.Id == tour.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.Name, tourName)));
        var stint = await Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(13), objectives);
        var feed = await FeedOf(FeedOwner.Person(leader.Id));

        var bytes = await Fetch(PathOf(feed));
        var parsed = (await RealICalendarParser.ParseAsync(bytes)).Event(stint.Id);

        Assert.Equal($"{tourName} ({tour.Code}) — orientation", parsed.Summary);
        Assert.Contains(objectives, parsed.Description);
        Assert.StartsWith($"Orientation stint at {tourName} ({tour.Code}), 4 January 2027 to 17 January 2027 (2 weeks).\n", parsed.Description);

        // The wire format itself: CRLF only, every physical line at most 75 octets and whole UTF-8 on its own.
        var text = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("\n", text.Replace("\r\n", ""));
        Assert.DoesNotContain("\r", text.Replace("\r\n", ""));
        Assert.EndsWith("END:VCALENDAR\r\n", text);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var lines = Split(bytes);
        Assert.All(lines, line =>
        {
            Assert.True(line.Length <= 75, $"a line of {line.Length} octets: {Encoding.UTF8.GetString(line)}");
            _ = strict.GetString(line); // throws if a fold split a character
        });
        Assert.Contains(lines, line => line.Length > 0 && line[0] == (byte)' ');
        Assert.Contains(@"SUMMARY:Zürich\; Q&A\, ‘quotes’", text);
    }

    [Fact]
    public async Task LeadersFeed_NeverContainsAnotherLeadersStints()
    {
        var tour = await app.NewTourAsync(capacity: 2);
        var lena = await app.LeaderAsync("lena");
        var tom = await app.LeaderAsync("tom");
        var hers = await Book(lena.Id, tour.Id, Jan4, Jan4.AddDays(13));
        var his = await Book(tom.Id, tour.Id, Jan4, Jan4.AddDays(13), "Tom's private objective");

        var bytes = await Fetch(PathOf(await FeedOf(FeedOwner.Person(lena.Id))));

        var calendar = await RealICalendarParser.ParseAsync(bytes);
        Assert.Equal([$"stint-{hers.Id}@rotations"], calendar.Events.Select(e => e.Uid));
        var text = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain(his.Id.ToString(), text);
        Assert.DoesNotContain(tom.DisplayName, text);
        Assert.DoesNotContain("private objective", text);
    }

    [Fact]
    public async Task HostsFeed_HoldsTheStintsTheyHost()
    {
        var tour = await app.NewTourAsync();
        var host = await app.CreatePersonAsync(TestData.UniqueEmail("priya"), Roles.Host);
        await app.AddHostAsync(tour.Id, host.Id);
        var leader = await app.LeaderAsync("lena");
        var hosted = await Book(leader.Id, tour.Id, Jan4, Jan4.AddDays(13), host: host.Id);
        await Book((await app.LeaderAsync("tom")).Id, tour.Id, Jan4, Jan4.AddDays(13));

        var calendar = await FetchParsed(await FeedOf(FeedOwner.Person(host.Id)));

        var only = Assert.Single(calendar.Events);
        Assert.Equal($"stint-{hosted.Id}@rotations", only.Uid);
        Assert.Equal($"Hosting {leader.DisplayName} — Test tour ({tour.Code})", only.Summary);
    }

    [Fact]
    public async Task TourFeed_HoldsEveryLeadersStintsOnTheTour_WithoutTheirObjectives()
    {
        var tour = await app.NewTourAsync(capacity: 2);
        var lena = await app.LeaderAsync("lena");
        var tom = await app.LeaderAsync("tom");
        var a = await Book(lena.Id, tour.Id, Jan4, Jan4.AddDays(13), "Lena's own objective");
        var b = await Book(tom.Id, tour.Id, Jan4.AddDays(7), Jan4.AddDays(20));
        await Book(lena.Id, (await app.NewTourAsync()).Id, Jan4.AddDays(21), Jan4.AddDays(27));

        var bytes = await Fetch(PathOf(await FeedOf(FeedOwner.Tour(tour.Id))));

        var calendar = await RealICalendarParser.ParseAsync(bytes);
        Assert.Equal($"Rotations: Test tour ({tour.Code})", calendar.Name);
        Assert.Equal(2, calendar.Events.Count);
        Assert.Equal($"{lena.DisplayName} — Test tour", calendar.Event(a.Id).Summary);
        Assert.Equal($"{tom.DisplayName} — Test tour", calendar.Event(b.Id).Summary);
        Assert.DoesNotContain("own objective", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task UnknownOrMalformedToken_Is404_WithNoBody()
    {
        var client = app.CreateClient();
        foreach (var path in new[] { $"/calendar/{CalendarFeed.NewToken()}.ics", "/calendar/short.ics", "/calendar/%27%20or%201%3D1.ics" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task DeactivatedPersonsFeed_StopsWorking()
    {
        var leader = await app.LeaderAsync();
        var feed = await FeedOf(FeedOwner.Person(leader.Id));
        await Fetch(PathOf(feed));

        await app.WithDbAsync(db => db.Users.Where(p => p.Id == leader.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.IsActive, false)));

        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync(PathOf(feed))).StatusCode);
    }

    [Fact]
    public async Task FirstVisitsAtOnce_LeaveOneLiveFeed()
    {
        var leader = await app.LeaderAsync();

        var feeds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => FeedOf(FeedOwner.Person(leader.Id))));

        Assert.Single(feeds.Select(f => f.Token).Distinct());
        Assert.Equal(1, await app.WithDbAsync(db => db.CalendarFeeds.CountAsync(f => f.PersonId == leader.Id)));
    }

    [Fact]
    public async Task RenewalsAtOnce_LeaveOneLiveFeed()
    {
        var leader = await app.LeaderAsync();
        await FeedOf(FeedOwner.Person(leader.Id));

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            app.WithServiceAsync<CalendarFeedService, CalendarFeed>(s => s.RenewAsync(FeedOwner.Person(leader.Id)))));

        Assert.Equal(1, await app.WithDbAsync(db => db.CalendarFeeds.CountAsync(f => f.PersonId == leader.Id && f.RevokedAt == null)));
        Assert.Equal(7, await app.WithDbAsync(db => db.CalendarFeeds.CountAsync(f => f.PersonId == leader.Id)));
    }

    private static List<byte[]> Split(byte[] bytes)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] != '\r' || bytes[i + 1] != '\n') continue;
            lines.Add(bytes[start..i]);
            start = i + 2;
            i++;
        }
        return lines;
    }
}
