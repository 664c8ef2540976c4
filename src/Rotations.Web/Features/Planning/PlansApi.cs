using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Web;

namespace Rotations.Web.Features.Planning;

/// <summary>
/// The auto-planner's proposals and their commit. Only HR plans and commits. If-Match is optional: sending the ETag
/// a plan was read with keeps one coordinator's change from landing on a plan another has just changed.
/// </summary>
public static class PlansApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var plans = app.MapGroup("/api/v1/plans").WithTags("Auto-planner").RequireAuthorization(Policies.HR);
        plans.MapGet("", List).WithName("ListPlans").WithSummary("The latest plans, newest first");
        plans.MapPost("", Create)
            .WithName("CreatePlan")
            .WithSummary("Plan a cohort over a horizon {cohortId, from, to}: every leader's remaining tours for their target level, conflict-free; unplaced items with the reason and what would fix it; metrics")
            .ProducesValidationProblem();
        plans.MapGet("/{id:guid}", Get).WithName("GetPlan").WithSummary("One plan").ProducesProblem(StatusCodes.Status404NotFound);
        plans.MapPut("/{id:guid}/items/{position:int}", SetItem)
            .WithName("SetPlanItem")
            .WithSummary("Pin an item (planning again keeps it where it is) or remove it (left out of the plan and the commit): {pinned?, removed?}")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        plans.MapPost("/{id:guid}/replan", Replan)
            .WithName("Replan")
            .WithSummary("Plan again around the pinned items, without the removed ones, against what is booked now")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        plans.MapPost("/{id:guid}/commit", Commit)
            .WithName("CommitPlan")
            .WithSummary("Book every item still in the plan, in one transaction under the booking rules; 409 naming every clash, and nothing written, if anything was booked meanwhile")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        plans.MapPost("/{id:guid}/discard", Discard)
            .WithName("DiscardPlan")
            .WithSummary("Set a proposal aside")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }


    internal static async Task<Ok<IReadOnlyList<PlanSummary>>> List(PlanningService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ListAsync(ct));

    internal static async Task<Created<PlanDto>> Create(PlanRequest request, PlanningService service, HttpContext http, CancellationToken ct)
    {
        var plan = await service.CreateAsync(request, http.User, ct);
        http.Response.SetETag(plan.Version);
        return TypedResults.Created($"/api/v1/plans/{plan.Id}", plan);
    }

    internal static async Task<Ok<PlanDto>> Get(Guid id, PlanningService service, HttpContext http, CancellationToken ct)
    {
        var plan = await service.GetAsync(id, ct);
        http.Response.SetETag(plan.Version);
        return TypedResults.Ok(plan);
    }

    internal static async Task<Ok<PlanDto>> SetItem(Guid id, int position, PlanItemRequest request, PlanningService service, HttpContext http, CancellationToken ct)
    {
        var plan = await service.SetItemAsync(id, position, http.Request.OptionalIfMatch("This plan"), request, ct);
        http.Response.SetETag(plan.Version);
        return TypedResults.Ok(plan);
    }

    internal static async Task<Ok<PlanDto>> Replan(Guid id, PlanningService service, HttpContext http, CancellationToken ct)
    {
        var plan = await service.ReplanAsync(id, http.Request.OptionalIfMatch("This plan"), ct);
        http.Response.SetETag(plan.Version);
        return TypedResults.Ok(plan);
    }

    internal static async Task<Ok<PlanDto>> Commit(Guid id, PlanningService service, HttpContext http, CancellationToken ct)
    {
        var plan = await service.CommitAsync(id, http.Request.OptionalIfMatch("This plan"), http.User, ct);
        http.Response.SetETag(plan.Version);
        return TypedResults.Ok(plan);
    }

    internal static async Task<NoContent> Discard(Guid id, PlanningService service, HttpContext http, CancellationToken ct)
    {
        await service.DiscardAsync(id, http.Request.OptionalIfMatch("This plan"), ct);
        return TypedResults.NoContent();
    }
}

public static class PlanningExtensions
{
    /// <summary>The auto-planner: proposals for a cohort, previewed, adjusted and committed by HR.</summary>
    public static WebApplicationBuilder AddPlanning(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<PlanningService>();
        builder.Services.AddScoped<UnavailabilityService>();
        builder.Services.AddScoped<PlanPreviewQueries>();
        return builder;
    }

    public static WebApplication MapPlanning(this WebApplication app)
    {
        PlansApi.Map(app);
        UnavailabilityApi.Map(app);
        return app;
    }
}
