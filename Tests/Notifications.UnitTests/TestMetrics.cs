using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Api.Connections;
using Notifications.Api.Telemetry;

namespace Notifications.UnitTests;

/// <summary>A real meter factory, so instruments can be observed with MetricCollector.</summary>
internal static class TestMetrics
{
    public static (NotificationsMetrics Metrics, IMeterFactory Factory) Create(ConnectionRegistry? registry = null)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        return (new NotificationsMetrics(factory, registry ?? new ConnectionRegistry()), factory);
    }
}
