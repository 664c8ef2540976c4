using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Audit;

/// <summary>
/// Puts every authorization failure of a signed-in person in the audit trail: a policy that refused them (403 for
/// the API, the access-denied redirect for pages) and a service's <see cref="ForbiddenException"/>. The entry names
/// the person, the address, the method and the path (never the query string, which may carry a token).
/// </summary>
internal sealed class RefusalAudit(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext ctx, AuditEvents audit)
    {
        try
        {
            await next(ctx);
        }
        catch (ForbiddenException ex)
        {
            await RecordAsync(ctx, audit, ex.Message);
            throw;
        }
        if (ctx.User.Identity?.IsAuthenticated != true) return;
        var refused = ctx.Response.StatusCode == StatusCodes.Status403Forbidden ||
            (ctx.Response.StatusCode == StatusCodes.Status302Found &&
             ctx.Response.Headers.Location.ToString().Contains("/Account/AccessDenied", StringComparison.OrdinalIgnoreCase));
        if (refused) await RecordAsync(ctx, audit, null);
    }

    private static Task RecordAsync(HttpContext ctx, AuditEvents audit, string? reason)
    {
        var what = $"{ctx.Request.Method} {ctx.Request.Path}";
        var entry = audit.Entry(AuditEvents.Access, "", what, "Denied",
            reason is null ? new { method = ctx.Request.Method, path = ctx.Request.Path.Value } : new { method = ctx.Request.Method, path = ctx.Request.Path.Value, reason });
        return audit.WriteAsync(entry, ctx.RequestAborted);
    }
}
