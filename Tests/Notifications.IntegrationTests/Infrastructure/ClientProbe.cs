using Notifications.Client;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>A <see cref="NotificationClient"/> of one user, with an application loop that records what it hands over.</summary>
public sealed class ClientProbe : IAsyncDisposable
{
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(90);

    private readonly Lock _gate = new();
    private readonly List<Notification> _received = [];
    private readonly List<ConnectionStateChange> _changes = [];
    private readonly List<ResumeResult> _resumes = [];
    private readonly SemaphoreSlim _changed = new(0);
    private readonly TaskCompletionSource _consume = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task _consuming = Task.CompletedTask;

    private ClientProbe(string userId, NotificationClient client)
    {
        (UserId, Client) = (userId, client);
        client.StateChanged += change => Record(_changes, change);
        client.Resumed += resume => Record(_resumes, resume);
    }

    public string UserId { get; }

    public NotificationClient Client { get; }

    public string Node => Client.Node!;

    public IReadOnlyList<Notification> Received => Snapshot(_received);

    public IReadOnlyList<ConnectionStateChange> Changes => Snapshot(_changes);

    public IReadOnlyList<ResumeResult> Resumes => Snapshot(_resumes);

    public static async Task<ClientProbe> StartAsync(NotificationsApi api, string userId, bool consume = true,
        int maxBuffered = 10_000, ResumePoint? resumeFrom = null, Func<Task<string>>? token = null, IReadOnlyList<string>? topics = null,
        NotificationTransport transport = NotificationTransport.WebSocket)
    {
        var client = new NotificationClient(new NotificationClientOptions
        {
            ServerUri = api.BaseAddress,
            Transport = transport,
            AccessTokenProvider = async _ => token is null ? await api.TokenAsync(userId) : await token(),
            Topics = topics ?? [],
            MaxBufferedNotifications = maxBuffered,
            ResumeFrom = resumeFrom,
            Random = new Random(userId.GetHashCode(StringComparison.Ordinal)),
        });
        var probe = new ClientProbe(userId, client);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.StartAsync(timeout.Token);
        probe._consuming = probe.ConsumeAsync();
        if (consume)
        {
            probe.StartConsuming();
        }

        return probe;
    }

    /// <summary>Lets the application loop read (a probe started with consume: false reads nothing until then).</summary>
    public void StartConsuming() => _consume.TrySetResult();

    /// <summary>Waits, without polling, until what the probe saw satisfies <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(string what, Func<ClientProbe, bool> condition)
    {
        using var timeout = new CancellationTokenSource(DeliveryTimeout);
        while (!condition(this))
        {
            try
            {
                await _changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{UserId}: {what} did not happen within {DeliveryTimeout}; received {Received.Count}, " +
                    $"states {string.Join(", ", Changes.Select(c => $"{c.State}/{c.CloseCode}"))}.");
            }
        }
    }

    public IReadOnlyList<Notification> OfOwnStream() => OfStream($"user:{UserId}");

    public IReadOnlyList<Notification> OfStream(string stream) => [.. Received.Where(n => n.Stream == stream)];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _consume.TrySetResult();
        await Client.DisposeAsync();
        await _consuming.ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private async Task ConsumeAsync()
    {
        await _consume.Task;
        await foreach (var notification in Client.ReadAllAsync(_stopping.Token))
        {
            Record(_received, notification);
        }
    }

    private void Record<T>(List<T> list, T item)
    {
        lock (_gate)
        {
            list.Add(item);
        }

        _changed.Release();
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }
}
