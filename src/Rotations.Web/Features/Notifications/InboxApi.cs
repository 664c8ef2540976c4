using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Notifications;

public sealed record UnreadCountDto(int Count);

/// <summary><c>/api/v1/me/notifications</c>: the caller's own inbox. There is no id of a person in any route.</summary>
public static class InboxApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me/notifications").WithTags("Notifications").RequireAuthorization(Policies.SignedIn);
        me.MapGet("", List).WithSummary("Your notifications, newest first (take: 1–200, default 50; unreadOnly)");
        me.MapGet("/unread-count", Unread).WithSummary("How many of your notifications are unread");
        me.MapPost("/{id:guid}/read", MarkRead).WithSummary("Mark one of your notifications read");
        me.MapPost("/read-all", MarkAllRead).WithSummary("Mark all your notifications read");
    }

    internal static async Task<Ok<IReadOnlyList<NotificationDto>>> List(
        HttpContext http, Inbox inbox, bool? unreadOnly, int? take, CancellationToken ct) =>
        TypedResults.Ok(await inbox.ListAsync(http.User.PersonId(), unreadOnly ?? false, take ?? 50, ct));

    internal static async Task<Ok<UnreadCountDto>> Unread(HttpContext http, Inbox inbox, CancellationToken ct) =>
        TypedResults.Ok(new UnreadCountDto(await inbox.UnreadCountAsync(http.User.PersonId(), ct)));

    internal static async Task<NoContent> MarkRead(Guid id, HttpContext http, Inbox inbox, CancellationToken ct)
    {
        await inbox.MarkReadAsync(http.User.PersonId(), id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<NoContent> MarkAllRead(HttpContext http, Inbox inbox, CancellationToken ct)
    {
        await inbox.MarkAllReadAsync(http.User.PersonId(), ct);
        return TypedResults.NoContent();
    }
}
