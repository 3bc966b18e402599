using System.Globalization;
using System.Reflection;
using Notifications.Contract;
using Notifications.Processes;
using StackExchange.Redis;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>
/// The API's Redis work per per-user publish without the API around it, so that the load tool alone can drive Redis to
/// its limit on a small machine: the API's own publish script (read from its build), its hash-tagged keys and classic
/// or sharded channels, WAIT and then PUBLISH when replicas must acknowledge; one client per simulated API replica,
/// each subscribed to the channels of its users, as the replicas would be.
/// </summary>
internal sealed class DirectBackplane : IAsyncDisposable
{
    private const string Prefix = "aspirenotify:";
    private static readonly Lazy<string> PublishScript = new(ReadPublishScript);
    private readonly ConnectionMultiplexer[] _clients;
    private readonly bool _sharded;
    private readonly int _wait;
    private readonly string _epoch = Guid.NewGuid().ToString("N")[..16];
    private long _received;

    private DirectBackplane(ConnectionMultiplexer[] clients, bool sharded, int wait) => (_clients, _sharded, _wait) = (clients, sharded, wait);

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Connects <paramref name="replicas"/> clients; user i's channel is subscribed by client i mod n.</summary>
    public static async Task<DirectBackplane> ConnectAsync(IRedisDeployment redis, int replicas, int users, bool sharded, int wait)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, replicas).Select(_ => ConnectionMultiplexer.ConnectAsync(redis.ConnectionString)));
        var backplane = new DirectBackplane(clients, sharded, wait);
        await Task.WhenAll(Enumerable.Range(0, users).Select(user => clients[user % replicas].GetSubscriber()
            .SubscribeAsync(backplane.Channel(user), (_, _) => Interlocked.Increment(ref backplane._received))));
        return backplane;
    }

    /// <summary>What the API does for <c>POST …/users/{id}</c> once the request is checked; false if Redis refused it.</summary>
    public async Task<bool> PublishAsync(int user, long number)
    {
        var client = _clients[number % _clients.Length];
        var stream = "{" + Streams.ForUser($"bp-{user}") + "}";
        RedisKey[] keys = [Prefix + stream + ":epoch", Prefix + stream + ":seq", Prefix + stream + ":history"];
        var id = Guid.CreateVersion7().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var tail = string.Create(CultureInfo.InvariantCulture,
            $"\"sentAt\":{now},\"id\":\"{id}\",\"stream\":\"{Streams.ForUser($"bp-{user}")}\",\"data\":{{\"n\":{number}}}}}");
        var channel = Channel(user);
        var command = _wait > 0 ? "" : _sharded ? "SPUBLISH" : "PUBLISH";
        var stored = (RedisResult[])(await client.GetDatabase().ScriptEvaluateAsync(PublishScript.Value, keys,
            [_epoch, tail, 1000, 86_400_000, now, channel.ToString(), id, 600_000, command]))!;
        if (_wait == 0)
        {
            return true;
        }

        var acknowledged = (long)await client.GetServer(keys[1]).ExecuteAsync("WAIT", _wait, 1000);
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

    private RedisChannel Channel(int user) => _sharded
        ? RedisChannel.Sharded(Prefix + "{" + Streams.ForUser($"bp-{user}") + "}")
        : RedisChannel.Literal(Prefix + Streams.ForUser($"bp-{user}"));

    /// <summary>The script as the API's Release build has it, so a change there is measured here without a copy to keep in step.</summary>
    private static string ReadPublishScript()
    {
        var path = Path.Combine(Repository.Root, "Notifications.Api", "bin", "Release", "net10.0", "Notifications.Api.dll");
        var scripts = Assembly.LoadFrom(path).GetType("Notifications.Api.Backplane.HistoryScripts")
            ?? throw new InvalidOperationException($"{path} has no Notifications.Api.Backplane.HistoryScripts: the direct ramp needs updating.");
        return (string)(scripts.GetField("Publish", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetRawConstantValue()
            ?? throw new InvalidOperationException("HistoryScripts.Publish is gone: the direct ramp needs updating."));
    }
}
