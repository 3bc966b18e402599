namespace Notifications.Web.Feed;

public static class LiveFeedExtensions
{
    public static IHostApplicationBuilder AddLiveFeed(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveFeedOptions>()
            .BindConfiguration(LiveFeedOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
