using System.Collections.Concurrent;

namespace Notifications.Api.Connections;

/// <summary>
/// The connections this replica holds, by user. Each user's connections are an immutable array replaced on change,
/// so delivery reads a snapshot without locking or allocating.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, UserConnections> _users = new(StringComparer.Ordinal);
    private int _connectionCount;
    private int _userCount;

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public int UserCount => Volatile.Read(ref _userCount);

    public void Add(NotificationConnection connection)
    {
        while (true)
        {
            var entry = _users.GetOrAdd(connection.UserId, static _ => new UserConnections());
            lock (entry)
            {
                // A concurrent Remove may have emptied and detached this entry after GetOrAdd returned it.
                if (entry.Detached)
                {
                    continue;
                }

                if (entry.Connections.Length == 0)
                {
                    Interlocked.Increment(ref _userCount);
                }

                entry.Connections = [.. entry.Connections, connection];
            }

            Interlocked.Increment(ref _connectionCount);
            return;
        }
    }

    public bool Remove(NotificationConnection connection)
    {
        if (!_users.TryGetValue(connection.UserId, out var entry))
        {
            return false;
        }

        lock (entry)
        {
            var index = Array.IndexOf(entry.Connections, connection);
            if (index < 0)
            {
                return false;
            }

            entry.Connections = [.. entry.Connections.AsSpan(0, index), .. entry.Connections.AsSpan(index + 1)];
            if (entry.Connections.Length == 0)
            {
                entry.Detached = true;
                _users.TryRemove(new KeyValuePair<string, UserConnections>(connection.UserId, entry));
                Interlocked.Decrement(ref _userCount);
            }
        }

        Interlocked.Decrement(ref _connectionCount);
        return true;
    }

    public NotificationConnection[] ConnectionsOf(string userId) =>
        _users.TryGetValue(userId, out var entry) ? entry.Connections : [];

    public IEnumerable<NotificationConnection> All()
    {
        foreach (var (_, entry) in _users)
        {
            foreach (var connection in entry.Connections)
            {
                yield return connection;
            }
        }
    }

    private sealed class UserConnections
    {
        public volatile NotificationConnection[] Connections = [];
        public bool Detached;
    }
}
