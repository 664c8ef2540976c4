using Microsoft.AspNetCore.Http.HttpResults;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Jobs;

/// <summary><c>GET /api/v1/jobs</c>: what the jobs page shows, for Admin and HR (monitoring, scripts).</summary>
public static class JobsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/jobs").WithTags("Jobs").RequireAuthorization(Policies.HR);
        group.MapGet("", Overview)
            .WithSummary("Scheduler nodes and their last check-in, each recurring job with its trigger and recent runs, the email outbox counts and failed emails; instants in UTC");
    }

    internal static async Task<Ok<JobsOverview>> Overview(JobsDashboard dashboard, CancellationToken ct) =>
        TypedResults.Ok(await dashboard.OverviewAsync(ct));
}

public static class JobsExtensions
{
    /// <summary>The background jobs page and API (the scheduler itself is Infrastructure/Scheduler).</summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<JobsDashboard>();
        return builder;
    }

    public static WebApplication MapJobsApi(this WebApplication app)
    {
        JobsApi.Map(app);
        return app;
    }
}
