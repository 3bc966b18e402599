namespace Notifications.Api.Topics;

public static class TopicsExtensions
{
    public static IHostApplicationBuilder AddNotificationsTopics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TopicPolicy>();
        builder.Services.AddSingleton<PublishGrant>();
        builder.Services.AddSingleton<TopicSubscriptions>();
        builder.Services.AddSingleton<PresenceEvents>();
        builder.Services.AddSingleton<TopicPresenceDirectory>();
        builder.Services.AddHostedService<TopicPresenceReporter>();
        return builder;
    }
}
