namespace Notifications.Api.Publishing;

public static class PublishingExtensions
{
    public static IHostApplicationBuilder AddPublishing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NotificationPublisher>();
        return builder;
    }
}
