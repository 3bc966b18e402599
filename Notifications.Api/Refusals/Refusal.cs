using Notifications.Api.Telemetry;

namespace Notifications.Api.Refusals;

/// <summary>
/// A request turned away before it did anything: the status and problem the client gets, the reason tag its metric and
/// log line carry, and when it may try again. Every refusal of the API is answered by <see cref="RefusalWriter"/>.
/// </summary>
public sealed record Refusal(int Status, string Reason, string Title, string Detail)
{
    /// <summary>Seconds the client should wait before retrying, sent as <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>A 401 names the scheme the client must authenticate with (<c>WWW-Authenticate: Bearer</c>).</summary>
    public bool Challenge { get; init; }

    /// <summary>For a request that is invalid field by field: each field with what is wrong with it.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public static Refusal Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, TelemetryNames.RejectionReasons.Invalid, "One or more validation errors occurred.",
            string.Join(" ", errors.Select(error => $"{error.Key}: {string.Join(" ", error.Value)}")))
        {
            Errors = errors,
        };

    /// <summary>The one answer for "Redis did not answer": nothing was stored or changed.</summary>
    public static Refusal BackplaneUnavailable { get; } = new(StatusCodes.Status503ServiceUnavailable, TelemetryNames.RejectionReasons.Backplane,
        "Backplane unavailable", "This replica cannot reach Redis, so the request was not carried out; retry after the Retry-After delay.")
    {
        RetryAfterSeconds = 2,
    };

    public static Refusal Unauthenticated { get; } = new(StatusCodes.Status401Unauthorized, TelemetryNames.RejectionReasons.Unauthenticated,
        "Unauthorized", "A valid bearer token is required.")
    {
        Challenge = true,
    };

    public static Refusal Forbidden { get; } = new(StatusCodes.Status403Forbidden, TelemetryNames.RejectionReasons.Forbidden,
        "Forbidden", "The token does not grant what this request needs (the publisher role).");

    public static Refusal RateLimited(int retryAfterSeconds, string detail) =>
        new(StatusCodes.Status429TooManyRequests, TelemetryNames.RejectionReasons.RateLimited, "Too many requests", detail)
        {
            RetryAfterSeconds = retryAfterSeconds,
        };
}
