using System.Text.Json;

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

/// <summary>Everything needed to resume later, even from another process: the epoch and the last seq per stream.</summary>
public sealed record ResumePoint(string Epoch, IReadOnlyDictionary<string, long> Positions);

/// <summary>Thrown from the notification stream when the server refuses this client for good.</summary>
public sealed class NotificationClientException(string message, int? statusOrCloseCode) : Exception(message)
{
    /// <summary>The HTTP status of a refused upgrade (401, 403, 400), or the close code that ended the connection.</summary>
    public int? StatusOrCloseCode { get; } = statusOrCloseCode;
}
