using Microsoft.AspNetCore.Http.HttpResults;
using Notifications.Api.Connections;

namespace Notifications.Api.Cluster;

public static class ClusterEndpoints
{
    /// <summary>
    /// Maps <c>GET /api/cluster</c>. Anonymous, like <c>/health/websocket</c>: it tells node names and counts, nothing
    /// about users.
    /// </summary>
    public static IEndpointRouteBuilder MapNotificationsCluster(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.Cluster, GetClusterAsync)
            .WithTags("Cluster")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("GetCluster")
            .WithSummary("Every replica that reported within Cluster:EntryLifetime, with its connection and user counts.");
        return endpoints;
    }

    /// <summary>Redis failures surface as <c>503</c> through <see cref="Refusals.BackplaneExceptionHandler"/>.</summary>
    internal static async Task<Ok<ClusterView>> GetClusterAsync(ClusterDirectory directory, NodeIdentity node, TimeProvider time) =>
        TypedResults.Ok(new ClusterView(node.Name, await directory.ReadAsync(time.GetUtcNow())));
}
