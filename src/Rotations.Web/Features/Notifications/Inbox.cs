using Microsoft.EntityFrameworkCore;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Notifications;

/// <summary>One inbox item as the API and the page show it. Title and summary are worded from the current stint.</summary>
public sealed record NotificationDto(
    Guid Id, NotificationKind Kind, Guid? StintId, DateOnly Occurrence, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt,
    string Title, string Summary, string? Body, string Link);

/// <summary>
/// A person's in-app inbox: their notifications (never anyone else's: every query starts from the
/// caller's id), newest first, the unread count, and marking as read. Dropped reminders are records,
/// not inbox items.
/// </summary>
public sealed class Inbox(RotationsDbContext db, TimeProvider clock)
{
    public const int MaxTake = 200;

    private IQueryable<Notification> Of(Guid personId) =>
        db.Notifications.AsNoTracking().Where(n => n.RecipientId == personId && n.DroppedAt == null);

    // Per request (the service is scoped): the layout and the inbox page both show the unread count, and the list and the
    // page both need the time zone; each is read once. Marking read forgets the count.
    private (Guid Person, int Count)? unread;
    private (Guid Person, TimeZoneInfo Zone)? zone;

    public async Task<int> UnreadCountAsync(Guid personId, CancellationToken ct)
    {
        if (unread is { } known && known.Person == personId) return known.Count;
        var count = await Of(personId).CountAsync(n => n.ReadAt == null, ct);
        unread = (personId, count);
        return count;
    }

    /// <summary>The person's time zone, in which their inbox dates its items.</summary>
    public async Task<TimeZoneInfo> ZoneAsync(Guid personId, CancellationToken ct)
    {
        if (zone is { } known && known.Person == personId) return known.Zone;
        var found = Reminders.LocalTime.Zone(await db.Users.AsNoTracking().Where(p => p.Id == personId).Select(p => p.TimeZone).FirstOrDefaultAsync(ct));
        zone = (personId, found);
        return found;
    }

    public async Task<IReadOnlyList<NotificationDto>> ListAsync(Guid personId, bool unreadOnly, int take, CancellationToken ct)
    {
        if (take is < 1 or > MaxTake)
            throw new ValidationFailedException("take", $"Ask for between 1 and {MaxTake} notifications.");
        var query = Of(personId);
        if (unreadOnly) query = query.Where(n => n.ReadAt == null);
        var rows = await query
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Take(take)
            .Select(n => new { n.Id, n.Kind, n.StintId, n.Occurrence, n.CreatedAt, n.ReadAt, n.Body })
            .ToListAsync(ct);
        var zone = await ZoneAsync(personId, ct);
        var stintIds = rows.Where(r => r.StintId != null).Select(r => r.StintId!.Value).Distinct().ToList();
        var facts = await NotificationText.LoadFactsAsync(db, stintIds, ct);
        return rows.Select(r =>
        {
            var stint = r.StintId is { } id ? facts.GetValueOrDefault(id) : null;
            var on = r.Kind == NotificationKind.WeeklyDigest ? r.Occurrence : Reminders.LocalTime.Today(r.CreatedAt, zone);
            var (title, summary) = NotificationText.Describe(r.Kind, stint, on, r.Body);
            if (stint is { Cancelled: true }) summary = $"This stint has since been cancelled. {summary}";
            return new NotificationDto(r.Id, r.Kind, r.StintId, r.Occurrence, r.CreatedAt, r.ReadAt, title, summary, r.Body,
                NotificationText.LinkPath(r.Kind, r.StintId));
        }).ToList();
    }

    /// <summary>Marks one of the caller's notifications read and says where it leads; another person's id is not found.</summary>
    public async Task<string> OpenAsync(Guid personId, Guid id, CancellationToken ct)
    {
        var found = await Of(personId).Where(n => n.Id == id).Select(n => new { n.Kind, n.StintId }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("No such notification.");
        await MarkReadAsync(personId, id, ct);
        return NotificationText.LinkPath(found.Kind, found.StintId);
    }

    /// <summary>Marks one of the caller's notifications read; another person's id is simply not found.</summary>
    public async Task MarkReadAsync(Guid personId, Guid id, CancellationToken ct)
    {
        unread = null;
        var now = clock.GetUtcNow();
        var found = await Of(personId).AnyAsync(n => n.Id == id, ct);
        if (!found) throw new NotFoundException("No such notification.");
        await db.Notifications.Where(n => n.Id == id && n.RecipientId == personId && n.ReadAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, now), ct);
    }

    public Task<int> MarkAllReadAsync(Guid personId, CancellationToken ct)
    {
        unread = null;
        var now = clock.GetUtcNow();
        return db.Notifications.Where(n => n.RecipientId == personId && n.ReadAt == null && n.DroppedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, now), ct);
    }
}
