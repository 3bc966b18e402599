using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Polly;
using Polly.Retry;
using StackExchange.Redis;

namespace Notifications.Api.Publishing;

public static class PublishingExtensions
{
    public static IHostApplicationBuilder AddNotificationsPublishing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => CreateResilience(services.GetRequiredService<IOptions<BackplaneOptions>>().Value));
        builder.Services.AddSingleton<PublishRequestReader>();
        builder.Services.AddSingleton<NotificationPublisher>();
        builder.Services.AddSingleton<BatchPublisher>();
        builder.Services.AddSingleton<PublishingLog>();
        return builder;
    }

    /// <summary>
    /// The whole publish (or one stream of a batch), retries included, gets <c>Backplane:PublishTimeout</c>; past it the
    /// caller gets a 503 (or that stream's messages an error), never a late 202. Only a command that certainly never reached Redis (still queued in this process) is retried, so a retry
    /// cannot store a message twice.
    /// </summary>
    private static ResiliencePipeline CreateResilience(BackplaneOptions options) =>
        new ResiliencePipelineBuilder()
            .AddTimeout(options.PublishTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RedisConnectionException>(NeverSent),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(1),
            })
            .Build();

    private static bool NeverSent(RedisConnectionException exception) =>
        exception.CommandStatus is CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog;
}
