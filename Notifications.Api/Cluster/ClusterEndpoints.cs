using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Notifications.Api.Connections;
using StackExchange.Redis;

namespace Notifications.Api.Cluster;

public static class ClusterEndpoints
{
    private const int RetryAfterSeconds = 2;

    /// <summary>
    /// Maps <c>GET /api/cluster</c>. Anonymous, like <c>/health/websocket</c>: it tells node names and counts, nothing
    /// about users.
    /// </summary>
    public static IEndpointRouteBuilder MapCluster(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/cluster", GetClusterAsync)
            .WithTags("Cluster")
            .AllowAnonymous()
            .WithName("GetCluster")
            .WithSummary("Every replica that reported within Cluster:EntryLifetime, with its connection and user counts.");
        return endpoints;
    }

    internal static async Task<Results<Ok<ClusterView>, ProblemHttpResult>> GetClusterAsync(
        ClusterDirectory directory, NodeIdentity node, TimeProvider time, HttpResponse response)
    {
        try
        {
            return TypedResults.Ok(new ClusterView(node.Name, await directory.ReadAsync(time.GetUtcNow())));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Backplane unavailable",
                detail: "The cluster directory lives in Redis, which this replica cannot reach.");
        }
    }
}
