using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Web;
using static Rotations.Web.Infrastructure.Web.VersionPreconditions;

namespace Rotations.Web.Features.Catalogue;

/// <summary>/api/v1/tours: everyone signed in reads the catalogue; HR and Admins change it.</summary>
public static class ToursApi
{
    public static WebApplication MapToursApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/tours").WithTags("Tours").RequireAuthorization(Policies.SignedIn)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapGet("/", List)
            .WithSummary("The tours catalogue, by name")
            .WithDescription("Retired tours are left out unless includeRetired=true.");
        group.MapGet("/{id:guid}", Get)
            .WithSummary("One tour; its ETag is the version to send back in If-Match")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var write = group.MapGroup("").RequireAuthorization(Policies.HR)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        write.MapPost("/", Create)
            .WithSummary("Create a tour (HR)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        write.MapPut("/{id:guid}", Update)
            .WithSummary("Change every field of a tour (HR); If-Match is required")
            .WithDescription("The body replaces the tour: texts left out become empty and hostIds left out removes every host. " +
                "409 when the code is taken, when the capacity would drop below what is booked on a future day, " +
                "or when a removed host still hosts a stint that has not ended; 412 when the tour changed since it was loaded.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        write.MapPost("/{id:guid}/retire", Retire)
            .WithSummary("Retire a tour (HR): it keeps its stints but takes no new ones; If-Match is optional")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        write.MapPost("/{id:guid}/reinstate", Reinstate)
            .WithSummary("Reinstate a retired tour (HR); If-Match is optional")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<TourDto>>> List(bool? includeRetired, CatalogueService catalogue, CancellationToken ct) =>
        TypedResults.Ok(await catalogue.ListAsync(includeRetired ?? false, ct));

    internal static async Task<Ok<TourDto>> Get(Guid id, CatalogueService catalogue, HttpResponse response, CancellationToken ct)
    {
        var tour = await catalogue.GetAsync(id, ct);
        response.SetETag(tour.Version);
        return TypedResults.Ok(tour);
    }

    internal static async Task<Created<TourDto>> Create(TourRequest request, CatalogueService catalogue, HttpResponse response, CancellationToken ct)
    {
        var tour = await catalogue.CreateAsync(request, ct);
        response.SetETag(tour.Version);
        return TypedResults.Created($"/api/v1/tours/{tour.Id}", tour);
    }

    internal static async Task<Results<Ok<TourDto>, ProblemHttpResult>> Update(
        Guid id, TourRequest request, CatalogueService catalogue, HttpRequest http, HttpResponse response, CancellationToken ct)
    {
        var (state, version) = http.ReadIfMatch();
        if (state == IfMatchState.Missing) return IfMatchRequired("tour");
        if (state == IfMatchState.Unmatchable) return NotAVersion();
        if (state == IfMatchState.Any) version = (await catalogue.GetAsync(id, ct)).Version;
        var tour = await catalogue.UpdateAsync(id, version, request, ct);
        response.SetETag(tour.Version);
        return TypedResults.Ok(tour);
    }

    internal static Task<Results<Ok<TourDto>, ProblemHttpResult>> Retire(
        Guid id, CatalogueService catalogue, HttpRequest http, HttpResponse response, CancellationToken ct) =>
        SetRetired(http, response, version => catalogue.RetireAsync(id, version, ct));

    internal static Task<Results<Ok<TourDto>, ProblemHttpResult>> Reinstate(
        Guid id, CatalogueService catalogue, HttpRequest http, HttpResponse response, CancellationToken ct) =>
        SetRetired(http, response, version => catalogue.ReinstateAsync(id, version, ct));

    private static async Task<Results<Ok<TourDto>, ProblemHttpResult>> SetRetired(
        HttpRequest http, HttpResponse response, Func<uint?, Task<TourDto>> change)
    {
        var (state, version) = http.ReadIfMatch();
        if (state == IfMatchState.Unmatchable) return NotAVersion();
        var tour = await change(state == IfMatchState.Version ? version : null);
        response.SetETag(tour.Version);
        return TypedResults.Ok(tour);
    }

    private static ProblemHttpResult NotAVersion() => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed by someone else",
        detail: "If-Match does not name a version of this tour. GET the tour and send its ETag.");
}
