using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;
using static Rotations.Web.Infrastructure.Web.VersionPreconditions;

namespace Rotations.Web.Features.Readiness;

/// <summary>
/// <c>/api/v1/readiness</c>: the criteria of each target level and the decision bands, read by everyone signed
/// in, replaced by HR. A level travels as HeadOf, Director, VP or CCO; any other is 404, naming it.
/// </summary>
public static class ReadinessCriteriaApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/readiness").WithTags("Readiness");
        group.MapGet("/criteria", GetAll).RequireAuthorization(Policies.SignedIn)
            .WithSummary("The criteria of the four target levels, lowest first, and the decision bands in order");
        group.MapGet("/criteria/{level}", GetLevel).RequireAuthorization(Policies.SignedIn)
            .WithSummary("One level's criteria, with its ETag")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/criteria/{level}", PutLevel).RequireAuthorization(Policies.HR)
            .WithSummary("Replace one level's criteria as a whole (HR). If-Match is required")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapGet("/bands", GetBands).RequireAuthorization(Policies.SignedIn)
            .WithSummary("The decision bands in order, retired ones included (marked), with the ETag of the set");
        group.MapPut("/bands", PutBands).RequireAuthorization(Policies.HR)
            .WithSummary("Replace the bands as a whole (HR): every band in order; a new code adds one; retired, never deleted. If-Match is required")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }

    internal static async Task<Ok<CriteriaDto>> GetAll(CriteriaService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetAsync(ct));

    internal static async Task<Ok<LevelCriteriaDto>> GetLevel(string level, CriteriaService service, HttpResponse response, CancellationToken ct)
    {
        var criteria = await service.GetLevelAsync(Parse(level), ct);
        response.SetETag(criteria.Version);
        return TypedResults.Ok(criteria);
    }

    internal static async Task<Results<Ok<LevelCriteriaDto>, ProblemHttpResult>> PutLevel(
        string level, LevelCriteriaRequest request, CriteriaService service, HttpContext http, CancellationToken ct)
    {
        var current = await service.GetLevelAsync(Parse(level), ct);
        if (http.Request.ExpectedVersion(current.Version, "readiness criteria") is not { } version) return IfMatchRequired("readiness criteria");
        var criteria = await service.PutLevelAsync(current.Level, version, request, ct);
        http.Response.SetETag(criteria.Version);
        return TypedResults.Ok(criteria);
    }

    internal static async Task<Ok<BandsDto>> GetBands(CriteriaService service, HttpResponse response, CancellationToken ct)
    {
        var bands = await service.GetBandsAsync(ct);
        response.SetETag(bands.Version);
        return TypedResults.Ok(bands);
    }

    internal static async Task<Results<Ok<BandsDto>, ProblemHttpResult>> PutBands(
        BandsRequest request, CriteriaService service, HttpContext http, CancellationToken ct)
    {
        // The bands' version is checked under the service's table lock, so "*" needs no version read beforehand.
        var (state, version) = http.Request.ReadIfMatch();
        if (state == IfMatchState.Missing) return IfMatchRequired("decision bands");
        if (state == IfMatchState.Unmatchable) throw new StaleVersionException("The decision bands");
        uint? expected = state == IfMatchState.Version ? version : null;
        var bands = await service.PutBandsAsync(expected, request, ct);
        http.Response.SetETag(bands.Version);
        return TypedResults.Ok(bands);
    }

    private static People.Level Parse(string level) => CriteriaService.ParseLevel(level) ?? throw CriteriaService.UnknownLevel(level);
}
