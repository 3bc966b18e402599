using System.Diagnostics;

namespace Notifications.Api.Telemetry;

/// <summary>
/// Spans for the Redis round trips that belong to a request (a publish, a history read, the cluster view). A span is
/// only ever a child: background work (reports, lease renewals, unsubscribes) has no current activity, so it never
/// starts a trace of its own and is counted in metrics instead.
/// </summary>
public static class RedisSpans
{
    public static Activity? Start(string operation, string summary)
    {
        if (Activity.Current is null)
        {
            return null;
        }

        var activity = NotificationsTelemetry.ActivitySource.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag(TelemetryNames.Tags.DbSystem, "redis");
        activity?.SetTag(TelemetryNames.Tags.DbOperation, operation);
        activity?.SetTag(TelemetryNames.Tags.DbQuerySummary, summary);
        return activity;
    }
}
