namespace Rotations.Web.Features.Reports;

public static class ReportsExtensions
{
    /// <summary>The dashboards: HR's reports and the manager's "my reports".</summary>
    public static WebApplicationBuilder AddReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ReportsService>();
        return builder;
    }

    public static WebApplication MapReports(this WebApplication app)
    {
        app.MapReportsApi();
        return app;
    }
}
