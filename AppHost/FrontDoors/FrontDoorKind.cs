namespace AppHost.FrontDoors;

/// <summary>What stands in front of the API replicas; <c>Proxy:Kind</c> chooses.</summary>
public enum FrontDoorKind
{
    /// <summary>Aspire's own proxy: one port, a replica picked at random per TCP connection.</summary>
    Aspire,

    /// <summary>nginx, configured from deploy/nginx/nginx.conf.</summary>
    Nginx,

    /// <summary>HAProxy, configured from deploy/haproxy/haproxy.cfg.</summary>
    HAProxy,
}
