using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Audit;

/// <summary><c>GET /api/v1/audit</c>: the audit trail for HR and Admin, newest first, filtered and paged.</summary>
public static class AuditApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Policies.HR);
        group.MapGet("", Search)
            .WithSummary("Who changed what, when: filter by entityType, entityKey, actorId and a period (from inclusive, to exclusive)")
            .ProducesValidationProblem();
    }

    internal static async Task<Ok<AuditPage>> Search(
        AuditLog log, CancellationToken ct,
        string? entityType = null, string? entityKey = null, Guid? actorId = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = AuditLog.DefaultPageSize) =>
        TypedResults.Ok(await log.SearchAsync(new AuditQuery(entityType, entityKey, actorId, from, to, page, pageSize), ct));
}

public static class AuditExtensions
{
    public static WebApplicationBuilder AddAuditLog(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<AuditEvents>();
        return builder;
    }

    public static WebApplication MapAuditApi(this WebApplication app)
    {
        AuditApi.Map(app);
        return app;
    }
}
