namespace Notifications.Api.FrontDoor;

/// <summary>
/// The reverse proxies in front of the replicas (nginx, HAProxy, an ingress) whose <c>X-Forwarded-For</c> the API
/// believes. Requests from anywhere else keep their own address, so a client cannot forge one, and the per-address
/// limits apply to clients, not to the proxy.
/// </summary>
public sealed class FrontDoorOptions
{
    public const string SectionName = "FrontDoor";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] TrustedNetworks { get; set; } = [];

    internal bool IsConfigured => TrustedProxies.Length > 0 || TrustedNetworks.Length > 0;

    internal bool IsValid =>
        TrustedProxies.All(address => System.Net.IPAddress.TryParse(address, out _))
        && TrustedNetworks.All(network => System.Net.IPNetwork.TryParse(network, out _));
}
