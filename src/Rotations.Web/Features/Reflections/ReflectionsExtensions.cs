using Rotations.Web.Features.Feedback;

namespace Rotations.Web.Features.Reflections;

public static class ReflectionsExtensions
{
    /// <summary>Reflections, host feedback, the learning log and the glossary: what leaders learned, where it can be used.</summary>
    public static WebApplicationBuilder AddReflections(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ReflectionService>();
        builder.Services.AddScoped<FeedbackService>();
        builder.Services.AddScoped<GlossaryService>();
        builder.Services.AddScoped<LearningLog>();
        builder.Services.AddScoped<LearningTasks>();
        return builder;
    }

    public static WebApplication MapReflections(this WebApplication app)
    {
        ReflectionsApi.Map(app);
        return app;
    }
}
