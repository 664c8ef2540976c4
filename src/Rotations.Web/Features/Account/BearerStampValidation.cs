using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Rotations.Web.Features.Account;

/// <summary>
/// Bearer tokens carry the person's security stamp, but Identity's bearer handler never checks it.
/// This does, at most once a minute per token holder (as the cookie's validator does), so a deactivated
/// person, a removed role or a changed password ends API access within a minute on every node.
/// </summary>
internal sealed class BearerStampValidation(RequestDelegate next, TimeProvider clock, IOptions<SecurityStampValidatorOptions> options)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> validatedAt = new();

    public async Task InvokeAsync(HttpContext context, SignInManager<Person> signIn)
    {
        if (context.User.Identity?.IsAuthenticated == true &&
            context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var stamp = context.User.FindFirstValue(signIn.Options.ClaimsIdentity.SecurityStampClaimType) ?? "";
            var key = $"{context.User.FindFirstValue(ClaimTypes.NameIdentifier)}:{stamp}";
            var now = clock.GetUtcNow();
            if (!validatedAt.TryGetValue(key, out var at) || now - at >= options.Value.ValidationInterval)
            {
                var person = await signIn.ValidateSecurityStampAsync(context.User);
                if (person is null || !await signIn.CanSignInAsync(person))
                {
                    validatedAt.TryRemove(key, out _);
                    await Results.Problem("The token is no longer valid: sign in again.",
                        statusCode: StatusCodes.Status401Unauthorized, title: "Token revoked").ExecuteAsync(context);
                    return;
                }
                validatedAt[key] = now;
                if (validatedAt.Count > 50_000) Prune(now);
            }
        }
        await next(context);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, at) in validatedAt)
            if (now - at >= options.Value.ValidationInterval) validatedAt.TryRemove(key, out _);
    }
}
