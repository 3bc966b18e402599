using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using Notifications.Contract;

namespace Notifications.Client;

/// <summary>
/// The Server-Sent Events transport (<see cref="NotificationTransport.ServerSentEvents"/>): the same frames as events,
/// handled as the WebSocket's are. A reconnect sends the <c>id</c> of the last event handled as <c>Last-Event-ID</c>,
/// which stands for the client's position in every stream; the stream's <c>close</c> event is its close code.
/// </summary>
public sealed partial class NotificationClient
{
    private string? _lastEventId;

    /// <summary>One event stream, from the request to its end; returns the code of its <c>close</c> event, if one came.</summary>
    private async Task<(int? CloseCode, string? Reason)> RunEventStreamAsync(Action welcomed)
    {
        // The topics always go in the query: a Last-Event-ID stands for the positions of exactly the streams they name,
        // and replaces the query's since and epoch.
        var resumeQuery = _resume.ConnectQuery(out var resumingFromQuery);
        var resuming = _lastEventId is not null || resumingFromQuery;
        // Until the welcome, the connect timeout holds; after it, only the client's own stop.
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        connection.CancelAfter(_options.ConnectTimeout);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var response = await OpenEventStreamAsync(http, resumeQuery, connection.Token);
        await using var body = await response.Content.ReadAsStreamAsync(connection.Token);
        var started = false;
        await foreach (var item in SseParser.Create(body).EnumerateAsync(connection.Token))
        {
            var frame = ServerFrames.Read(Encoding.UTF8.GetBytes(item.Data));
            if (!started)
            {
                Welcome(frame, resuming);
                connection.CancelAfter(Timeout.InfiniteTimeSpan);
                started = true;
                welcomed();
            }
            else if (frame is CloseFrame close)
            {
                return (close.Code, close.Reason);
            }
            else
            {
                await HandleAsync(frame, resuming);
            }

            _lastEventId = string.IsNullOrEmpty(item.EventId) ? _lastEventId : item.EventId;
        }

        return started ? (null, null) : throw new IOException("The event stream ended before its welcome.");
    }

    private async Task<HttpResponseMessage> OpenEventStreamAsync(HttpClient http, string? resumeQuery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(_options.ServerUri)
        {
            Scheme = _options.ServerUri.Scheme is "https" or "wss" ? "https" : "http",
            Path = Routes.ServerSentEvents,
            Query = resumeQuery ?? "",
        }.Uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _options.AccessTokenProvider(_stopping.Token));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(EventStreams.ContentType));
        if (_lastEventId is not null)
        {
            request.Headers.Add(EventStreams.LastEventIdHeader, _lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var status = (int)response.StatusCode;
        response.Dispose();
        throw CloseCodes.IsFinalRefusal(status)
            ? new NotificationClientException($"The server refused the connection: {status}.", status)
            : new HttpRequestException($"The server answered {status}; retrying.", null, response.StatusCode);
    }

    /// <summary>The first event must be the welcome, as the first frame of a WebSocket must.</summary>
    private void Welcome(ServerFrame frame, bool resuming)
    {
        if (frame is not WelcomeFrame welcome)
        {
            throw new IOException("The server did not start the event stream with a welcome.");
        }

        _resume.OnWelcome(welcome, resuming);
        Node = welcome.Node;
        ChangeState(ConnectionState.Connected, null, null);
        _firstWelcome.TrySetResult();
    }
}
