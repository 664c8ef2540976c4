using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Account;

/// <summary>/api/v1/me/email-preferences: the caller's own choice of which reminders also come by email.</summary>
public static class EmailPreferencesApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/me/email-preferences").WithTags("Me").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", Get)
            .WithSummary("Which notifications you also get by email")
            .WithDescription("Every kind, with `email: true` when it is also emailed (the default) and `false` when it only reaches the inbox.");
        group.MapPut("/", Put)
            .WithSummary("Choose which notifications you also get by email")
            .WithDescription("`{\"kinds\": [{\"kind\": \"UpcomingStint\", \"email\": false}]}`. Kinds left out keep their setting. " +
                "An unknown kind is a 400 that names it, and nothing is changed. The inbox always gets every kind.")
            .ProducesValidationProblem();
    }

    internal static async Task<Ok<EmailPreferencesDto>> Get(EmailPreferencesService service, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await service.GetAsync(user.PersonId(), ct));

    internal static async Task<Ok<EmailPreferencesDto>> Put(EmailPreferencesRequest request, EmailPreferencesService service, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await service.SetAsync(user.PersonId(), request, ct));
}
