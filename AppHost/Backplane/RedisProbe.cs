using StackExchange.Redis;

namespace AppHost.Backplane;

/// <summary>
/// Connections for the health checks of a local topology. Each check opens its own and closes it: checks run seconds
/// apart while nodes are killed and started again, and a connection kept between them would only go stale.
/// </summary>
internal static class RedisProbe
{
    private const int TimeoutMilliseconds = 3000;

    public static Task<ConnectionMultiplexer> ConnectAsync(IEnumerable<int> ports, string password) =>
        ConnectionMultiplexer.ConnectAsync(Options(ports, password));

    public static Task<ConnectionMultiplexer> ConnectToSentinelsAsync(IEnumerable<int> ports, string password) =>
        ConnectionMultiplexer.SentinelConnectAsync(Options(ports, password));

    public static IServer Server(this IConnectionMultiplexer connection, LocalRedisNode node) =>
        connection.GetServer(LocalRedis.Address, node.Port);

    /// <summary>A section of INFO as text (empty if the server sent none).</summary>
    public static async Task<string> InfoTextAsync(this IServer server, string section) => await server.InfoRawAsync(section) ?? "";

    private static ConfigurationOptions Options(IEnumerable<int> ports, string password)
    {
        var options = new ConfigurationOptions
        {
            Password = password,
            AllowAdmin = true,
            ConnectRetry = 1,
            ConnectTimeout = TimeoutMilliseconds,
            AsyncTimeout = TimeoutMilliseconds,
            // A check asks and leaves: no tie-breaker key or configuration channel to set up on the nodes.
            TieBreaker = "",
            ConfigurationChannel = "",
        };
        foreach (var port in ports)
        {
            options.EndPoints.Add(LocalRedis.Address, port);
        }

        return options;
    }
}
