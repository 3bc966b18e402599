namespace Notifications.Web.Feed;

/// <summary>One browser connection as the page shows it.</summary>
public sealed class FeedConnection(int number)
{
    public int Number { get; } = number;

    public ConnectionStatus Status { get; internal set; } = ConnectionStatus.Connecting;
}

/// <summary>One notification, however many of the page's connections received it.</summary>
public sealed class FeedEntry(ReceivedNotification first)
{
    private readonly SortedSet<int> _receivedBy = [];

    public string Id { get; } = first.Id;
    public string Stream { get; } = first.Stream;
    public long Seq { get; } = first.Seq;
    public DateTimeOffset SentAt { get; } = first.SentAt;
    public string Data { get; } = first.Data;

    /// <summary>From publish accepted to the first arrival in this browser (replayed ones waited for a reconnect).</summary>
    public TimeSpan Latency { get; } = DateTimeOffset.FromUnixTimeMilliseconds(first.ReceivedAt) - first.SentAt;

    public bool Replayed { get; } = first.Replayed;

    public IReadOnlyCollection<int> ReceivedBy => _receivedBy;

    internal void ReceivedOn(int connection) => _receivedBy.Add(connection);
}

/// <summary>
/// What the Live page shows: its connections and the notifications they received, newest first. The browser
/// de-duplicates per connection (by stream and seq); here the copies that several connections of the same user
/// received are merged by message id into one row that lists the connections.
/// </summary>
public sealed class LiveFeed
{
    public const int MaxEntries = 500;

    private readonly List<FeedConnection> _connections = [];
    private readonly List<FeedEntry> _entries = [];
    private readonly Dictionary<string, FeedEntry> _byId = new(StringComparer.Ordinal);
    private int _lastNumber;

    public IReadOnlyList<FeedConnection> Connections => _connections;

    public IReadOnlyList<FeedEntry> Entries => _entries;

    /// <summary>Adds a connection in state connecting and returns its number (1, 2, …; never reused).</summary>
    public int Add()
    {
        _connections.Add(new FeedConnection(++_lastNumber));
        return _lastNumber;
    }

    public void Remove(int number) => _connections.RemoveAll(connection => connection.Number == number);

    public void Update(int number, ConnectionStatus status)
    {
        if (Find(number) is { } connection)
        {
            connection.Status = status;
        }
    }

    public void Receive(int number, IEnumerable<ReceivedNotification> notifications)
    {
        foreach (var notification in notifications)
        {
            if (!_byId.TryGetValue(notification.Id, out var entry))
            {
                entry = new FeedEntry(notification);
                _byId.Add(entry.Id, entry);
                _entries.Insert(0, entry);
            }

            entry.ReceivedOn(number);
        }

        while (_entries.Count > MaxEntries)
        {
            _byId.Remove(_entries[^1].Id);
            _entries.RemoveAt(_entries.Count - 1);
        }
    }

    private FeedConnection? Find(int number) => _connections.Find(connection => connection.Number == number);
}
