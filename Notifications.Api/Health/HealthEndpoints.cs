using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;
using StackExchange.Redis;

namespace Notifications.Api.Health;

public sealed record ConnectionCounts(int Total, int Users);

/// <summary>The process's memory: its working set now, and the managed heap as the last garbage collection left it.</summary>
public sealed record MemoryUse(long WorkingSetBytes, long GcHeapBytes);

/// <summary>
/// <see cref="Healthy"/>: this replica takes new connections and can serve them: not draining, subscribed to the
/// broadcast channel, connected to Redis.
/// </summary>
public sealed record WebSocketHealth(bool Healthy, string Node, ConnectionCounts Connections, MemoryUse Memory, DateTimeOffset Timestamp);

public sealed record RedisHealth(bool Healthy, string Redis, string Node, double? LatencyMs, string? Error, DateTimeOffset Timestamp);

public static class HealthEndpoints
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapNotificationsHealth(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/websocket", GetWebSocketHealth)
            .WithName("GetWebSocketHealth")
            .WithSummary("Whether this replica takes connections, and the connections, users and memory it holds.");
        group.MapGet("/redis", GetRedisHealthAsync)
            .WithName("GetRedisHealth")
            .WithSummary("Whether this replica reaches the Redis backplane (200) or not (503).");
        return endpoints;
    }

    internal static Ok<WebSocketHealth> GetWebSocketHealth(ConnectionRegistry registry, ConnectionDrainer drainer, RedisBackplane backplane,
        IConnectionMultiplexer redis, NodeIdentity node, TimeProvider time) =>
        TypedResults.Ok(new WebSocketHealth(!drainer.IsDraining && backplane.IsBroadcastSubscribed && redis.IsConnected, node.Name,
            new ConnectionCounts(registry.ConnectionCount, registry.UserCount),
            new MemoryUse(Environment.WorkingSet, GC.GetGCMemoryInfo().HeapSizeBytes), time.GetUtcNow()));

    internal static async Task<JsonHttpResult<RedisHealth>> GetRedisHealthAsync(IConnectionMultiplexer redis, NodeIdentity node, TimeProvider time)
    {
        string? error;
        try
        {
            if (redis.IsConnected)
            {
                var started = Stopwatch.GetTimestamp();
                await redis.GetDatabase().PingAsync().WaitAsync(PingTimeout);
                var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return TypedResults.Json(new RedisHealth(true, "connected", node.Name, latency, null, time.GetUtcNow()));
            }

            error = "no connection to Redis is open";
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            error = exception.Message;
        }

        return TypedResults.Json(new RedisHealth(false, "disconnected", node.Name, null, error, time.GetUtcNow()),
            statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
