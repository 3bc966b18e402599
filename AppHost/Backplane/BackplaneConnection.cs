namespace AppHost.Backplane;

/// <summary>The shape of the servers behind the backplane's connection string, as the API reads it (<c>Backplane:Topology</c>).</summary>
public enum BackplaneTopology
{
    /// <summary>One server, as Redis calls it.</summary>
    Standalone,
    Sentinel,
    Cluster,
}

/// <summary>
/// The backplane as the API replicas take it: the connection string named <see cref="BackplaneResources.ConnectionName"/>
/// and the topology behind it. No topology in publish mode: the deployment's templates configure the replicas there.
/// </summary>
public sealed record BackplaneConnection(IResourceBuilder<IResourceWithConnectionString> ConnectionString, BackplaneTopology? Topology);
