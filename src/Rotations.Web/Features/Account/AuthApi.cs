using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Rotations.Web.Features.Account;

public sealed record TokenRequest(string? Email, string? Password);

/// <summary>POST /api/v1/auth/token: email and password in, a bearer token out. There is no registration endpoint.</summary>
public static class AuthApi
{
    public const string SignInFailed = "The email or password is incorrect, or the account is locked or deactivated.";

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/token", IssueToken)
            .AllowAnonymous()
            .WithSummary("Exchange an email and password for a bearer token")
            .Produces<AccessTokenResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    internal static async Task<Results<SignInHttpResult, ValidationProblem, ProblemHttpResult>> IssueToken(
        TokenRequest request, SignInGuard guard, SignInManager<Person> signIn, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email)) errors["email"] = ["Email is required."];
        else if (!new EmailAddressAttribute().IsValid(request.Email) || request.Email.Length > 256) errors["email"] = ["Email is not a valid address."];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["Password is required."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var outcome = await guard.AttemptAsync(request.Email!, request.Password!, "api", cookie: false, persistent: false, ct);
        if (outcome.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(outcome.WaitMessage, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-in attempts");
        }
        if (!outcome.Result.Succeeded) return Unauthorized();

        var principal = await signIn.CreateUserPrincipalAsync(outcome.Person!);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static ProblemHttpResult Unauthorized() =>
        TypedResults.Problem(SignInFailed, statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");
}

/// <summary>A fixed hash to verify against when the email is unknown.</summary>
internal static class TimingDummy
{
    public static readonly Person Person = new() { DisplayName = "nobody" };
    private static string? hash;
    public static string Hash(IPasswordHasher<Person> hasher) =>
        hash ??= hasher.HashPassword(Person, Guid.NewGuid().ToString());
}
