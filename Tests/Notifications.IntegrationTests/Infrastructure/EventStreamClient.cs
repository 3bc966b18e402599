using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>One event of a <c>text/event-stream</c>: its <c>event</c>, its <c>id</c> (null without one) and its JSON data.</summary>
public sealed record ServerEvent(string Type, string? Id, JsonElement Data);

/// <summary>
/// A real HTTP client of <c>GET /sse</c> that parses the stream line by line as a browser does (the <c>retry</c> line,
/// heartbeat comments, events), and collects every event in order. Started paused, it reads nothing after the welcome
/// until <see cref="StartReading"/>, as a client that stopped reading.
/// </summary>
public sealed class EventStreamClient : IAsyncDisposable
{
    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly Channel<ServerEvent> _events = Channel.CreateUnbounded<ServerEvent>();
    private readonly TaskCompletionSource _read = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _heartbeat = new(0);
    private Task _reading = Task.CompletedTask;
    private int _heartbeats;

    private EventStreamClient(HttpClient http, HttpResponseMessage response, StreamReader reader) => (_http, _response, _reader) = (http, response, reader);

    public HttpResponseMessage Response => _response;

    /// <summary>The <c>retry:</c> the stream opened with, in milliseconds.</summary>
    public int? Retry { get; private set; }

    public ServerEvent Welcome { get; private set; } = null!;

    public string Node => Welcome.Data.GetProperty(FrameFields.Node).GetString()!;

    public int Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>The id of the last event read, as a browser keeps it for <c>Last-Event-ID</c>.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>True once the server ended the response.</summary>
    public bool Ended { get; private set; }

    public static Uri Uri(Uri api, string? query = null) => new UriBuilder(api) { Path = Routes.ServerSentEvents, Query = query ?? "" }.Uri;

    /// <summary>Sends the request of a stream; the response is returned as it came, with its headers only.</summary>
    public static async Task<(HttpClient Http, HttpResponseMessage Response)> RequestAsync(Uri api, string? token, string? lastEventId = null,
        string? query = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, Uri(api, query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(EventStreams.ContentType));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (lastEventId is not null)
        {
            request.Headers.Add(EventStreams.LastEventIdHeader, lastEventId);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        using var timeout = new CancellationTokenSource(EventTimeout);
        return (http, await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token));
    }

    /// <summary>Opens a stream and reads up to its welcome; with <paramref name="paused"/> it then reads nothing more until told.</summary>
    public static async Task<EventStreamClient> ConnectAsync(Uri api, string token, string? lastEventId = null, string? query = null, bool paused = false)
    {
        var (http, response) = await RequestAsync(api, token, lastEventId, query);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var stream = new EventStreamClient(http, response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8, false, 1024));
        stream.Welcome = await stream.ReadEventAsync() ?? throw new InvalidOperationException("The stream ended before its welcome.");
        Assert.Equal(FrameTypes.Welcome, stream.Welcome.Type);
        stream._reading = stream.ReadAllAsync();
        if (!paused)
        {
            stream.StartReading();
        }

        return stream;
    }

    public void StartReading() => _read.TrySetResult();

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<ServerEvent?> NextOrEndAsync()
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        try
        {
            return await _events.Reader.WaitToReadAsync(timeout.Token) && _events.Reader.TryRead(out var next) ? next : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No event arrived within {EventTimeout}.");
        }
    }

    public async Task<ServerEvent> NextAsync() => await NextOrEndAsync() ?? throw new InvalidOperationException("The server ended the stream.");

    /// <summary>The next notifications, taken out of batch events, skipping other events.</summary>
    public async Task<List<JsonElement>> NotificationsAsync(int count)
    {
        var notifications = new List<JsonElement>();
        while (notifications.Count < count)
        {
            var next = await NextAsync();
            if (next.Type == FrameTypes.Notification)
            {
                notifications.Add(next.Data);
            }
            else if (next.Type == FrameTypes.Batch)
            {
                notifications.AddRange(next.Data.GetProperty(FrameFields.Items).EnumerateArray().Select(item => item.Clone()));
            }
        }

        return notifications;
    }

    /// <summary>Waits, without polling, until <paramref name="count"/> heartbeat comments have arrived.</summary>
    public async Task WaitForHeartbeatsAsync(int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (Heartbeats < count)
        {
            await _heartbeat.WaitAsync(cancel.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        _http.Dispose();
        StartReading();
        await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ReadAllAsync()
    {
        try
        {
            await _read.Task;
            while (await ReadEventAsync() is { } next)
            {
                await _events.Writer.WriteAsync(next);
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>Reads lines up to the next event (as the HTML standard's parser does); null at the end of the stream.</summary>
    private async Task<ServerEvent?> ReadEventAsync()
    {
        var (type, id, data) = ((string?)null, (string?)null, (string?)null);
        while (await _reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    LastEventId = id ?? LastEventId;
                    using var document = JsonDocument.Parse(data);
                    return new ServerEvent(type ?? "message", id, document.RootElement.Clone());
                }

                continue;
            }

            if (line[0] == ':')
            {
                Interlocked.Increment(ref _heartbeats);
                _heartbeat.Release();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "id":
                    id = value;
                    break;
                case "data":
                    Assert.Null(data);
                    data = value;
                    break;
                case "retry":
                    Retry = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
            }
        }

        Ended = true;
        return null;
    }
}
