namespace Notifications.Web.Feed;

/// <summary>A browser connection's status, as notification-client.js reports it.</summary>
public sealed record ConnectionStatus(
    string State,
    string? Node,
    string? Epoch,
    int? CloseCode,
    string? CloseReason,
    IReadOnlyList<int> CloseCodes,
    double? RttMs,
    int Reconnects,
    int Attempt,
    IReadOnlyList<string> Nodes,
    IReadOnlyDictionary<string, long> Positions,
    ResumeOutcome? LastResume)
{
    public static ConnectionStatus Connecting { get; } = new(ConnectionStates.Connecting, null, null, null, null, [], null, 0, 0, [],
        new Dictionary<string, long>(), null);
}

/// <summary>The <c>resumed</c> frame of the last resume.</summary>
public sealed record ResumeOutcome(bool Recovered, int Missed, string? Reason, IReadOnlyList<string> Streams);

/// <summary>
/// A notification as one browser connection received it; <see cref="Data"/> is the payload as JSON text,
/// <see cref="ReceivedAt"/> the browser's clock in Unix milliseconds.
/// </summary>
public sealed record ReceivedNotification(string Id, string Stream, long Seq, DateTimeOffset SentAt, string Data, long ReceivedAt, bool Replayed);

public static class ConnectionStates
{
    public const string Connecting = "connecting";
    public const string Open = "open";
    public const string Reconnecting = "reconnecting";
    public const string Closed = "closed";
}
