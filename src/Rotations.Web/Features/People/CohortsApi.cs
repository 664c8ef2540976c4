using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Web;
using static Rotations.Web.Infrastructure.Web.VersionPreconditions;

namespace Rotations.Web.Features.People;

/// <summary>/api/v1/cohorts: everyone signed in reads them; HR and Admins create and change them.</summary>
public static class CohortsApi
{
    public static WebApplication MapCohortsApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/cohorts").WithTags("Cohorts").RequireAuthorization(Policies.SignedIn)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapGet("/", List).WithSummary("Cohorts, newest start first, with how many leaders each has");
        group.MapGet("/{id:guid}", Get)
            .WithSummary("One cohort; its ETag is the version to send back in If-Match")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var write = group.MapGroup("").RequireAuthorization(Policies.HR)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        write.MapPost("/", Create)
            .WithSummary("Create a cohort (HR)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        write.MapPut("/{id:guid}", Update)
            .WithSummary("Rename a cohort or change its dates (HR); If-Match is required")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<CohortDto>>> List(CohortService cohorts, CancellationToken ct) =>
        TypedResults.Ok(await cohorts.ListAsync(ct));

    internal static async Task<Ok<CohortDto>> Get(Guid id, CohortService cohorts, HttpResponse response, CancellationToken ct)
    {
        var cohort = await cohorts.GetAsync(id, ct);
        response.SetETag(cohort.Version);
        return TypedResults.Ok(cohort);
    }

    internal static async Task<Created<CohortDto>> Create(CohortRequest request, CohortService cohorts, HttpResponse response, CancellationToken ct)
    {
        var cohort = await cohorts.CreateAsync(request, ct);
        response.SetETag(cohort.Version);
        return TypedResults.Created($"/api/v1/cohorts/{cohort.Id}", cohort);
    }

    internal static async Task<Results<Ok<CohortDto>, ProblemHttpResult>> Update(
        Guid id, CohortRequest request, CohortService cohorts, HttpRequest http, HttpResponse response, CancellationToken ct)
    {
        var (state, version) = http.ReadIfMatch();
        if (state == IfMatchState.Missing) return IfMatchRequired("cohort");
        if (state == IfMatchState.Unmatchable)
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed by someone else",
                detail: "If-Match does not name a version of this cohort. GET the cohort and send its ETag.");
        if (state == IfMatchState.Any) version = (await cohorts.GetAsync(id, ct)).Version;
        var cohort = await cohorts.UpdateAsync(id, version, request, ct);
        response.SetETag(cohort.Version);
        return TypedResults.Ok(cohort);
    }
}
