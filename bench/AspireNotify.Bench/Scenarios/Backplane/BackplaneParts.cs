using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>
/// The scenario's parts (one backplane with N replicas, one ramp) run one after the other for half an hour; one that
/// fails — a redis-server that died, a cluster that did not form — is recorded with what the Redis servers say about
/// themselves, and the run goes on, so that one bad part does not lose the others' figures.
/// </summary>
internal sealed class BackplaneParts
{
    public List<string> Failures { get; } = [];

    public async Task<T?> RunAsync<T>(string part, Func<Task<T>> body) where T : class
    {
        try
        {
            return await body();
        }
        catch (Exception exception) when (exception is InvalidOperationException or StackExchange.Redis.RedisException or HttpRequestException
                                              or TimeoutException or System.Net.WebSockets.WebSocketException)
        {
            Failures.Add($"{part}: {exception.Message}");
            Console.Error.WriteLine($"FAILED {part}: {exception}");
            return null;
        }
    }

    /// <summary>The same failure, with each server of <paramref name="redis"/>: running, or how it ended and its last log lines.</summary>
    public static InvalidOperationException Explain(Exception exception, IRedisDeployment redis) =>
        new($"{exception.Message}{Environment.NewLine}{string.Join(Environment.NewLine, redis.Servers.Select(server => server.Describe()))}", exception);
}
