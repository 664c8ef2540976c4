namespace Rotations.Web.Infrastructure.Web;

/// <summary>
/// Problem details that the framework writes on its own (a 415 from endpoint selection, a 401 challenge, a 413
/// from the server's size limit) carry only a status and its title; this says in a sentence what went wrong.
/// </summary>
internal static class StatusProblems
{
    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status400BadRequest => "The request could not be read.",
            StatusCodes.Status401Unauthorized => "Sign in first: send a bearer token from POST /api/v1/auth/token, or the session cookie.",
            StatusCodes.Status403Forbidden => "You are signed in, but your role does not allow this.",
            StatusCodes.Status404NotFound => "There is nothing at this address, or you may not see it.",
            StatusCodes.Status405MethodNotAllowed => "This address does not take that HTTP method.",
            StatusCodes.Status406NotAcceptable => "This address answers with JSON (application/json).",
            StatusCodes.Status413PayloadTooLarge => $"The request body is larger than this address accepts (at most {RequestLimits.Describe(context.HttpContext)}).",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON, with Content-Type: application/json.",
            StatusCodes.Status429TooManyRequests => "Too many requests: wait a little, then try again.",
            _ => null,
        };
    }
}
