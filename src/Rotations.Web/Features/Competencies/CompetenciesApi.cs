using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;
using static Rotations.Web.Infrastructure.Web.VersionPreconditions;

namespace Rotations.Web.Features.Competencies;

/// <summary><c>/api/v1/competencies</c>: the framework, read by everyone signed in, replaced by HR.</summary>
public static class CompetenciesApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/competencies").WithTags("Competencies");
        group.MapGet("", Get).RequireAuthorization(Policies.SignedIn)
            .WithSummary("The competency framework in order, with the tours that develop each (includeRetired for the retired too)");
        group.MapPut("", Replace).RequireAuthorization(Policies.HR)
            .WithSummary("Replace the framework (HR): the list in order; an id keeps a competency, none adds one; left out means retired. If-Match is required")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }

    internal static async Task<Ok<FrameworkDto>> Get(CompetencyService service, HttpResponse response, bool? includeRetired, CancellationToken ct)
    {
        var framework = await service.GetAsync(includeRetired ?? false, ct);
        response.SetETag(framework.Version);
        return TypedResults.Ok(framework);
    }

    internal static async Task<Results<Ok<FrameworkDto>, ProblemHttpResult>> Replace(
        FrameworkRequest request, CompetencyService service, HttpContext http, CancellationToken ct)
    {
        var current = await service.GetAsync(includeRetired: true, ct);
        if (http.Request.ExpectedVersion(current.Version, "competency framework") is not { } version) return IfMatchRequired("competency framework");
        var framework = await service.ReplaceAsync(version, request, ct);
        http.Response.SetETag(framework.Version);
        return TypedResults.Ok(framework);
    }
}
