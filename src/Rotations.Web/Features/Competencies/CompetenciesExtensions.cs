namespace Rotations.Web.Features.Competencies;

public static class CompetenciesExtensions
{
    /// <summary>The competency framework the programme develops, and which tours develop what.</summary>
    public static WebApplicationBuilder AddCompetencies(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CompetencyService>();
        return builder;
    }

    public static WebApplication MapCompetencies(this WebApplication app)
    {
        CompetenciesApi.Map(app);
        return app;
    }
}
