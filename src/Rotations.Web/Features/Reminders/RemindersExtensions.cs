namespace Rotations.Web.Features.Reminders;

public static class RemindersExtensions
{
    /// <summary>The reminder sweep, the weekly digest and their settings.</summary>
    public static WebApplicationBuilder AddReminders(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ReminderSweep>();
        builder.Services.AddScoped<WeeklyDigest>();
        return builder;
    }
}
