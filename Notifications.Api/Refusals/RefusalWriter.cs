using System.Globalization;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Refusals;

/// <summary>
/// Answers a refusal the same way wherever it comes from (an endpoint, the rate limiter, authorization, the exception
/// handler): a problem document with its status, title, detail and reason, <c>Retry-After</c> when there is one, a
/// count in the endpoint's rejection counter and a log line that an attack cannot turn into a flood.
/// </summary>
public sealed class RefusalWriter(NotificationsMetrics metrics, RefusalLog log)
{
    public IResult Answer(HttpContext context, Refusal refusal)
    {
        var area = context.GetEndpoint()?.Metadata.GetMetadata<RefusalArea>() ?? RefusalArea.Requests;
        metrics.Rejected(area, refusal.Reason);
        log.Refused(area, refusal, context.Connection.RemoteIpAddress?.ToString());
        if (refusal.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (refusal.Challenge)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        var extensions = new Dictionary<string, object?> { [TelemetryNames.Tags.Reason] = refusal.Reason };
        return refusal.Errors is { } errors
            ? TypedResults.ValidationProblem(errors, refusal.Detail, title: refusal.Title, extensions: extensions)
            : TypedResults.Problem(statusCode: refusal.Status, title: refusal.Title, detail: refusal.Detail, extensions: extensions);
    }

    public Task WriteAsync(HttpContext context, Refusal refusal) => Answer(context, refusal).ExecuteAsync(context);
}
