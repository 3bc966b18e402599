namespace Notifications.Client;

public sealed class NotificationClientOptions
{
    /// <summary>The API's address (http, https, ws or wss); the client connects to its <c>/ws</c>, or <c>/sse</c>.</summary>
    public required Uri ServerUri { get; init; }

    /// <summary>A WebSocket (the default), or Server-Sent Events where WebSockets do not get through.</summary>
    public NotificationTransport Transport { get; init; } = NotificationTransport.WebSocket;

    /// <summary>Called before every connect, so an expired token (close 4001) is replaced by a fresh one.</summary>
    public required Func<CancellationToken, ValueTask<string>> AccessTokenProvider { get; init; }

    public ReconnectPolicy Reconnect { get; init; } = new();

    /// <summary>How long one connect may take, from the upgrade request to the welcome, before it counts as failed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Notifications held for the application before the client stops reading the socket. An application that falls
    /// this far behind makes the server close the connection as a slow consumer (4000); once it reads again, the client
    /// reconnects and resumes, so nothing is lost and memory stays bounded.
    /// </summary>
    public int MaxBufferedNotifications { get; init; } = 10_000;

    /// <summary>Topics to read from the first connect (<c>?topics=</c>); more with <see cref="NotificationClient.SubscribeAsync"/> (WebSocket only).</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>Where to resume from when the application restarts: a <see cref="NotificationClient.ResumePoint"/> it saved.</summary>
    public ResumePoint? ResumeFrom { get; init; }

    /// <summary>Source of jitter; fixed seeds make tests repeatable.</summary>
    public Random Random { get; init; } = Random.Shared;
}
