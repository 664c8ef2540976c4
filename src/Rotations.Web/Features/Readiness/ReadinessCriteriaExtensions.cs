namespace Rotations.Web.Features.Readiness;

public static class ReadinessCriteriaExtensions
{
    /// <summary>What each target level asks of a leader, and the bands a readiness decision is given in.</summary>
    public static WebApplicationBuilder AddReadinessCriteria(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CriteriaService>();
        return builder;
    }

    public static WebApplication MapReadinessCriteria(this WebApplication app)
    {
        ReadinessCriteriaApi.Map(app);
        return app;
    }
}
