using Rotations.Web.Infrastructure.Email;

namespace Rotations.Web.Features.Notifications;

public static class NotificationsExtensions
{
    /// <summary>The inbox, the email outbox and its delivery.</summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        // Read when first needed, from the final configuration, so hosts and tests can supply settings late.
        builder.Services.AddSingleton(sp => EmailSettings.Read(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        builder.Services.AddSingleton<IEmailTransport>(sp =>
        {
            var settings = sp.GetRequiredService<EmailSettings>();
            return settings.UsesSmtp ? new SmtpEmailTransport(settings) : new PickupDirectoryEmailTransport(settings);
        });
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox")
            .Validate(o => o.BatchSize is >= 1 and <= 500 && o.Lease >= TimeSpan.FromSeconds(2) && o.MaxPerPass >= 1,
                "Outbox: BatchSize 1–500, Lease at least 2 seconds, MaxPerPass at least 1.");
        builder.Services.AddSingleton<EmailLinks>();
        builder.Services.AddScoped<IEmailComposer, NotificationEmailComposer>();
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
