using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Reflection;
using Notifications.Contract;
using Notifications.Processes;
using StackExchange.Redis;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>
/// The API's Redis work per publish without the API around it, so that the load tool alone can drive Redis to its limit
/// on a small machine: the API's own publish script (read from its build), its hash-tagged keys and classic or sharded
/// channels, WAIT (shared by concurrent publishes as the API's <c>ReplicaWaitBatch</c> shares it, that class read from
/// the same build) and then PUBLISH when replicas must acknowledge; one client per simulated API replica, subscribed as
/// the replicas would be: to the channels of its users, or all of them to the broadcast channel.
/// </summary>
internal sealed class DirectBackplane : IAsyncDisposable
{
    private const string Prefix = "aspirenotify:";
    private static readonly Lazy<Assembly> Api = new(LoadApi);
    private static readonly Lazy<string> PublishScript = new(ReadPublishScript);
    private readonly ConcurrentDictionary<(ConnectionMultiplexer, EndPoint), Func<Task<long>>> _waits = new();
    private readonly ConnectionMultiplexer[] _clients;
    private readonly string[] _streams;
    private readonly bool _sharded;
    private readonly int _wait;
    private readonly string _epoch = Guid.NewGuid().ToString("N")[..16];
    private long _received;

    private DirectBackplane(ConnectionMultiplexer[] clients, string[] streams, bool sharded, int wait) =>
        (_clients, _streams, _sharded, _wait) = (clients, streams, sharded, wait);

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Deliveries each accepted publish must make: one per user stream, one per client for the broadcast.</summary>
    public int SubscribersPerStream => _streams.Length == 1 ? _clients.Length : 1;

    /// <summary>
    /// Connects <paramref name="replicas"/> clients. With <paramref name="users"/> above 0, user i's stream is subscribed
    /// by client i mod n; with 0, every client subscribes to the broadcast stream, the only one published to.
    /// </summary>
    public static async Task<DirectBackplane> ConnectAsync(IRedisDeployment redis, int replicas, int users, bool sharded, int wait)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, replicas).Select(_ => ConnectionMultiplexer.ConnectAsync(redis.ConnectionString)));
        string[] streams = users > 0 ? [.. Enumerable.Range(0, users).Select(user => Streams.ForUser($"bp-{user}"))] : [Streams.Broadcast];
        var backplane = new DirectBackplane(clients, streams, sharded, wait);
        var subscriptions = users > 0
            ? streams.Select((stream, user) => (Client: clients[user % replicas], Stream: stream))
            : clients.Select(client => (Client: client, Stream: Streams.Broadcast));
        await Task.WhenAll(subscriptions.Select(subscription => subscription.Client.GetSubscriber()
            .SubscribeAsync(backplane.Channel(subscription.Stream), (_, _) => Interlocked.Increment(ref backplane._received))));
        return backplane;
    }

    /// <summary>What the API does for a publish to a random one of the streams once the request is checked; false if Redis refused it.</summary>
    public async Task<bool> PublishAsync(Random random, long number)
    {
        var client = _clients[number % _clients.Length];
        var stream = _streams[random.Next(_streams.Length)];
        RedisKey[] keys = [Prefix + "{" + stream + "}:epoch", Prefix + "{" + stream + "}:seq", Prefix + "{" + stream + "}:history"];
        var id = Guid.CreateVersion7().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var tail = string.Create(CultureInfo.InvariantCulture, $"\"sentAt\":{now},\"id\":\"{id}\",\"stream\":\"{stream}\",\"data\":{{\"n\":{number}}}}}");
        var channel = Channel(stream);
        var command = _wait > 0 ? "" : _sharded ? "SPUBLISH" : "PUBLISH";
        var stored = (RedisResult[])(await client.GetDatabase().ScriptEvaluateAsync(PublishScript.Value, keys,
            [_epoch, tail, 1000, 86_400_000, now, channel.ToString(), id, 600_000, command]))!;
        if (_wait == 0)
        {
            return true;
        }

        var acknowledged = await WaitAsync(client, client.GetServer(keys[1]));
        if (acknowledged < _wait)
        {
            return false;
        }

        await client.GetDatabase().PublishAsync(channel, (RedisValue)stored[3]);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>As the API names them: a sharded channel carries the stream's hash tag, a classic one is the stream's name.</summary>
    private RedisChannel Channel(string stream) => _sharded
        ? RedisChannel.Sharded(Prefix + "{" + stream + "}")
        : RedisChannel.Literal(Prefix + stream);

    private Task<long> WaitAsync(ConnectionMultiplexer client, IServer server) =>
        _waits.GetOrAdd((client, server.EndPoint), _ => NewWaitBatch(async () => (long)await server.ExecuteAsync("WAIT", _wait, 1000)))();

    /// <summary>The API's WAIT coalescing for one server, as its Release build has it.</summary>
    private static Func<Task<long>> NewWaitBatch(Func<Task<long>> wait)
    {
        var type = Api.Value.GetType("Notifications.Api.Backplane.ReplicaWaitBatch")
            ?? throw new InvalidOperationException("Notifications.Api.Backplane.ReplicaWaitBatch is gone: the direct ramp needs updating.");
        var batch = Activator.CreateInstance(type, wait)!;
        return type.GetMethod("WaitAsync")!.CreateDelegate<Func<Task<long>>>(batch);
    }

    private static Assembly LoadApi() =>
        Assembly.LoadFrom(Path.Combine(Repository.Root, "Notifications.Api", "bin", "Release", "net10.0", "Notifications.Api.dll"));

    /// <summary>The script as the API's Release build has it, so a change there is measured here without a copy to keep in step.</summary>
    private static string ReadPublishScript()
    {
        var scripts = Api.Value.GetType("Notifications.Api.Backplane.HistoryScripts")
            ?? throw new InvalidOperationException("The API's build has no Notifications.Api.Backplane.HistoryScripts: the direct ramp needs updating.");
        return (string)(scripts.GetField("Publish", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetRawConstantValue()
            ?? throw new InvalidOperationException("HistoryScripts.Publish is gone: the direct ramp needs updating."));
    }
}
