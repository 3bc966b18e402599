using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace AppHost.Backplane;

/// <summary>Which server plays the Redis backplane; <c>Backplane:Host</c> chooses, "auto" by default.</summary>
public enum BackplaneHost
{
    Auto,
    Container,
    Garnet,
    Sentinel,
    Cluster,
}

public static class BackplaneResources
{
    /// <summary>The connection name every service uses, whatever server is behind it.</summary>
    public const string ConnectionName = "redis";

    /// <summary>The embedded Garnet host, when it plays the backplane.</summary>
    public const string GarnetName = "garnet";

    /// <summary>
    /// Adds the backplane: publish mode → the Redis container; a configured <c>ConnectionStrings:redis</c> → that
    /// server; <c>Sentinel</c> or <c>Cluster</c> → that topology of Debian's redis-server; a container runtime that
    /// answers → the Redis container; none → the embedded Garnet project. Every mode requires a password.
    /// </summary>
    public static BackplaneConnection AddBackplane(this IDistributedApplicationBuilder builder)
    {
        var host = builder.Configuration.GetValue("Backplane:Host", BackplaneHost.Auto);
        if (builder.ExecutionContext.IsPublishMode)
        {
            return new BackplaneConnection(builder.AddRedis(ConnectionName), Topology: null);
        }

        if (builder.Configuration.GetConnectionString(ConnectionName) is { Length: > 0 } connectionString)
        {
            RequirePassword(connectionString);
            return new BackplaneConnection(builder.AddConnectionString(ConnectionName), BackplaneTopology.Standalone);
        }

        return host switch
        {
            BackplaneHost.Sentinel => builder.AddSentinelTopology(),
            BackplaneHost.Cluster => builder.AddClusterTopology(),
            _ => new BackplaneConnection(builder.AddSingleServer(host), BackplaneTopology.Standalone),
        };
    }

    /// <summary>Generated once and kept in the user secrets; a password no command line or connection string must quote.</summary>
    internal static IResourceBuilder<ParameterResource> AddBackplanePassword(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter($"{ConnectionName}-password",
            new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

    private static IResourceBuilder<IResourceWithConnectionString> AddSingleServer(this IDistributedApplicationBuilder builder, BackplaneHost host)
    {
        var useContainer = host switch
        {
            BackplaneHost.Container => true,
            BackplaneHost.Garnet => false,
            _ => ContainerRuntime.Answers(builder.Configuration),
        };
        return useContainer ? builder.AddRedis(ConnectionName) : builder.AddGarnet();
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddGarnet(this IDistributedApplicationBuilder builder)
    {
        var password = builder.AddBackplanePassword();
        var garnet = builder.AddProject<Projects.GarnetHost>(GarnetName)
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "Garnet__Port")
            .WithEnvironment("Garnet__Password", password)
            .WithoutHttpsCertificate();
        var endpoint = garnet.GetEndpoint("tcp");
        // Exposed under the same connection name as a real Redis, so services cannot tell the difference.
        return builder.AddConnectionString(ConnectionName,
            ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)},password={password}"));
    }

    private static void RequirePassword(string connectionString)
    {
        if (!connectionString.Contains("password=", StringComparison.OrdinalIgnoreCase))
        {
            throw new DistributedApplicationException(
                $"ConnectionStrings:{ConnectionName} has no password. AspireNotify never uses an unauthenticated backplane: " +
                "add ',password=…' (and ',user=…' for an ACL user) to the connection string.");
        }
    }
}
