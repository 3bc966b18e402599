using System.Net.WebSockets;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>The close codes of the wire contract (docs/protocol.md); a client decides from the code what to do.</summary>
public static class CloseCodes
{
    public const WebSocketCloseStatus Normal = WebSocketCloseStatus.NormalClosure;
    public const WebSocketCloseStatus UnsupportedData = WebSocketCloseStatus.InvalidMessageType;
    public const WebSocketCloseStatus InvalidPayload = WebSocketCloseStatus.InvalidPayloadData;
    public const WebSocketCloseStatus MessageTooBig = WebSocketCloseStatus.MessageTooBig;

    /// <summary>1012: the replica is restarting or scaling in; reconnect (with backoff) and resume.</summary>
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;

    /// <summary>1013: the replica could not reach Redis while the connection started; reconnect with backoff.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    /// <summary>4000: the client did not read fast enough and its outbound queue filled up; reconnect and resume.</summary>
    public const WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)4000;

    /// <summary>4001: the token the connection was opened with expired; get a fresh token, reconnect and resume.</summary>
    public const WebSocketCloseStatus TokenExpired = (WebSocketCloseStatus)4001;

    /// <summary>4002: the history of one of the client's streams changed under it (new epoch, lost gap); reconnect and resume.</summary>
    public const WebSocketCloseStatus ResumeRequired = (WebSocketCloseStatus)4002;

    /// <summary>The reason tag of a connection the server closed with <paramref name="status"/> (the code says why).</summary>
    public static string Reason(WebSocketCloseStatus status) => status switch
    {
        Normal => TelemetryNames.CloseReasons.ClientClosed,
        UnsupportedData => TelemetryNames.RejectionReasons.Binary,
        InvalidPayload => TelemetryNames.RejectionReasons.InvalidJson,
        MessageTooBig => TelemetryNames.RejectionReasons.TooBig,
        WebSocketCloseStatus.PolicyViolation => TelemetryNames.RejectionReasons.RateLimited,
        ServiceRestart => TelemetryNames.CloseReasons.ServiceRestart,
        TryAgainLater => TelemetryNames.CloseReasons.Backplane,
        SlowConsumer => TelemetryNames.CloseReasons.SlowConsumer,
        TokenExpired => TelemetryNames.CloseReasons.TokenExpired,
        ResumeRequired => TelemetryNames.CloseReasons.ResumeRequired,
        _ => TelemetryNames.CloseReasons.ConnectionLost,
    };
}
