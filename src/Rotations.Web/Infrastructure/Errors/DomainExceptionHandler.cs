using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Rotations.Web.Infrastructure.Errors;

/// <summary>Maps the domain's exceptions to RFC 9457 problem details: the one place it happens.</summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        ProblemDetails? problem = exception switch
        {
            ValidationFailedException v => new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Some fields are not valid",
                Detail = string.Join(" ", v.Errors.SelectMany(e => e.Value)),
            },
            NotFoundException n => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = n.Message },
            ConflictException c => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "That clashes with what is already booked",
                Detail = c.Message,
                Extensions = { ["clashes"] = c.Clashes },
            },
            StaleVersionException s => new ProblemDetails
            {
                Status = StatusCodes.Status412PreconditionFailed, Title = "Changed by someone else", Detail = s.Message,
            },
            ForbiddenException f => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Not allowed", Detail = f.Message },
            BadHttpRequestException b => UnreadableRequest.Problem(b),
            _ => null,
        };
        if (problem is null) return false;

        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }
}
