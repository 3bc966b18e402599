using System.Net.WebSockets;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>
/// The close codes of the contract (<see cref="CloseCodes"/>) as the statuses a server socket closes with, and the
/// reason tag each gives the connection's end.
/// </summary>
public static class CloseStatuses
{
    public const WebSocketCloseStatus Normal = (WebSocketCloseStatus)CloseCodes.Normal;
    public const WebSocketCloseStatus UnsupportedData = (WebSocketCloseStatus)CloseCodes.UnsupportedData;
    public const WebSocketCloseStatus InvalidPayload = (WebSocketCloseStatus)CloseCodes.InvalidPayload;
    public const WebSocketCloseStatus PolicyViolation = (WebSocketCloseStatus)CloseCodes.PolicyViolation;
    public const WebSocketCloseStatus MessageTooBig = (WebSocketCloseStatus)CloseCodes.MessageTooBig;
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)CloseCodes.ServiceRestart;
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)CloseCodes.TryAgainLater;
    public const WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)CloseCodes.SlowConsumer;
    public const WebSocketCloseStatus TokenExpired = (WebSocketCloseStatus)CloseCodes.TokenExpired;
    public const WebSocketCloseStatus ResumeRequired = (WebSocketCloseStatus)CloseCodes.ResumeRequired;

    /// <summary>The reason tag of a connection the server closed with <paramref name="status"/> (the code says why).</summary>
    public static string Reason(WebSocketCloseStatus status) => status switch
    {
        Normal => TelemetryNames.CloseReasons.ClientClosed,
        UnsupportedData => TelemetryNames.RejectionReasons.Binary,
        InvalidPayload => TelemetryNames.RejectionReasons.InvalidJson,
        MessageTooBig => TelemetryNames.RejectionReasons.TooBig,
        PolicyViolation => TelemetryNames.RejectionReasons.RateLimited,
        ServiceRestart => TelemetryNames.CloseReasons.ServiceRestart,
        TryAgainLater => TelemetryNames.CloseReasons.Backplane,
        SlowConsumer => TelemetryNames.CloseReasons.SlowConsumer,
        TokenExpired => TelemetryNames.CloseReasons.TokenExpired,
        ResumeRequired => TelemetryNames.CloseReasons.ResumeRequired,
        _ => TelemetryNames.CloseReasons.ConnectionLost,
    };
}
