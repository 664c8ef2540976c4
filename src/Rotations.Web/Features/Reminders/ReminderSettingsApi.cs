using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using static Rotations.Web.Infrastructure.Web.VersionPreconditions;

namespace Rotations.Web.Features.Reminders;

/// <summary><c>/api/v1/reminder-settings</c>: the reminder rhythm, for HR and Admin.</summary>
public static class ReminderSettingsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/reminder-settings").WithTags("Reminders").RequireAuthorization(Policies.HR);
        group.MapGet("", Get).WithSummary("The reminder offsets, the local send hour and the digest day (HR, Admin)");
        group.MapPut("", Update)
            .WithSummary("Change the reminder rhythm (HR, Admin); If-Match is required; applies from the next sweep")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }

    internal static async Task<Ok<ReminderSettingsDto>> Get(ReminderSettingsService settings, HttpResponse response, CancellationToken ct)
    {
        var dto = await settings.GetAsync(ct);
        response.SetETag(dto.Version);
        return TypedResults.Ok(dto);
    }

    internal static async Task<Results<Ok<ReminderSettingsDto>, ProblemHttpResult>> Update(
        ReminderSettingsRequest request, ReminderSettingsService settings, HttpContext http, CancellationToken ct)
    {
        var current = await settings.GetAsync(ct);
        if (http.Request.ExpectedVersion(current.Version, "reminder settings") is not { } version) return IfMatchRequired("reminder settings");
        var dto = await settings.UpdateAsync(version, request, http.User.PersonId(), ct);
        http.Response.SetETag(dto.Version);
        return TypedResults.Ok(dto);
    }
}
