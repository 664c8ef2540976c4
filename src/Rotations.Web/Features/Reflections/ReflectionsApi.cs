using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Feedback;
using Rotations.Web.Infrastructure.Web;

namespace Rotations.Web.Features.Reflections;

/// <summary>
/// The reflection and the host feedback of a stint, the glossary and the learning log. Whoever may not read
/// a reflection gets 404 for it, whether or not they can see the stint (a host sees the stint, never the
/// reflection). If-Match is optional on these writes: each has one writer, who may still send it to avoid
/// overwriting a change made from another tab.
/// </summary>
public static class ReflectionsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var stints = app.MapGroup("/api/v1/stints/{id:guid}").WithTags("Reflections and feedback").RequireAuthorization(Policies.SignedIn);

        stints.MapGet("/reflection", GetReflection)
            .WithName("GetReflection")
            .WithSummary("The stint's reflection: the author, the author's manager and HR (the last two once it is submitted); 404 for anyone else")
            .ProducesProblem(StatusCodes.Status404NotFound);
        stints.MapPut("/reflection", SaveReflection)
            .WithName("SaveReflection")
            .WithSummary("Save the reflection (the leader): a draft until submitted; after that each change is kept as a version")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        stints.MapPost("/reflection/submit", SubmitReflection)
            .WithName("SubmitReflection")
            .WithSummary("Submit the reflection (the leader), with its text or what is saved; from the last week of the stint on")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        stints.MapGet("/reflection/versions/{number:int}", GetVersion)
            .WithName("GetReflectionVersion")
            .WithSummary("What the reflection said at submission (1) or after a later change (2, 3, …)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        stints.MapGet("/feedback", GetFeedback)
            .WithName("GetFeedback")
            .WithSummary("The host's feedback: the host (their draft too), and once submitted the leader, their manager and HR")
            .ProducesProblem(StatusCodes.Status404NotFound);
        stints.MapPut("/feedback", SaveFeedback)
            .WithName("SaveFeedback")
            .WithSummary("Save the feedback (the stint's host): ratings 1–4 for engagement, curiosity, collaboration, impact, and comments; submit: true submits it")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        app.MapGet("/api/v1/glossary", Glossary).WithTags("Glossary").RequireAuthorization(Policies.SignedIn)
            .WithName("Glossary")
            .WithSummary("The terms of submitted reflections by tour (q searches terms and meanings, tour filters by code); no authors, no reflections")
            .ProducesValidationProblem();

        app.MapGet("/api/v1/leaders/{id:guid}/learning-log", Log).WithTags("Reflections and feedback").RequireAuthorization(Policies.SignedIn)
            .WithName("LearningLog")
            .WithSummary("A leader's stints with objectives, reflection and feedback; q searches their reflections (PostgreSQL full-text). The leader, their manager, HR")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }


    internal static async Task<Ok<ReflectionDto>> GetReflection(Guid id, ReflectionService service, HttpContext http, CancellationToken ct)
    {
        var reflection = await service.GetAsync(id, http.User, ct);
        http.Response.SetETag(reflection.Version);
        return TypedResults.Ok(reflection);
    }

    internal static async Task<Ok<ReflectionDto>> SaveReflection(Guid id, ReflectionRequest request, ReflectionService service, HttpContext http, CancellationToken ct)
    {
        var reflection = await service.SaveAsync(id, http.Request.OptionalIfMatch("This reflection"), request, http.User, ct);
        http.Response.SetETag(reflection.Version);
        return TypedResults.Ok(reflection);
    }

    internal static async Task<Ok<ReflectionDto>> SubmitReflection(
        Guid id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ReflectionRequest? request,
        ReflectionService service, HttpContext http, CancellationToken ct)
    {
        var reflection = await service.SubmitAsync(id, http.Request.OptionalIfMatch("This reflection"), request, http.User, ct);
        http.Response.SetETag(reflection.Version);
        return TypedResults.Ok(reflection);
    }

    internal static async Task<Ok<ReflectionVersionDto>> GetVersion(Guid id, int number, ReflectionService service, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await service.GetVersionAsync(id, number, http.User, ct));

    internal static async Task<Ok<FeedbackDto>> GetFeedback(Guid id, FeedbackService service, HttpContext http, CancellationToken ct)
    {
        var feedback = await service.GetAsync(id, http.User, ct);
        http.Response.SetETag(feedback.Version);
        return TypedResults.Ok(feedback);
    }

    internal static async Task<Ok<FeedbackDto>> SaveFeedback(Guid id, FeedbackRequest request, FeedbackService service, HttpContext http, CancellationToken ct)
    {
        var feedback = await service.SaveAsync(id, http.Request.OptionalIfMatch("This feedback"), request, http.User, ct);
        http.Response.SetETag(feedback.Version);
        return TypedResults.Ok(feedback);
    }

    internal static async Task<Ok<GlossaryDto>> Glossary(string? q, string? tour, GlossaryService service, CancellationToken ct) =>
        TypedResults.Ok(await service.SearchAsync(q, tour, ct));

    internal static async Task<Ok<LearningLogDto>> Log(Guid id, string? q, LearningLog log, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await log.GetAsync(id, q, http.User, ct));
}
