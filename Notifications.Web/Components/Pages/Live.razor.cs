using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using Notifications.Web.Account;
using Notifications.Web.Api;
using Notifications.Web.Feed;

namespace Notifications.Web.Components.Pages;

/// <summary>
/// Opens browser connections through <c>js/live-feed.js</c> and renders what they report. The sockets live in the
/// browser; this component, on the server, only receives their status and notifications through JS interop.
/// </summary>
public sealed partial class Live
{
    public const string ModulePath = "./js/live-feed.js";

    private readonly LiveFeed _feed = new();
    private readonly Dictionary<int, IJSObjectReference> _clients = [];
    private readonly List<string> _topics = [];
    private readonly Dictionary<string, ApiResult<TopicPresence>> _presence = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private string _transport = Transports.Auto;
    private IJSObjectReference? _module;
    private DotNetObjectReference<Live>? _self;
    private string? _userId;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private AccessTokenSource Tokens { get; set; } = default!;

    [Inject]
    private IOptions<LiveFeedOptions> Options { get; set; } = default!;

    [Inject]
    private NotificationsApiClient Api { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> Authentication { get; set; } = default!;

    protected override async Task OnInitializedAsync() => _userId = WebUser.UserId((await Authentication).User);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            _module = await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
            await OpenConnectionAsync();
            StateHasChanged();
            _ = RefreshPresencePeriodicallyAsync(_disposed.Token);
        }
    }

    /// <summary>Asked by the browser before every connection attempt.</summary>
    [JSInvokable]
    public Task<string> GetAccessTokenAsync() => Tokens.GetAsync(CancellationToken.None);

    [JSInvokable]
    public void OnConnectionChanged(int number, ConnectionStatus status)
    {
        _feed.Update(number, status);
        StateHasChanged();
    }

    [JSInvokable]
    public void OnNotifications(int number, ReceivedNotification[] notifications, ConnectionStatus status)
    {
        _feed.Receive(number, notifications);
        _feed.Update(number, status);
        StateHasChanged();
    }

    private async Task OpenConnectionAsync()
    {
        var number = _feed.Add();
        _clients[number] = await _module!.InvokeAsync<IJSObjectReference>("open", _self, number, new
        {
            apiUrl = Options.Value.ApiUrl!.ToString(),
            pingIntervalMs = Options.Value.PingInterval.TotalMilliseconds,
            transport = _transport,
            topics = _topics.ToArray(),
        });
    }

    /// <summary>Subscribes every open connection of the page (and the ones opened later) to <paramref name="topic"/>.</summary>
    private async Task<string?> SubscribeAsync(string topic)
    {
        if (!TopicNames.IsValid(topic))
        {
            return TopicNames.Rule;
        }

        if (_topics.Contains(topic, StringComparer.Ordinal))
        {
            return $"This page is subscribed to {topic} already.";
        }

        _topics.Add(topic);
        foreach (var client in _clients.Values)
        {
            await _module!.InvokeVoidAsync("subscribe", client, topic);
        }

        await RefreshPresenceAsync(topic);
        return null;
    }

    private async Task UnsubscribeAsync(string topic)
    {
        _topics.Remove(topic);
        _presence.Remove(topic);
        foreach (var client in _clients.Values)
        {
            await _module!.InvokeVoidAsync("unsubscribe", client, topic);
        }
    }

    private async Task RefreshPresencePeriodicallyAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Options.Value.PresenceInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                await InvokeAsync(async () =>
                {
                    foreach (var topic in _topics.ToArray())
                    {
                        await RefreshPresenceAsync(topic);
                    }

                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RefreshPresenceAsync(string topic)
    {
        try
        {
            var presence = await Api.GetTopicPresenceAsync(await Tokens.GetAsync(_disposed.Token), topic, _disposed.Token);
            if (_topics.Contains(topic, StringComparer.Ordinal))
            {
                _presence[topic] = presence;
            }
        }
        catch (InvalidOperationException exception)
        {
            // No usable token (the session ended, or a fresh one was refused).
            _presence[topic] = ApiResult.Failure<TopicPresence>(exception.Message);
        }
    }

    private async Task CloseConnectionAsync(int number)
    {
        if (_clients.Remove(number, out var client))
        {
            await client.InvokeVoidAsync("stop");
            await client.DisposeAsync();
        }
    }

    private void RemoveConnection(int number) => _feed.Remove(number);

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _disposed.Dispose();
        try
        {
            foreach (var number in _clients.Keys.ToArray())
            {
                await CloseConnectionAsync(number);
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone, and its sockets with it.
        }

        _self?.Dispose();
    }
}
