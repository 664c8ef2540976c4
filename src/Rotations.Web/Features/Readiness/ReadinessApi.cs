using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Web;

namespace Rotations.Web.Features.Readiness;

/// <summary>
/// A leader's readiness evidence and their readiness reviews. The leader, their manager and HR read; the manager
/// and HR write reviews; HR returns one for calibration. Anyone else gets 404 for the leader and their reviews.
/// If-Match is optional on draft writes (there may be two reviewers, the manager and HR; sending it keeps one
/// from overwriting the other).
/// </summary>
public static class ReadinessApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var leaders = app.MapGroup("/api/v1/leaders/{id:guid}").WithTags("Readiness").RequireAuthorization(Policies.SignedIn);
        leaders.MapGet("/readiness", Readiness)
            .WithName("Readiness")
            .WithSummary("The evidence for a level (level=HeadOf, Director, VP or CCO; the leader's target level when left out): coverage, reflections, feedback, competencies, gaps")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        leaders.MapGet("/reviews", ListReviews)
            .WithName("ListReviews")
            .WithSummary("The leader's readiness reviews, newest first: reviewers see drafts too; the leader their submitted and returned ones")
            .ProducesProblem(StatusCodes.Status404NotFound);
        leaders.MapPost("/reviews", CreateReview)
            .WithName("CreateReview")
            .WithSummary("Open a draft review for a level (the leader's manager, or HR); 409 naming the open draft when there is one")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var reviews = app.MapGroup("/api/v1/reviews/{id:guid}").WithTags("Readiness").RequireAuthorization(Policies.SignedIn);
        reviews.MapGet("", GetReview)
            .WithName("GetReview")
            .WithSummary("One review; drafts only for reviewers")
            .ProducesProblem(StatusCodes.Status404NotFound);
        reviews.MapPut("", SaveReview)
            .WithName("SaveReview")
            .WithSummary("Save a draft as a whole: decision, rationale, ratings [{competencyId, rating 1–4, comment}]")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        reviews.MapDelete("", DiscardReview)
            .WithName("DiscardReview")
            .WithSummary("Discard a draft; a submitted review is never deleted")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        reviews.MapPost("/submit", SubmitReview)
            .WithName("SubmitReview")
            .WithSummary("Submit the draft (with its content, or what is saved): a decision, a rationale and every competency rated. It never changes afterwards")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        reviews.MapPost("/return", ReturnReview)
            .WithName("ReturnReview")
            .WithSummary("HR returns a submitted review for calibration with a comment: it is kept, marked returned, and a new draft opens from it (201 with the draft)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }


    internal static async Task<Ok<ReadinessDto>> Readiness(Guid id, string? level, ReadinessService service, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await service.GetAsync(id, level, http.User, ct));

    internal static async Task<Ok<IReadOnlyList<ReviewDto>>> ListReviews(Guid id, ReviewService service, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await service.ListAsync(id, http.User, ct));

    internal static async Task<Created<ReviewDto>> CreateReview(Guid id, ReviewRequest request, ReviewService service, HttpContext http, CancellationToken ct)
    {
        var review = await service.CreateAsync(id, request, http.User, ct);
        http.Response.SetETag(review.Version);
        return TypedResults.Created($"/api/v1/reviews/{review.Id}", review);
    }

    internal static async Task<Ok<ReviewDto>> GetReview(Guid id, ReviewService service, HttpContext http, CancellationToken ct)
    {
        var review = await service.GetAsync(id, http.User, ct);
        http.Response.SetETag(review.Version);
        return TypedResults.Ok(review);
    }

    internal static async Task<Ok<ReviewDto>> SaveReview(Guid id, ReviewRequest request, ReviewService service, HttpContext http, CancellationToken ct)
    {
        var review = await service.SaveAsync(id, http.Request.OptionalIfMatch("This review"), request, http.User, ct);
        http.Response.SetETag(review.Version);
        return TypedResults.Ok(review);
    }

    internal static async Task<NoContent> DiscardReview(Guid id, ReviewService service, HttpContext http, CancellationToken ct)
    {
        await service.DiscardAsync(id, http.Request.OptionalIfMatch("This review"), http.User, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<ReviewDto>> SubmitReview(
        Guid id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ReviewRequest? request, ReviewService service, HttpContext http, CancellationToken ct)
    {
        var review = await service.SubmitAsync(id, http.Request.OptionalIfMatch("This review"), request, http.User, ct);
        http.Response.SetETag(review.Version);
        return TypedResults.Ok(review);
    }

    internal static async Task<Created<ReviewDto>> ReturnReview(Guid id, ReturnRequest request, ReviewService service, HttpContext http, CancellationToken ct)
    {
        var draft = await service.ReturnAsync(id, request, http.User, ct);
        http.Response.SetETag(draft.Version);
        return TypedResults.Created($"/api/v1/reviews/{draft.Id}", draft);
    }
}

public static class ReadinessExtensions
{
    /// <summary>Readiness evidence and reviews: who is ready for a bigger CX role, on evidence.</summary>
    public static WebApplicationBuilder AddReadiness(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ReadinessService>();
        builder.Services.AddScoped<ReviewService>();
        return builder;
    }

    public static WebApplication MapReadiness(this WebApplication app)
    {
        ReadinessApi.Map(app);
        return app;
    }
}
