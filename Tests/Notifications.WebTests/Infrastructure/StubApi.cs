using System.Net;
using System.Text;

namespace Notifications.WebTests.Infrastructure;

/// <summary>A request the web app sent to the API, with its body read while it was still there.</summary>
public sealed record SentRequest(HttpMethod Method, string Path, string? Authorization, string? IdempotencyKey, string Body);

/// <summary>Stands in for notifications-api behind the web app's HttpClient; answers what the test tells it to.</summary>
public sealed class StubApi : HttpMessageHandler
{
    private readonly List<SentRequest> _requests = [];

    public Func<SentRequest, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);

    public IReadOnlyList<SentRequest> Requests => _requests;

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = new SentRequest(request.Method, request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
            request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
        _requests.Add(sent);
        return Answer(sent);
    }
}
