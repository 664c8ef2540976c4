using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Reports;

public static class ReportsExtensions
{
    /// <summary>Managers, for "my reports". Not in <see cref="Policies"/>: only this feature needs it so far.</summary>
    public const string ManagerPolicy = "Manager";

    /// <summary>The dashboards: HR's reports and the manager's "my reports".</summary>
    public static WebApplicationBuilder AddReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ReportsService>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(ManagerPolicy, p => p.RequireRole(Roles.Manager));
        return builder;
    }

    public static WebApplication MapReports(this WebApplication app)
    {
        app.MapReportsApi();
        return app;
    }
}
