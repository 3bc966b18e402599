using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Notifications.Api.Handshake;

/// <summary>
/// A taken-over upgrade as the <see cref="HttpContext"/> admission reads (method, path, query, headers, the client's
/// address, the connection's end as the request's abort) and accepts through. It lives only until the 101: the
/// connection keeps nothing of it.
/// </summary>
internal static class TakenOverRequest
{
    public static HttpContext Create(ConnectionContext connection, UpgradeHead head, IHttpWebSocketFeature webSocket)
    {
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = HttpProtocol.Http11,
            Scheme = Uri.UriSchemeHttp,
            Method = HttpMethods.Get,
            Path = head.Path,
            QueryString = head.QueryString,
            RawTarget = head.Path + head.QueryString,
            Headers = head.Headers,
        });
        features.Set<IHttpConnectionFeature>(Connection(connection));
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = connection.ConnectionClosed });
        features.Set(webSocket);
        return new DefaultHttpContext(features);
    }

    private static HttpConnectionFeature Connection(ConnectionContext connection)
    {
        var (remote, local) = (connection.RemoteEndPoint as IPEndPoint, connection.LocalEndPoint as IPEndPoint);
        return new HttpConnectionFeature
        {
            ConnectionId = connection.ConnectionId,
            RemoteIpAddress = remote?.Address,
            RemotePort = remote?.Port ?? 0,
            LocalIpAddress = local?.Address,
            LocalPort = local?.Port ?? 0,
        };
    }
}
