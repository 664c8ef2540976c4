using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Calendar;

/// <summary>A secret feed address. Anyone holding the URL can read the feed.</summary>
public sealed record CalendarFeedDto(string Url, DateTimeOffset CreatedAt);

/// <summary>
/// <c>GET /calendar/{token}.ics</c> (anonymous: the token is the credential) and the API that hands out,
/// renews and revokes the tokens: <c>/api/v1/me/calendar</c> for one's own stints, <c>/api/v1/tours/{id}/calendar</c> for HR.
/// </summary>
public static class CalendarApi
{
    public const string FeedCacheControl = "private, max-age=300";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/calendar/{token}.ics", Feed)
            .AllowAnonymous()
            .WithTags("Calendar")
            .WithSummary("A person's or a tour's stints as an iCalendar feed; the token in the address is the only credential")
            .Produces(StatusCodes.Status200OK, contentType: "text/calendar")
            .Produces(StatusCodes.Status404NotFound);

        var me = app.MapGroup("/api/v1/me/calendar").WithTags("Calendar").RequireAuthorization(Policies.SignedIn);
        me.MapGet("", GetMine).WithSummary("The address of your own calendar feed; 404 until POST /renew turns it on");
        me.MapPost("/renew", RenewMine).WithSummary("Turns your feed on with a new address; an old one stops working");
        me.MapDelete("", RevokeMine).WithSummary("Turn your feed off; its address stops working");

        var tours = app.MapGroup("/api/v1/tours/{id:guid}/calendar").WithTags("Calendar").RequireAuthorization(Policies.HR);
        tours.MapGet("", GetTour).WithSummary("The address of a tour's calendar feed; 404 until POST /renew turns it on");
        tours.MapPost("/renew", RenewTour).WithSummary("A new address for the tour's feed; the old one stops working");
        tours.MapDelete("", RevokeTour).WithSummary("Turn the tour's feed off; its address stops working");
    }

    /// <summary>Where the app is reached, as the caller reached it (forwarded headers already applied).</summary>
    public static string SiteUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static string FeedUrl(HttpRequest request, string token) => $"{SiteUrl(request)}/calendar/{token}.ics";

    /// <summary>The same address for calendar apps that subscribe when a webcal:// link is opened.</summary>
    public static string WebcalUrl(HttpRequest request, string token) => $"webcal://{request.Host}{request.PathBase}/calendar/{token}.ics";

    internal static async Task<IResult> Feed(string token, HttpContext http, CalendarFeedService feeds, CancellationToken ct)
    {
        var ics = await feeds.RenderAsync(token, SiteUrl(http.Request), ct);
        if (ics is null)
        {
            // Nothing about why: unknown, revoked and deactivated look the same. No HTML error page for a calendar client.
            if (http.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            return TypedResults.NotFound();
        }
        http.Response.Headers.CacheControl = FeedCacheControl;
        return TypedResults.Bytes(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8");
    }

    internal static Task<Ok<CalendarFeedDto>> GetMine(HttpContext http, CalendarFeedService feeds, CancellationToken ct) =>
        Get(http, feeds, FeedOwner.Person(http.User.PersonId()), "Your calendar feed is turned off. POST /api/v1/me/calendar/renew turns it on with a new address.", ct);

    internal static Task<Ok<CalendarFeedDto>> RenewMine(HttpContext http, CalendarFeedService feeds, CancellationToken ct) =>
        Renew(http, feeds, FeedOwner.Person(http.User.PersonId()), ct);

    internal static async Task<NoContent> RevokeMine(HttpContext http, CalendarFeedService feeds, CancellationToken ct)
    {
        await feeds.RevokeAsync(FeedOwner.Person(http.User.PersonId()), ct);
        return TypedResults.NoContent();
    }

    internal static Task<Ok<CalendarFeedDto>> GetTour(Guid id, HttpContext http, CalendarFeedService feeds, CancellationToken ct) =>
        Get(http, feeds, FeedOwner.Tour(id), $"This tour's calendar feed is turned off. POST /api/v1/tours/{id}/calendar/renew turns it on with a new address.", ct);

    internal static Task<Ok<CalendarFeedDto>> RenewTour(Guid id, HttpContext http, CalendarFeedService feeds, CancellationToken ct) =>
        Renew(http, feeds, FeedOwner.Tour(id), ct);

    internal static async Task<NoContent> RevokeTour(Guid id, CalendarFeedService feeds, CancellationToken ct)
    {
        await feeds.RevokeAsync(FeedOwner.Tour(id), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<CalendarFeedDto>> Get(HttpContext http, CalendarFeedService feeds, FeedOwner owner, string turnedOff, CancellationToken ct)
    {
        // Reading never creates: a feed address is made only by a POST, so GET changes nothing.
        var feed = await feeds.ActiveAsync(owner, ct) ?? throw new NotFoundException(turnedOff);
        return Secret(http, feed);
    }

    private static async Task<Ok<CalendarFeedDto>> Renew(HttpContext http, CalendarFeedService feeds, FeedOwner owner, CancellationToken ct) =>
        Secret(http, await feeds.RenewAsync(owner, ct));

    private static Ok<CalendarFeedDto> Secret(HttpContext http, CalendarFeed feed)
    {
        // The address is a credential: no cache keeps it.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new CalendarFeedDto(FeedUrl(http.Request, feed.Token), feed.CreatedAt));
    }
}

public static class CalendarExtensions
{
    public static WebApplicationBuilder AddCalendar(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CalendarFeedService>();
        return builder;
    }

    /// <summary>The feed itself and its API.</summary>
    public static WebApplication MapCalendar(this WebApplication app)
    {
        CalendarApi.Map(app);
        return app;
    }
}
