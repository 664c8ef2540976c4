using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Calendar;

/// <summary>
/// "Add your stints to your calendar": the signed-in person's secret feed address, renewing and turning it
/// off (each confirmed on a second step, no script needed); for HR also the tours' feeds.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class IndexModel(CalendarFeedService feeds, RotationsDbContext db) : PageModel
{
    public const string Renew = "renew";
    public const string TurnOff = "off";

    public sealed record FeedLink(string Url, string Webcal, DateTimeOffset CreatedAt);
    public sealed record TourRow(Guid Id, string Code, string Name, bool IsRetired, DateTimeOffset? FeedSince);

    /// <summary>The tour whose feed HR is looking at.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? TourId { get; set; }

    /// <summary>Which action waits for a "yes": <see cref="Renew"/> or <see cref="TurnOff"/>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Confirm { get; set; }

    public FeedLink? Mine { get; private set; }
    public bool IsHost { get; private set; }
    public bool IsLeader { get; private set; }
    public bool SeesTours { get; private set; }
    public bool HasOwnStints => IsLeader || IsHost;
    public IReadOnlyList<TourRow> Tours { get; private set; } = [];
    public TourRow? Tour { get; private set; }
    public FeedLink? TourFeed { get; private set; }

    public bool Confirming(string action, bool forTour) => Confirm == action && (TourId is not null) == forTour;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // The page shows secret addresses: no cache may keep it.
        Response.Headers.CacheControl = "no-store";
        SeesTours = User.SeesAllStints();
        IsHost = User.IsInRole(Roles.Host);
        IsLeader = User.IsInRole(Roles.Leader);
        if (TourId is not null && !SeesTours) return Forbid();

        // Showing the page changes nothing: a link is made only by "Turn on" (a POST).
        Mine = Link(await feeds.ActiveAsync(FeedOwner.Person(User.PersonId()), ct));
        if (SeesTours)
        {
            Tours = await db.Tours.AsNoTracking()
                .OrderBy(t => t.IsRetired).ThenBy(t => t.Name)
                .Select(t => new TourRow(t.Id, t.Code, t.Name, t.IsRetired,
                    db.CalendarFeeds.Where(f => f.TourId == t.Id && f.RevokedAt == null).Select(f => (DateTimeOffset?)f.CreatedAt).FirstOrDefault()))
                .ToListAsync(ct);
            if (TourId is { } id)
            {
                Tour = Tours.FirstOrDefault(t => t.Id == id);
                if (Tour is null) return NotFound();
                TourFeed = Link(await feeds.ActiveAsync(FeedOwner.Tour(id), ct));
            }
        }
        return Page();
    }

    /// <summary>Turns a feed on: the existing live one, or a new address when it was turned off.</summary>
    public async Task<IActionResult> OnPostTurnOnAsync(CancellationToken ct)
    {
        if (Owner() is not { } owner) return Forbid();
        _ = await feeds.GetOrCreateAsync(owner, ct) ?? await feeds.RenewAsync(owner, ct);
        TempData["Flash"] = TourId is null
            ? "Your calendar feed is on. Copy the link below into your calendar app."
            : "The tour's calendar feed is on. Copy its link below.";
        return Back();
    }

    public async Task<IActionResult> OnPostRenewAsync(CancellationToken ct)
    {
        if (Owner() is not { } owner) return Forbid();
        await feeds.RenewAsync(owner, ct);
        TempData["Flash"] = "Here is a new link. The old one has stopped working: calendars subscribed to it no longer update, " +
            "so subscribe again with the new link.";
        return Back();
    }

    public async Task<IActionResult> OnPostTurnOffAsync(CancellationToken ct)
    {
        if (Owner() is not { } owner) return Forbid();
        await feeds.RevokeAsync(owner, ct);
        TempData["Flash"] = "The calendar feed is off and its link has stopped working. Calendars subscribed to it keep the stints " +
            "they already have until you remove the subscription there.";
        return Back();
    }

    private FeedOwner? Owner() =>
        TourId is { } tour ? (User.SeesAllStints() ? FeedOwner.Tour(tour) : null) : FeedOwner.Person(User.PersonId());

    private RedirectToPageResult Back() =>
        TourId is { } tour ? RedirectToPage(null, null, new { tourId = tour }, "tour-feed") : RedirectToPage(null, null, null, "my-feed");

    private FeedLink? Link(CalendarFeed? feed) => feed is null ? null
        : new FeedLink(CalendarApi.FeedUrl(Request, feed.Token), CalendarApi.WebcalUrl(Request, feed.Token), feed.CreatedAt);
}
