namespace Notifications.Client;

public sealed class NotificationClientOptions
{
    /// <summary>The API's address (http, https, ws or wss); the client connects to its <c>/ws</c>.</summary>
    public required Uri ServerUri { get; init; }

    /// <summary>Called before every connect, so an expired token (close 4001) is replaced by a fresh one.</summary>
    public required Func<CancellationToken, ValueTask<string>> AccessTokenProvider { get; init; }

    public ReconnectPolicy Reconnect { get; init; } = new();

    /// <summary>How long one connect (upgrade and welcome) may take before it counts as failed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Source of jitter; fixed seeds make tests repeatable.</summary>
    public Random Random { get; init; } = Random.Shared;
}
