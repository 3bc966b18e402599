using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Notifications.Testing;

/// <summary>The real AppHost, started through Aspire.Hosting.Testing with its API replicas healthy.</summary>
public static class TestAppHost
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Builds and starts the AppHost with <paramref name="arguments"/> and <paramref name="replicas"/> API replicas, and
    /// waits until each replica reports healthy (the resource alone turns healthy with the first). <paramref name="configure"/>
    /// changes the model before it is built, e.g. a setting of one resource.
    /// </summary>
    public static async Task<(DistributedApplication App, ApiReplicas Replicas)> StartAsync<TEntryPoint>(string[] arguments, int replicas,
        CancellationToken cancellationToken, Action<IDistributedApplicationTestingBuilder>? configure = null) where TEntryPoint : class
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<TEntryPoint>(
            [.. arguments, $"NotificationsApi:Replicas={replicas}"], cancellationToken);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        configure?.Invoke(builder);
        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        var tracked = new ApiReplicas(app, ServiceNames.Api);
        await tracked.WaitUntilHealthyAsync(replicas, cancellationToken);
        return (app, tracked);
    }
}
