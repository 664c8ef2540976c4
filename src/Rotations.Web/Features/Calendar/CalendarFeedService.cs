using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Calendar;

/// <summary>Whose stints a feed shows: one person's, or one tour's.</summary>
public readonly record struct FeedOwner(Guid? PersonId, Guid? TourId)
{
    public static FeedOwner Person(Guid id) => new(id, null);
    public static FeedOwner Tour(Guid id) => new(null, id);
}

/// <summary>
/// The secret calendar addresses: at most one live feed per person and per tour, renewed by revoking the old token and issuing a new one. Also renders a
/// feed's stints as iCalendar.
/// </summary>
public sealed class CalendarFeedService(RotationsDbContext db, TimeProvider clock)
{
    /// <summary>Objectives are the leader's own words and may be long; a calendar entry gets the start of them.</summary>
    public const int MaxObjectivesInFeed = 1000;
    private const int MaxLensInFeed = 400;

    /// <summary>The live feed, if there is one.</summary>
    public Task<CalendarFeed?> ActiveAsync(FeedOwner owner, CancellationToken ct = default) =>
        Owned(owner).Where(f => f.RevokedAt == null).AsNoTracking().SingleOrDefaultAsync(ct);

    /// <summary>
    /// The live feed; on first use (the owner never had one) a new one is created. Null when the owner turned
    /// their feed off: a read must not silently turn it back on, <see cref="RenewAsync"/> does that.
    /// </summary>
    public Task<CalendarFeed?> GetOrCreateAsync(FeedOwner owner, CancellationToken ct = default) =>
        UnderOwnerLockAsync(owner, async () =>
        {
            var active = await ActiveAsync(owner, ct);
            if (active is not null) return active;
            if (await Owned(owner).AnyAsync(ct)) return null;
            return await InsertAsync(owner, ct);
        }, ct);

    /// <summary>Revokes the live feed (if any) and issues a new token: the old address stops working at once.</summary>
    public Task<CalendarFeed> RenewAsync(FeedOwner owner, CancellationToken ct = default) =>
        UnderOwnerLockAsync(owner, async () =>
        {
            await RevokeLiveAsync(owner, ct);
            return await InsertAsync(owner, ct);
        }, ct);

    /// <summary>Turns the feed off. True when there was a live feed.</summary>
    public Task<bool> RevokeAsync(FeedOwner owner, CancellationToken ct = default) =>
        UnderOwnerLockAsync(owner, async () => await RevokeLiveAsync(owner, ct) > 0, ct);

    /// <summary>The live feed a token opens, or null for an unknown or revoked token.</summary>
    public async Task<CalendarFeed?> FindByTokenAsync(string token, CancellationToken ct = default)
    {
        if (!LooksLikeToken(token)) return null;
        return await db.CalendarFeeds.AsNoTracking()
            .SingleOrDefaultAsync(f => f.Token == token && f.RevokedAt == null, ct);
    }

    /// <summary>
    /// The feed as iCalendar text, or null when it must not be served (unknown or revoked token, a deactivated
    /// person). <paramref name="siteUrl"/> (scheme, host and path base) builds links back to the stints.
    /// </summary>
    public async Task<string?> RenderAsync(string token, string siteUrl, CancellationToken ct = default)
    {
        var feed = await FindByTokenAsync(token, ct);
        if (feed is null) return null;

        string calendarName;
        IQueryable<Stint> stints;
        var hostedBy = Guid.Empty;
        if (feed.PersonId is { } personId)
        {
            var person = await db.Users.AsNoTracking().Where(p => p.Id == personId)
                .Select(p => new
                {
                    p.DisplayName, p.IsActive,
                    IsHost = db.UserRoles.Any(ur => ur.UserId == p.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Host)),
                })
                .SingleOrDefaultAsync(ct);
            if (person is not { IsActive: true }) return null;
            calendarName = $"Rotations: {person.DisplayName}";
            // Their own stints, and as a host the stints they receive: what they see in Rotations anyway.
            if (person.IsHost) hostedBy = personId;
            stints = db.Stints.Where(s => s.LeaderId == personId || (person.IsHost && s.HostId == personId));
        }
        else
        {
            var tourId = feed.TourId!.Value;
            var tour = await db.Tours.AsNoTracking().Where(t => t.Id == tourId).Select(t => new { t.Name, t.Code }).SingleAsync(ct);
            calendarName = $"Rotations: {tour.Name} ({tour.Code})";
            stints = db.Stints.Where(s => s.TourId == tourId);
        }

