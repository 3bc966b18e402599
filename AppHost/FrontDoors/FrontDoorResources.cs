using Microsoft.Extensions.Configuration;
using Notifications.Contract;

namespace AppHost.FrontDoors;

public static class FrontDoorResources
{
    /// <summary>Where the front door and the replicas behind it listen locally.</summary>
    public const string Address = "127.0.0.1";

    /// <summary>
    /// nginx or HAProxy as an executable resource named like the API (so service discovery and the browser reach the
    /// front door), on the API's usual port, configured from its file in deploy/ with the replicas' ports. Its own
    /// health (not a replica's) is what the dashboard shows.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddFrontDoor(this IDistributedApplicationBuilder builder, FrontDoorKind kind,
        IReadOnlyList<IResourceBuilder<ProjectResource>> replicas)
    {
        var binary = kind == FrontDoorKind.Nginx ? "nginx" : "haproxy";
        LocalExecutables.RequireInstalled(binary, binary, $"Proxy:Kind={kind}", $"Proxy:Kind={FrontDoorKind.Aspire}");
        var runDirectory = RunDirectories.Create(builder, "aspirenotify-frontdoor-");
        if (!OperatingSystem.IsWindows())
        {
            // nginx's workers drop root for an unprivileged user, which must still write its temp files here.
            File.SetUnixFileMode(runDirectory, (UnixFileMode)0b111_111_111);
        }
        var port = builder.Configuration.GetValue("Proxy:Port", 5080);
        var config = Render(builder, kind, runDirectory, port, replicas);
        string[] arguments = kind == FrontDoorKind.Nginx
            ? ["-p", runDirectory, "-e", "stderr", "-c", config, "-g", "daemon off;"]
            : ["-f", config, "-db"];
        var frontDoor = builder.AddExecutable(ServiceNames.Api, binary, runDirectory, arguments)
            .WithHttpEndpoint(port: port, isProxied: false)
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck(kind == FrontDoorKind.Nginx ? "/nginx-health" : "/haproxy-health");
        foreach (var replica in replicas)
        {
            frontDoor.WaitFor(replica);
        }

        return frontDoor;
    }

    private static string Render(IDistributedApplicationBuilder builder, FrontDoorKind kind, string runDirectory, int port,
        IReadOnlyList<IResourceBuilder<ProjectResource>> replicas)
    {
        var settings = builder.Configuration.GetSection("NotificationsApi:Settings");
        var rendered = FrontDoorTemplate.Render(File.ReadAllText(Path.Combine(builder.AppHostDirectory, "..", FrontDoorTemplate.FileOf(kind))),
            new FrontDoorSettings(runDirectory, $"{Address}:{port}",
                [.. replicas.Select(replica => new FrontDoorReplica(replica.Resource.Name,
                    $"{Address}:{replica.Resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port}"))],
                FrontDoorSettings.IdleTimeoutFor(settings.GetValue("Connections:KeepAliveInterval", TimeSpan.FromSeconds(30))),
                settings.GetValue("Limits:HandshakeTimeout", TimeSpan.FromSeconds(10)),
                // The door bounds every body by the largest one any route takes; the API holds each route to its own.
                Math.Max(settings.GetValue("Limits:MaxPublishBodyBytes", 64 * 1024), settings.GetValue("Limits:MaxBatchBodyBytes", 1024 * 1024))));
        var config = Path.Combine(runDirectory, Path.GetFileName(FrontDoorTemplate.FileOf(kind)));
        File.WriteAllText(config, rendered);
        return config;
    }
}
