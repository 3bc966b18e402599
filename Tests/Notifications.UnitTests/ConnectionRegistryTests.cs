using System.Net.WebSockets;
using Notifications.Api.Connections;

namespace Notifications.UnitTests;

public class ConnectionRegistryTests
{
    private static NotificationConnection NewConnection(string userId) =>
        new(Guid.NewGuid().ToString("N"), userId, DateTimeOffset.MaxValue,
            new WebSocketTransport(WebSocket.CreateFromStream(Stream.Null, new WebSocketCreationOptions { IsServer = true })), queueCapacity: 4, closeTimeout: TimeSpan.FromSeconds(1), TestMetrics.Create().Metrics);

    [Fact]
    public void Tracks_several_connections_per_user_and_forgets_a_user_with_the_last_one()
    {
        var registry = new ConnectionRegistry();
        var first = NewConnection("alice");
        var second = NewConnection("alice");
        var other = NewConnection("bob");

        registry.Add(first);
        registry.Add(second);
        registry.Add(other);

        Assert.Equal(3, registry.ConnectionCount);
        Assert.Equal(2, registry.UserCount);
        Assert.Equal([first, second], registry.ConnectionsOf("alice"));

        Assert.True(registry.Remove(first));
        Assert.False(registry.Remove(first));
        Assert.Equal([second], registry.ConnectionsOf("alice"));
        Assert.Equal(2, registry.UserCount);

        Assert.True(registry.Remove(second));
        Assert.Empty(registry.ConnectionsOf("alice"));
        Assert.Equal(1, registry.UserCount);
        Assert.Equal([other], registry.All());
    }

    [Fact]
    public async Task Concurrent_adds_and_removes_leave_exact_counts_and_no_leftovers()
    {
        var registry = new ConnectionRegistry();
        const int workers = 8;
        const int rounds = 2_000;
        var users = Enumerable.Range(0, 5).Select(i => $"user-{i}").ToArray();
        var survivors = new NotificationConnection[workers];

        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(() =>
        {
            for (var round = 0; round < rounds; round++)
            {
                // Every worker churns the same few users, so adds race removes of the last connection of a user.
                var connection = NewConnection(users[(worker + round) % users.Length]);
                registry.Add(connection);
                Assert.Contains(connection, registry.ConnectionsOf(connection.UserId));
                Assert.True(registry.Remove(connection));
            }

            survivors[worker] = NewConnection(users[worker % users.Length]);
            registry.Add(survivors[worker]);
        })));

        Assert.Equal(workers, registry.ConnectionCount);
        Assert.Equal(users.Length, registry.UserCount);
        Assert.Equal(survivors.OrderBy(c => c.Id), registry.All().OrderBy(c => c.Id));

        foreach (var survivor in survivors)
        {
            Assert.True(registry.Remove(survivor));
        }

        Assert.Equal(0, registry.ConnectionCount);
        Assert.Equal(0, registry.UserCount);
        Assert.Empty(registry.All());
    }
}
