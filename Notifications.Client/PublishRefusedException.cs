using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Notifications.Client;

/// <summary>
/// The API refused a publish request as a whole (docs/protocol.md lists the statuses): nothing of it was stored, except
/// after a 503, when a message may have been and a retry with the same idempotency key is safe.
/// </summary>
public sealed class PublishRefusedException : Exception
{
    public PublishRefusedException()
    {
    }

    public PublishRefusedException(string message) : base(message)
    {
    }

    public PublishRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    private PublishRefusedException(HttpStatusCode status, string? reason, string? detail, TimeSpan? retryAfter)
        : base($"The publish was refused with {(int)status} ({reason ?? "no reason given"}): {detail}") =>
        (Status, Reason, RetryAfter) = (status, reason, retryAfter);

    public HttpStatusCode Status { get; }

    /// <summary>The problem document's <c>reason</c>: a closed set, the same as the server's metrics tag.</summary>
    public string? Reason { get; }

    /// <summary>From <c>Retry-After</c> (429, 503): when a retry may succeed.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether the same request may succeed later: throttled, or the backplane was unavailable.</summary>
    public bool Retryable => Status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    internal static async Task<PublishRefusedException> FromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? reason = null, detail = null;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync(PublisherJsonContext.Default.JsonElement, cancellationToken);
            (reason, detail) = (Text(problem, "reason"), Text(problem, "detail"));
        }
        catch (JsonException)
        {
            // A proxy's own error page is no problem document; the status still says what happened.
        }

        return new PublishRefusedException(response.StatusCode, reason, detail, response.Headers.RetryAfter?.Delta);
    }

    private static string? Text(JsonElement problem, string property) =>
        problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
