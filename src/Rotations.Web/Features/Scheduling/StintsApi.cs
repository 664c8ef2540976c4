using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

using Rotations.Web.Infrastructure.Web;

namespace Rotations.Web.Features.Scheduling;

public sealed record BookStintRequest(
    Guid? LeaderId, Guid? TourId, Guid? HostId, DateOnly? StartDate, DateOnly? EndDate, StintKind? Kind, string? Objectives);

/// <summary>The leader and the tour of a stint never change; everything else may.</summary>
public sealed record RescheduleStintRequest(DateOnly? StartDate, DateOnly? EndDate, StintKind? Kind, Guid? HostId, string? Objectives);

public sealed record CancelStintRequest(string? Reason);

public sealed record StintObjectivesRequest(string? Objectives);

/// <summary>
/// /api/v1/stints: the schedule. Reads start from what the caller may see; every write goes through
/// <see cref="SchedulingService"/>, which holds the rules. A stint the caller may not see answers 404
/// whatever they ask of it; one they may see but not change answers 403.
/// </summary>
public static class StintsApi
{
    public const string Path = "/api/v1/stints";

    public static WebApplication MapStintsApi(this WebApplication app)
    {
        var group = app.MapGroup(Path).WithTags("Stints").RequireAuthorization(Policies.SignedIn);

        group.MapGet("/", List)
            .WithName("ListStints")
            .WithSummary("Stints the caller may see, filtered and paged, in order of their first day")
            .WithDescription("`from` and `to` select stints that overlap the range (inclusive). `status` is one of Planned, Confirmed, " +
                "InProgress, Completed, Cancelled; In progress and Completed follow from today's date.")
            .ProducesValidationProblem();

        group.MapGet("/{id:guid}", Get)
            .WithName("GetStint")
            .WithSummary("One stint; its ETag is the version to send in If-Match when changing it")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", Book)
            .RequireAuthorization(Policies.HR)
            .WithName("BookStint")
            .WithSummary("Book a stint (HR): 409 names the clashing stints or the full period of the tour")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPut("/{id:guid}", Reschedule)
            .WithName("RescheduleStint")
            .WithSummary("New dates, kind, host or objectives (HR); needs If-Match with the stint's ETag")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        group.MapPost("/{id:guid}/cancel", Cancel)
            .WithName("CancelStint")
            .WithSummary("Cancel a stint with a reason (HR); If-Match is optional here")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        group.MapPost("/{id:guid}/confirm", Confirm)
            .WithName("ConfirmStint")
            .WithSummary("The stint's host (or HR) confirms that the department expects the leader")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPut("/{id:guid}/objectives", SetObjectives)
            .WithName("SetStintObjectives")
            .WithSummary("The leader's objectives for the stint (the leader, or HR); If-Match is optional")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        return app;
    }

    internal static async Task<Ok<Paged<StintDto>>> List(
        ClaimsPrincipal user, StintQueries queries, CancellationToken ct,
        Guid? leaderId = null, Guid? tourId = null, Guid? cohortId = null, DateOnly? from = null, DateOnly? to = null,
        StintStatus? status = null, int page = 1, int pageSize = StintQueries.DefaultPageSize) =>
        TypedResults.Ok(await queries.ListAsync(user, new StintFilter(leaderId, tourId, cohortId, from, to, status), page, pageSize, ct));

    internal static async Task<Ok<StintDto>> Get(
        Guid id, ClaimsPrincipal user, StintQueries queries, HttpResponse response, CancellationToken ct) =>
        TypedResults.Ok(await Reread(queries, id, user, response, ct));

    internal static async Task<Created<StintDto>> Book(
        BookStintRequest request, ClaimsPrincipal user, SchedulingService scheduling, StintQueries queries, HttpResponse response,
        CancellationToken ct)
    {
        var booked = await scheduling.BookAsync(new StintRequest(request.LeaderId, request.TourId, request.HostId,
            request.StartDate, request.EndDate, request.Kind, request.Objectives), ct);
        var stint = await Reread(queries, booked.Id, user, response, ct);
        return TypedResults.Created($"{Path}/{stint.Id}", stint);
    }

    internal static async Task<Results<Ok<StintDto>, ProblemHttpResult>> Reschedule(
        Guid id, RescheduleStintRequest request, ClaimsPrincipal user, HttpRequest http, SchedulingService scheduling,
        StintQueries queries, CancellationToken ct)
    {
        var stint = await queries.PartiesAsync(id, user, ct);
        if (!user.CanManageStints()) throw new ForbiddenException("Only HR reschedules stints.");
        var version = http.ExpectedVersion(stint.Version, "This stint");
        if (version is null)
            return TypedResults.Problem(
                "Send the stint's ETag (from GET) in an If-Match header, so that a change made meanwhile is not overwritten.",
                statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required");

        await scheduling.RescheduleAsync(id, version.Value, new StintRequest(null, null, request.HostId,
            request.StartDate, request.EndDate, request.Kind, request.Objectives), ct);
        return TypedResults.Ok(await Reread(queries, id, user, http.HttpContext.Response, ct));
    }

    internal static async Task<Ok<StintDto>> Cancel(
        Guid id, CancelStintRequest request, ClaimsPrincipal user, HttpRequest http, SchedulingService scheduling,
        StintQueries queries, CancellationToken ct)
    {
        var stint = await queries.PartiesAsync(id, user, ct);
        if (!user.CanManageStints()) throw new ForbiddenException("Only HR cancels stints.");
        await scheduling.CancelAsync(id, http.ExpectedVersion(stint.Version, "This stint"), request.Reason, ct);
        return TypedResults.Ok(await Reread(queries, id, user, http.HttpContext.Response, ct));
    }

    internal static async Task<Ok<StintDto>> Confirm(
        Guid id, ClaimsPrincipal user, SchedulingService scheduling, StintQueries queries, HttpResponse response, CancellationToken ct)
    {
        var stint = await queries.PartiesAsync(id, user, ct);
        if (!user.CanConfirm(stint)) throw new ForbiddenException("Only the stint's host, or HR, confirms it.");
        await scheduling.ConfirmAsync(id, user.PersonId(), ct);
        return TypedResults.Ok(await Reread(queries, id, user, response, ct));
    }

    internal static async Task<Ok<StintDto>> SetObjectives(
        Guid id, StintObjectivesRequest request, ClaimsPrincipal user, HttpRequest http, SchedulingService scheduling,
        StintQueries queries, CancellationToken ct)
    {
        var stint = await queries.PartiesAsync(id, user, ct);
        if (!user.CanSetObjectives(stint)) throw new ForbiddenException("The objectives are the leader's: only they, or HR, change them.");
        await scheduling.SetObjectivesAsync(id, http.ExpectedVersion(stint.Version, "This stint"), request.Objectives, ct);
        return TypedResults.Ok(await Reread(queries, id, user, http.HttpContext.Response, ct));
    }

    /// <summary>The stint as stored after a write, with its new ETag on the response.</summary>
    private static async Task<StintDto> Reread(StintQueries queries, Guid id, ClaimsPrincipal user, HttpResponse response, CancellationToken ct)
    {
        var stint = await queries.FindAsync(id, user, ct) ?? throw new NotFoundException("There is no such stint.");
        response.Headers.ETag = stint.ETag;
        return stint;
    }
}
