using Rotations.Web.Features.People;

namespace Rotations.Web.Features.Catalogue;

public static class CatalogueExtensions
{
    /// <summary>The tours catalogue and the cohorts of leaders.</summary>
    public static WebApplicationBuilder AddCatalogue(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CatalogueService>();
        builder.Services.AddScoped<CohortService>();
        return builder;
    }
}
