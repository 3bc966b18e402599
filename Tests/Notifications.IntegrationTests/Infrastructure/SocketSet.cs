namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>The sockets a test opened, closed together at the end of the test.</summary>
public sealed class SocketSet : IAsyncDisposable
{
    private const int MaxAttempts = AppHostFixture.MaxConnectAttempts;
    private readonly List<NotificationSocket> _sockets = [];

    public async Task<NotificationSocket> ConnectAsync(NotificationsApi api, string token)
    {
        var socket = await NotificationSocket.ConnectAsync(api.BaseAddress, token);
        _sockets.Add(socket);
        return socket;
    }

    /// <summary>
    /// Opens connections for one token until <paramref name="done"/> holds for the ones kept; a connection that
    /// <paramref name="keep"/> refuses is closed again at once.
    /// </summary>
    public async Task<List<NotificationSocket>> ConnectUntilAsync(
        NotificationsApi api, string token, Func<List<NotificationSocket>, bool> done, Func<NotificationSocket, bool>? keep = null)
    {
        var kept = new List<NotificationSocket>();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var socket = await NotificationSocket.ConnectAsync(api.BaseAddress, token);
            if (keep is not null && !keep(socket))
            {
                await socket.DisposeAsync();
                continue;
            }

            _sockets.Add(socket);
            kept.Add(socket);
            if (done(kept))
            {
                return kept;
            }
        }

        throw new InvalidOperationException($"The proxy did not spread {MaxAttempts} connections as the test needs.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }
    }
}
