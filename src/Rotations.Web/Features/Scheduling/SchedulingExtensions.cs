namespace Rotations.Web.Features.Scheduling;

public static class SchedulingExtensions
{
    public static WebApplicationBuilder AddScheduling(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SchedulingService>();
        builder.Services.AddScoped<StintQueries>();
        builder.Services.AddScoped<BoardQueries>();
        builder.Services.AddScoped<StintFormChoices>();
        builder.Services.AddScoped<PlanQueries>();
        return builder;
    }
}
