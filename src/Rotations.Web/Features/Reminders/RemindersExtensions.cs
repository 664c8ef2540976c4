namespace Rotations.Web.Features.Reminders;

public static class RemindersExtensions
{
    /// <summary>The reminder sweep, the weekly digest and their settings.</summary>
    public static WebApplicationBuilder AddReminders(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ReminderSweep>();
        builder.Services.AddScoped<WeeklyDigest>();
        builder.Services.AddScoped<ReminderSettingsService>();
        return builder;
    }

    public static WebApplication MapReminders(this WebApplication app)
    {
        ReminderSettingsApi.Map(app);
        return app;
    }
}
