using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rotations.Web.Features.Account;

using Rotations.Web.Infrastructure.Web;
using static Rotations.Web.Infrastructure.Web.VersionPreconditions;

namespace Rotations.Web.Features.People;

/// <summary>Query-string filters of GET /api/v1/people.</summary>
public sealed record PeopleFilter(string? Role, Guid? CohortId, Guid? ManagerId, string? Q, bool? Active, int? Page, int? PageSize);

/// <summary>/api/v1/people: HR creates and edits people; everyone reads whom they may see.</summary>
public static class PeopleApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/people").WithTags("People").RequireAuthorization(Policies.SignedIn);

        group.MapGet("/", List)
            .WithSummary("List people")
            .WithDescription("HR and Admin see everyone; a manager sees their direct reports and themself; anyone else only themself. " +
                "Ordered by name; `pageSize` is at most 200.")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", Get)
            .WithSummary("One person")
            .WithDescription("The `ETag` header carries the version to send back in `If-Match` when editing. " +
                "People outside what the caller may see answer 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", Create)
            .RequireAuthorization(Policies.HR)
            .WithSummary("Create a person (HR, Admin)")
            .WithDescription("Without `initialPassword` the person has no password and cannot sign in until they are invited to set one " +
                "(an invitation email with a link to choose one is sent, in the same transaction). `timeZone` is an IANA id and defaults to Europe/London. " +
                "The Leader role needs `leader` with `currentLevel` below `targetLevel` (Manager, HeadOf, Director, VP, CCO). " +
                "Only an Admin can give the Admin role.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPut("/{id:guid}", Update)
            .RequireAuthorization(Policies.HR)
            .WithSummary("Edit a person (HR, Admin)")
            .WithDescription("Replaces the person's fields. Send the version from GET (`ETag` or `version`) in `If-Match`: " +
                "without it the answer is 428, with a stale one 412 and nothing is written. A Leader needs `leader`; for anyone " +
                "else, leaving `leader` out keeps a profile they had. Only an Admin changes an Admin or the Admin role.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/{id:guid}/deactivate", Deactivate)
            .RequireAuthorization(Policies.HR)
            .WithSummary("Deactivate a person (HR, Admin)")
            .WithDescription("The person can no longer sign in; open sessions and tokens stop working within a minute. " +
                "Nothing is deleted. The last active Admin cannot be deactivated.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/reactivate", Reactivate)
            .RequireAuthorization(Policies.HR)
            .WithSummary("Reactivate a person (HR, Admin)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/invitation", Invite)
            .RequireAuthorization(Policies.HR)
            .WithSummary("Send the invitation again (HR, Admin)")
            .WithDescription("Queues a new invitation email for a person who has no password yet; its link to choose one works for 7 days. " +
                "202 when queued; 409 when the person has a password already (they can use “Forgot your password?”) or is deactivated.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/import", Import)
            .RequireAuthorization(Policies.HR)
            .WithMetadata(new RequestSizeLimitAttribute(PeopleImport.MaxBytes + MultipartOverhead))
            .Accepts<string>("text/csv", "text/plain", "application/csv", "application/octet-stream", "multipart/form-data")
            .WithSummary("Import people from CSV (HR, Admin)")
            .WithDescription("A `text/csv` body, or a multipart form with the file in the field `file`; at most 5 MB, UTF-8. " +
                "Columns (header row, any case): email, displayName, roles (separated by semicolons), managerEmail, timeZone, " +
                "currentLevel, targetLevel, cohort (its name), homeDepartment, programmeStart (YYYY-MM-DD). People are matched by email: " +
                "new ones are created (without a password), existing ones updated. A column left out leaves that field as it is. " +
                "`dryRun=true` (the default) only reports what would happen. Every bad row is reported with its line and column, and " +
                "nothing is written unless the whole file is valid (then 400 with the same `errors`).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private const int MultipartOverhead = 64 * 1024;

    internal static async Task<Ok<PeoplePage>> List([AsParameters] PeopleFilter filter, PeopleService service, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await service.ListAsync(new PeopleQuery(filter.Role, filter.CohortId, filter.ManagerId, filter.Q, filter.Active,
            filter.Page ?? 1, filter.PageSize ?? PeopleQuery.DefaultPageSize), user, ct));

    internal static async Task<Results<Ok<PersonDto>, ProblemHttpResult>> Get(Guid id, PeopleService service, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var person = await service.GetAsync(id, user, ct);
        if (person is null) return NotFound();
        SetETag(http, person);
        return TypedResults.Ok(person);
    }

    internal static async Task<Created<PersonDto>> Create(PersonRequest request, PeopleService service, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var person = await service.CreateAsync(request, user, ct);
        SetETag(http, person);
        return TypedResults.Created($"/api/v1/people/{person.Id}", person);
    }

    internal static async Task<Results<Ok<PersonDto>, ProblemHttpResult>> Update(
        Guid id, PersonRequest request, PeopleService service, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var (ifMatch, tag) = http.Request.ReadIfMatchTag();
        if (ifMatch == IfMatchState.Missing)
            return TypedResults.Problem(
                "Send the version you loaded in an If-Match header (the ETag of GET /api/v1/people/{id}), so that no one's change is overwritten.",
                statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required");
        // Outside the caller's view is "not found", before anything about versions is said.
        if (await service.GetAsync(id, user, ct) is null) return NotFound();
        var person = await service.UpdateAsync(id, ifMatch == IfMatchState.Any ? null : tag, request, user, ct);
        SetETag(http, person);
        return TypedResults.Ok(person);
    }

    internal static async Task<Results<Ok<PersonDto>, ProblemHttpResult>> Deactivate(Guid id, PeopleService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.GetAsync(id, user, ct) is null ? NotFound() : TypedResults.Ok(await service.DeactivateAsync(id, user, ct));

    internal static async Task<Results<Ok<PersonDto>, ProblemHttpResult>> Reactivate(Guid id, PeopleService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.GetAsync(id, user, ct) is null ? NotFound() : TypedResults.Ok(await service.ReactivateAsync(id, user, ct));

    internal static async Task<Results<Accepted, ProblemHttpResult>> Invite(Guid id, PeopleService service, AccountEmails emails, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await service.GetAsync(id, user, ct) is null) return NotFound();
        return await emails.ResendInvitationAsync(id, user, ct) switch
        {
            InvitationOutcome.Queued => TypedResults.Accepted((string?)null),
            InvitationOutcome.HasPassword => TypedResults.Problem(
                "This person has a password already. If they have forgotten it, they can use “Forgot your password?” on the sign-in page.",
                statusCode: StatusCodes.Status409Conflict, title: "No invitation needed"),
            _ => TypedResults.Problem("This person is deactivated: reactivate them first.",
                statusCode: StatusCodes.Status409Conflict, title: "No invitation for a deactivated person"),
        };
    }

    internal static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> Import(
        HttpRequest request, PeopleImport import, ClaimsPrincipal user, CancellationToken ct, bool dryRun = true)
    {
        var (bytes, problem) = await ReadUploadAsync(request, ct);
        if (problem is not null) return problem;
        var (text, decodeError) = PeopleImport.Decode(bytes);
        if (text is null)
            return TypedResults.Problem(decodeError, statusCode: StatusCodes.Status400BadRequest, title: "The file cannot be read");

        var report = await import.RunAsync(text, dryRun, user, ct);
        if (report.IsValid) return TypedResults.Ok(report);
        if (dryRun) return TypedResults.Ok(report);
        return TypedResults.Problem(
            $"{report.Errors.Count} {(report.Errors.Count == 1 ? "problem" : "problems")} in the file: nothing was imported.",
            statusCode: StatusCodes.Status400BadRequest, title: "The file has errors",
            extensions: new Dictionary<string, object?> { ["errors"] = report.Errors });
    }

    /// <summary>The CSV from a text body or the multipart field "file", within the size limit.</summary>
    private static async Task<(byte[] Bytes, ProblemHttpResult? Problem)> ReadUploadAsync(HttpRequest request, CancellationToken ct)
    {
        var tooLarge = TypedResults.Problem($"A CSV import is at most {PeopleImport.MaxBytes / 1024 / 1024} MB: split the file.",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large");
        if (request.HasFormContentType)
        {
            if (request.ContentLength > PeopleImport.MaxBytes + MultipartOverhead) return ([], tooLarge);
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.GetFile("file");
            if (file is null)
                return ([], TypedResults.Problem("Send the CSV file in the multipart field “file”, or as a text/csv body.",
                    statusCode: StatusCodes.Status400BadRequest, title: "No file"));
            if (file.Length > PeopleImport.MaxBytes) return ([], tooLarge);
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            return (buffer.ToArray(), null);
        }

        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not (null or "" or "text/csv" or "text/plain" or "application/csv" or "application/octet-stream"))
            return ([], TypedResults.Problem($"Send the file as text/csv or as multipart/form-data, not {type}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type"));
        if (request.ContentLength > PeopleImport.MaxBytes) return ([], tooLarge);
        using var body = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            body.Write(chunk, 0, read);
            if (body.Length > PeopleImport.MaxBytes) return ([], tooLarge);
        }
        return (body.ToArray(), null);
    }

    private static void SetETag(HttpContext http, PersonDto person) => http.Response.Headers.ETag = $"\"{person.Version}\"";

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem("There is no such person.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

public static class PeopleExtensions
{
    public static WebApplicationBuilder AddPeople(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<PeopleService>();
        builder.Services.AddScoped<PeopleImport>();
        // The user name is the email address: it may hold any character an address may.
        builder.Services.Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(o => o.User.AllowedUserNameCharacters = PersonRules.UserNameCharacters);
        return builder;
    }

    public static WebApplication MapPeopleApi(this WebApplication app)
    {
        PeopleApi.Map(app);
        return app;
    }
}
