using System.Text.Json;
using Notifications.Contract;

namespace Notifications.Client;

/// <summary>A message delivered to this client: its place in its stream, and the publisher's data.</summary>
public sealed record Notification(string Id, string Stream, long Seq, JsonElement Data, DateTimeOffset SentAt);

public enum ConnectionState
{
    Connecting,
    Connected,
    Reconnecting,
    /// <summary>For good: disposed, or the server refused this client in a way retrying cannot fix.</summary>
    Closed,
}

/// <summary>A change of state, with the replica the client is on and, after a close, the close code the server sent.</summary>
public sealed record ConnectionStateChange(ConnectionState State, string? Node, int? CloseCode, string? Reason);

/// <summary>
/// How a reconnect went. When <see cref="Recovered"/> is false, the server could not replay what the client missed
/// on <see cref="Streams"/> (history trimmed, or Redis lost it: a new epoch): re-sync that state another way.
/// </summary>
public sealed record ResumeResult(bool Recovered, int Missed, string? Reason, IReadOnlyList<string> Streams);

/// <summary>
/// Everything needed to resume later, even from another process: the epoch, the last seq per stream, and the topics
/// read (in the order the epoch lists them after the user's and the broadcast's).
/// </summary>
public sealed record ResumePoint(string Epoch, IReadOnlyDictionary<string, long> Positions, IReadOnlyList<string>? Topics = null);

/// <summary>The server refused a <c>subscribe</c> or <c>unsubscribe</c> (<see cref="Code"/> is one of <see cref="ErrorCodes"/>).</summary>
public sealed class TopicRequestException(string code, string? topic, string detail)
    : Exception($"The server refused the request for topic '{topic}': {code} ({detail})")
{
    public string Code { get; } = code;

    public string? Topic { get; } = topic;
}

/// <summary>Thrown from the notification stream when the server refuses this client for good.</summary>
public sealed class NotificationClientException(string message, int? statusOrCloseCode) : Exception(message)
{
    /// <summary>The HTTP status of a refused upgrade (401, 403, 400), or the close code that ended the connection.</summary>
    public int? StatusOrCloseCode { get; } = statusOrCloseCode;
}
