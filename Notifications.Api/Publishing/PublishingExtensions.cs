using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Polly;
using Polly.Retry;
using StackExchange.Redis;

namespace Notifications.Api.Publishing;

public static class PublishingExtensions
{
    public static IHostApplicationBuilder AddPublishing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => CreateResilience(services.GetRequiredService<IOptions<BackplaneOptions>>().Value));
        builder.Services.AddSingleton<NotificationPublisher>();
        return builder;
    }

    /// <summary>
    /// Retries a publish only when Redis certainly did not receive it (the command never left this process), within
    /// the publish timeout; anything else surfaces as a 503 for the caller to retry.
    /// </summary>
    private static ResiliencePipeline<Published> CreateResilience(BackplaneOptions options) =>
        new ResiliencePipelineBuilder<Published>()
            .AddTimeout(options.PublishTimeout)
            .AddRetry(new RetryStrategyOptions<Published>
            {
                ShouldHandle = new PredicateBuilder<Published>().Handle<RedisConnectionException>(NeverSent),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
            })
            .Build();

    private static bool NeverSent(RedisConnectionException exception) =>
        exception.CommandStatus is CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog;
}
