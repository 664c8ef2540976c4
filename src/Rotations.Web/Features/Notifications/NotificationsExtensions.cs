namespace Rotations.Web.Features.Notifications;

public static class NotificationsExtensions
{
    /// <summary>The inbox, the email outbox and its delivery.</summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<OutboxDelivery>();
        builder.Services.AddSingleton<MessageIds>();
        builder.Services.AddScoped<NotificationWriter>();
        builder.Services.AddScoped<Inbox>();
        return builder;
    }

    public static WebApplication MapNotifications(this WebApplication app)
    {
        InboxApi.Map(app);
        return app;
    }
}
