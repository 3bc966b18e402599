using System.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Notifications.Api.Telemetry;

public static class NotificationsTelemetry
{
    /// <summary>Spans for publish and delivery; a delivery on another replica joins the publisher's trace.</summary>
    public static readonly ActivitySource ActivitySource = new(TelemetryNames.Source);

    public static IHostApplicationBuilder AddNotificationsTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(TelemetryNames.Source))
            .WithTracing(tracing => tracing.AddSource(TelemetryNames.Source));
        builder.Services.AddSingleton<NotificationsMetrics>();
        builder.Services.AddSingleton<LogThrottle>();
        return builder;
    }
}
