using System.Collections.Concurrent;

namespace Notifications.Api.Connections;

/// <summary>
/// The connections this replica holds, by user and by topic stream. Each user's and each topic's connections are an
/// immutable array replaced on change, so delivery reads a snapshot without locking or allocating.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, Members> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Members> _topics = new(StringComparer.Ordinal);
    private int _connectionCount;
    private int _userCount;

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public int UserCount => Volatile.Read(ref _userCount);

    /// <summary>Topic streams with at least one subscribed connection on this replica.</summary>
    public int TopicCount => _topics.Count;

    public void Add(NotificationConnection connection)
    {
        if (AddTo(_users, connection.UserId, connection))
        {
            Interlocked.Increment(ref _userCount);
        }

        Interlocked.Increment(ref _connectionCount);
    }

    public bool Remove(NotificationConnection connection)
    {
        if (!RemoveFrom(_users, connection.UserId, connection, out var emptied))
        {
            return false;
        }

        if (emptied)
        {
            Interlocked.Decrement(ref _userCount);
        }

        Interlocked.Decrement(ref _connectionCount);
        return true;
    }

    /// <summary>Lists the connection among the subscribers of a topic stream (<c>topic:{name}</c>).</summary>
    public void Subscribe(string topicStream, NotificationConnection connection) => AddTo(_topics, topicStream, connection);

    public bool Unsubscribe(string topicStream, NotificationConnection connection) => RemoveFrom(_topics, topicStream, connection, out _);

    public NotificationConnection[] ConnectionsOf(string userId) =>
        _users.TryGetValue(userId, out var entry) ? entry.Connections : [];

    public NotificationConnection[] SubscribersOf(string topicStream) =>
        _topics.TryGetValue(topicStream, out var entry) ? entry.Connections : [];

    /// <summary>Each topic stream with its subscribed connections, a snapshot per topic.</summary>
    public IEnumerable<KeyValuePair<string, NotificationConnection[]>> Topics()
    {
        foreach (var (stream, entry) in _topics)
        {
            yield return new(stream, entry.Connections);
        }
    }

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

    /// <summary>True when the connection is the key's first.</summary>
    private static bool AddTo(ConcurrentDictionary<string, Members> index, string key, NotificationConnection connection)
    {
        while (true)
        {
            var entry = index.GetOrAdd(key, static _ => new Members());
            lock (entry)
            {
                // A concurrent Remove may have emptied and detached this entry after GetOrAdd returned it.
                if (entry.Detached)
                {
                    continue;
                }

                var first = entry.Connections.Length == 0;
                entry.Connections = [.. entry.Connections, connection];
                return first;
            }
        }
    }

    private static bool RemoveFrom(ConcurrentDictionary<string, Members> index, string key, NotificationConnection connection, out bool emptied)
    {
        emptied = false;
        if (!index.TryGetValue(key, out var entry))
        {
            return false;
        }

        lock (entry)
        {
            var position = Array.IndexOf(entry.Connections, connection);
            if (position < 0)
            {
                return false;
            }

            entry.Connections = [.. entry.Connections.AsSpan(0, position), .. entry.Connections.AsSpan(position + 1)];
            if (entry.Connections.Length == 0)
            {
                entry.Detached = true;
                index.TryRemove(new KeyValuePair<string, Members>(key, entry));
                emptied = true;
            }
        }

        return true;
    }

    private sealed class Members
    {
        public volatile NotificationConnection[] Connections = [];
        public bool Detached;
    }
}
