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
    ResumeOutcome? LastResume,
    string Transport = Transports.WebSocket,
    string? TransportReason = null,
    IReadOnlyDictionary<string, TopicStatus>? Topics = null)
{
    public static ConnectionStatus Connecting { get; } = new(ConnectionStates.Connecting, null, null, null, null, [], null, 0, 0, [],
        new Dictionary<string, long>(), null);
}

/// <summary>One topic of a browser connection: its <see cref="TopicStates"/> state, and why it was refused.</summary>
public sealed record TopicStatus(string State, TopicError? Error, TopicResume? LastResume);

/// <summary>The <c>error</c> frame that refused a topic (or a transient one that is being retried).</summary>
public sealed record TopicError(string Code, string? Detail);

/// <summary>How a topic's resubscribe after a reconnect went.</summary>
public sealed record TopicResume(bool Recovered, int Missed, string? Reason);

public static class TopicStates
{
    public const string Pending = "pending";
    public const string Subscribing = "subscribing";
    public const string Subscribed = "subscribed";
    public const string Unsubscribing = "unsubscribing";
    public const string Refused = "refused";
}

/// <summary>The transports of notification-client.js; <see cref="Auto"/> starts with a WebSocket and falls back.</summary>
public static class Transports
{
    public const string Auto = "auto";
    public const string WebSocket = "websocket";
    public const string ServerSentEvents = "sse";
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
