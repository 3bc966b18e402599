namespace Notifications.Processes;

/// <summary>
/// Redis as the API replicas see it: one connection string, whatever runs behind it — one server, a primary with
/// replicas, or a Redis Cluster — and the server processes whose CPU is the backplane's.
/// </summary>
public interface IRedisDeployment : IAsyncDisposable
{
    /// <summary>What <c>ConnectionStrings__redis</c> of an API replica is set to.</summary>
    string ConnectionString { get; }

    /// <summary>Every <c>redis-server</c> of the deployment while it runs.</summary>
    IReadOnlyList<int> ProcessIds { get; }

    /// <summary>The servers themselves, for a look at one (<see cref="RedisServerProcess.Describe"/>) when something went wrong.</summary>
    IReadOnlyList<RedisServerProcess> Servers { get; }

    /// <summary>Starts the servers and returns once clients can use them as a whole.</summary>
    Task StartAsync();

    /// <summary>For exit handlers, which cannot wait.</summary>
    void Kill();
}