        var rows = await stints.AsNoTracking()
            .OrderBy(s => s.StartDate).ThenBy(s => s.Id)
            .Select(s => new FeedStint(
                s.Id, s.LeaderId, s.Leader!.DisplayName, s.Tour!.Code, s.Tour.Name, s.Tour.OutsideIn, s.Tour.InsideOut,
                s.HostId, s.Host != null ? s.Host.DisplayName : null, s.StartDate, s.EndDate, s.Kind, s.Objectives,
                s.ConfirmedAt, s.CancelledAt, s.CancelReason, s.CreatedAt))
            .ToListAsync(ct);

        var history = await HistoryAsync(rows.Select(r => r.Id), ct);
        var now = clock.GetUtcNow();
        var ics = new ICalendarText()
            .Raw("BEGIN", "VCALENDAR")
            .Raw("VERSION", "2.0")
            .Text("PRODID", "-//Rotations//Rotations stints feed//EN")
            .Raw("CALSCALE", "GREGORIAN")
            .Raw("METHOD", "PUBLISH")
            .Text("X-WR-CALNAME", calendarName)
            .Text("X-WR-CALDESC", "Tours of duty from Rotations")
            // Hints for subscribing clients (RFC 7986 and its common predecessor): look again every hour.
            .Raw("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
            .Raw("X-PUBLISHED-TTL", "PT1H");

        foreach (var s in rows)
        {
            var (changes, lastChange) = history.GetValueOrDefault(s.Id);
            var summary = feed.TourId is not null ? $"{s.Leader} — {s.TourName}"
                : s.LeaderId != feed.PersonId && s.HostId == hostedBy ? $"Hosting {s.Leader} — {s.TourName} ({s.TourCode})"
                : $"{s.TourName} ({s.TourCode}) — {KindWord(s.Kind)}";
            if (s.CancelledAt is not null) summary = "Cancelled: " + summary;
            var url = $"{siteUrl}/Stints/{s.Id}";
            ics.Raw("BEGIN", "VEVENT")
                // Stable across renewed tokens, reschedules and both kinds of feed: a client updates, never duplicates.
                .Raw("UID", $"stint-{s.Id}@rotations")
                .Utc("DTSTAMP", now)
                .Date("DTSTART", s.StartDate)
                // DTEND of an all-day event is exclusive: the day after the last day.
                .Date("DTEND", s.EndDate.AddDays(1))
                .Text("SUMMARY", summary)
                // A tour feed may be shared with the department: the leaders' own objectives stay out of it.
                .Text("DESCRIPTION", Description(s, url, withObjectives: feed.PersonId is not null))
                .Raw("STATUS", s.CancelledAt is not null ? "CANCELLED" : s.ConfirmedAt is not null ? "CONFIRMED" : "TENTATIVE")
                // Every recorded change after the booking; the audit trail only grows, so this only grows.
                .Raw("SEQUENCE", changes.ToString(CultureInfo.InvariantCulture))
                .Utc("CREATED", s.CreatedAt)
                .Utc("LAST-MODIFIED", lastChange ?? s.CreatedAt)
                // Weeks-long all-day blocks must not make the person look busy to meeting planners.
                .Raw("TRANSP", "TRANSPARENT")
                .Raw("URL", url)
                .Raw("END", "VEVENT");
        }
        return ics.Raw("END", "VCALENDAR").ToString();
    }

    private sealed record FeedStint(
        Guid Id, Guid LeaderId, string Leader, string TourCode, string TourName, string OutsideIn, string InsideOut,
        Guid? HostId, string? Host, DateOnly StartDate, DateOnly EndDate, StintKind Kind, string Objectives,
        DateTimeOffset? ConfirmedAt, DateTimeOffset? CancelledAt, string? CancelReason, DateTimeOffset CreatedAt);

