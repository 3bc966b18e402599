using AppHost.Backplane;
using AppHost.FrontDoors;
using Microsoft.Extensions.Configuration;
using Notifications.Contract;

namespace AppHost;

/// <summary>
/// The API as the rest of the app model sees it: the front door that clients and the web app reach, and the replicas
/// behind it (which take the API's settings).
/// </summary>
public sealed record NotificationsApiResources(IResourceBuilder<IResourceWithEndpoints> FrontDoor, EndpointReference Endpoint,
    IReadOnlyList<IResourceBuilder<ProjectResource>> Replicas)
{
    /// <summary>Pages of an app open sockets to the API from the browser, so its origin must be allowed.</summary>
    public void AllowOrigin(EndpointReference origin)
    {
        foreach (var replica in Replicas)
        {
            replica.WithEnvironment("Connections__AllowedOrigins__0", origin);
        }
    }
}

public static class NotificationsApiExtensions
{
    /// <summary>
    /// <c>NotificationsApi:Replicas</c> API processes behind the front door <c>Proxy:Kind</c> chooses: Aspire's own
    /// proxy (replicas of one resource), or nginx or HAProxy run from deploy/ in front of one resource per replica.
    /// </summary>
    public static NotificationsApiResources AddNotificationsApi(this IDistributedApplicationBuilder builder,
        BackplaneConnection backplane, IResourceBuilder<ParameterResource> signingKey)
    {
        var replicas = builder.Configuration.GetValue("NotificationsApi:Replicas", 3);
        var kind = builder.Configuration.GetValue("Proxy:Kind", FrontDoorKind.Aspire);
        if (kind == FrontDoorKind.Aspire)
        {
            var api = builder.AddProject<Projects.Notifications_Api>(ServiceNames.Api)
                .WithReplicas(replicas)
                .Configure(builder, backplane, signingKey)
                .WithExternalHttpEndpoints();
            return new NotificationsApiResources(api, api.GetEndpoint("http"), [api]);
        }

        var behindFrontDoor = Enumerable.Range(1, replicas).Select(index => builder
            .AddProject<Projects.Notifications_Api>($"{ServiceNames.Api}-{index}", launchProfileName: null)
            .WithHttpEndpoint(port: LocalExecutables.FreePort(), isProxied: false)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithEnvironment("FrontDoor__TrustedProxies__0", FrontDoorResources.Address)
            .Configure(builder, backplane, signingKey)).ToList();
        var frontDoor = builder.AddFrontDoor(kind, behindFrontDoor);
        return new NotificationsApiResources(frontDoor, frontDoor.GetEndpoint("http"), behindFrontDoor);
    }

    private static IResourceBuilder<ProjectResource> Configure(this IResourceBuilder<ProjectResource> api, IDistributedApplicationBuilder builder,
        BackplaneConnection backplane, IResourceBuilder<ParameterResource> signingKey) => api
        .WithReference(backplane.ConnectionString).WaitFor(backplane.ConnectionString)
        .WithBackplaneTopology(backplane.Topology)
        .WithEnvironment("Auth__SigningKey", signingKey)
        .WithHttpHealthCheck("/health")
        .WithoutHttpsCertificate()
        .WithApiSettings(builder.Configuration.GetSection("NotificationsApi:Settings"));

    /// <summary>
    /// Set before the API settings, so that <c>NotificationsApi:Settings:Backplane:Topology</c> can still describe a
    /// server given as <c>ConnectionStrings:redis</c>.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithBackplaneTopology(this IResourceBuilder<ProjectResource> api, BackplaneTopology? topology) =>
        topology is { } known ? api.WithEnvironment("Backplane__Topology", known.ToString()) : api;
}
