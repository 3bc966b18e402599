using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

public static class BackplaneExtensions
{
    /// <summary>The Aspire connection name of the backplane: Redis, Garnet or any Redis-compatible server.</summary>
    public const string ConnectionName = "redis";

    public static IHostApplicationBuilder AddNotificationsBackplane(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackplaneOptions>()
            .BindConfiguration(BackplaneOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // No Redis command profiling: its recorder chains every command issued outside a span into one list that any
        // single command still referenced (a slot of the client's write backlog) keeps alive, connections long closed
        // included, and each command becomes a root trace of its own. The commands worth a span get one explicitly,
        // and only as a child of a trace that is already running (RedisSpans).
        builder.AddRedisClient(ConnectionName, configureSettings: redis => redis.DisableTracing = true, configureOptions: redis =>
        {
            // Start even when Redis is down; the client reconnects and resubscribes by itself once it is back.
            redis.AbortOnConnectFail = false;
            redis.ClientName = builder.Environment.ApplicationName;
            // Only what docs/operations.md lists, so an ACL user limited to the deployment's keys and channels suffices:
            // no tie-breaker key or configuration channel (for multi-primary setups the backplane does not use) and no
            // CONFIG, which the client only reads to guess settings it does not need.
            redis.TieBreaker = "";
            redis.ConfigurationChannel = "";
            redis.CommandMap = CommandMap.Create(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "CONFIG" }, available: false);
            if (builder.Configuration[$"{BackplaneOptions.SectionName}:{nameof(BackplaneOptions.TrustedCertificateAuthority)}"] is { Length: > 0 } authority)
            {
                redis.CertificateValidation += RedisTls.TrustOnly(authority);
            }
        });

        builder.Services.AddOptions<HistoryOptions>()
            .BindConfiguration(HistoryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var backplane = services.GetRequiredService<IOptions<BackplaneOptions>>().Value;
            return new BackplaneKeys(backplane.ChannelPrefix, sharded: backplane.Topology == BackplaneTopology.Cluster);
        });
        builder.Services.AddSingleton<ReplicaAcknowledgement>();
        builder.Services.AddSingleton<NotificationHistory>();
        builder.Services.AddSingleton<RedisBackplane>();
        builder.Services.AddHostedService<BroadcastSubscriptionService>();
        return builder;
    }
}