    private static string Description(FeedStint s, string url, bool withObjectives)
    {
        var weeks = Infrastructure.Time.ClockExtensions.DescribeDays(s.EndDate.DayNumber - s.StartDate.DayNumber + 1);
        var lines = new List<string>
        {
            $"{(s.Kind == StintKind.Orientation ? "Orientation stint" : "Assignment")} at {s.TourName} ({s.TourCode}), " +
            $"{Day(s.StartDate)} to {Day(s.EndDate)} ({weeks}).",
            $"Leader: {s.Leader}",
            $"Host: {s.Host ?? "not chosen yet"}",
            "Status: " + (s.CancelledAt is not null ? $"cancelled ({s.CancelReason})"
                : s.ConfirmedAt is not null ? "confirmed" : "planned, not confirmed yet"),
            "",
            $"Outside-in: {Shorten(s.OutsideIn, MaxLensInFeed)}",
            $"Inside-out: {Shorten(s.InsideOut, MaxLensInFeed)}",
        };
        if (withObjectives && !string.IsNullOrWhiteSpace(s.Objectives))
        {
            lines.Add("");
            lines.Add("Objectives:");
            lines.Add(Shorten(s.Objectives.Trim(), MaxObjectivesInFeed));
        }
        lines.Add("");
        lines.Add($"In Rotations: {url}");
        return string.Join("\n", lines);
    }

    private static string Day(DateOnly d) => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
    private static string KindWord(StintKind kind) => kind == StintKind.Orientation ? "orientation" : "assignment";
    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";

    /// <summary>Per stint: how many changes the audit trail recorded after its creation, and when the last one was.</summary>
    private async Task<Dictionary<Guid, (int Changes, DateTimeOffset? Last)>> HistoryAsync(IEnumerable<Guid> stintIds, CancellationToken ct)
    {
        var keys = stintIds.Select(id => id.ToString()).ToList();
        if (keys.Count == 0) return [];
        var counts = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == nameof(Stint) && keys.Contains(a.EntityKey))
            .GroupBy(a => a.EntityKey)
            .Select(g => new { g.Key, Changes = g.Count(a => a.Action != "Created"), Last = g.Max(a => a.At) })
            .ToListAsync(ct);
        return counts.ToDictionary(c => Guid.Parse(c.Key), c => (c.Changes, (DateTimeOffset?)c.Last));
    }

    private IQueryable<CalendarFeed> Owned(FeedOwner owner) => owner.PersonId is { } p
        ? db.CalendarFeeds.Where(f => f.PersonId == p)
        : db.CalendarFeeds.Where(f => f.TourId == owner.TourId);

    private Task<int> RevokeLiveAsync(FeedOwner owner, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Owned(owner).Where(f => f.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.RevokedAt, now), ct);
    }

    private async Task<CalendarFeed> InsertAsync(FeedOwner owner, CancellationToken ct)
    {
        var feed = new CalendarFeed
        {
            Token = CalendarFeed.NewToken(), PersonId = owner.PersonId, TourId = owner.TourId, CreatedAt = clock.GetUtcNow(),
        };
        db.CalendarFeeds.Add(feed);
        await db.SaveChangesAsync(ct);
        db.Entry(feed).State = EntityState.Detached;
        return feed;
    }

    /// <summary>
    /// One owner's feeds change one caller at a time (a transaction-scoped advisory lock), so two first visits
    /// or two renewals at once still leave exactly one live feed. The partial unique index is the backstop.
    /// </summary>
    private async Task<T> UnderOwnerLockAsync<T>(FeedOwner owner, Func<Task<T>> work, CancellationToken ct)
    {
        await EnsureOwnerExistsAsync(owner, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var key = $"calendar-feed:{owner.PersonId ?? owner.TourId}";
        await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock(hashtextextended({key}, 0))", ct);
        var result = await work();
        await tx.CommitAsync(ct);
        return result;
    }

    private async Task EnsureOwnerExistsAsync(FeedOwner owner, CancellationToken ct)
    {
        if ((owner.PersonId is null) == (owner.TourId is null)) throw new ArgumentException("A feed belongs to a person or a tour.", nameof(owner));
        var exists = owner.PersonId is { } p
            ? await db.Users.AnyAsync(u => u.Id == p, ct)
            : await db.Tours.AnyAsync(t => t.Id == owner.TourId, ct);
        if (!exists) throw new NotFoundException(owner.PersonId is null ? "There is no such tour." : "There is no such person.");
    }

    /// <summary>43 characters of base64url (256 bits): anything else cannot be a token, so the database is not asked.</summary>
    private static bool LooksLikeToken(string token) =>
        token.Length == 43 && token.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');
}
