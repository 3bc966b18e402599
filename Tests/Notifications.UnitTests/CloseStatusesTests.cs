using System.Net.WebSockets;
using Notifications.Api.Connections;
using Notifications.Api.Telemetry;

namespace Notifications.UnitTests;

public class CloseStatusesTests
{
    [Theory]
    [InlineData(1000, TelemetryNames.CloseReasons.ClientClosed)]
    [InlineData(1003, TelemetryNames.RejectionReasons.Binary)]
    [InlineData(1007, TelemetryNames.RejectionReasons.InvalidJson)]
    [InlineData(1008, TelemetryNames.RejectionReasons.RateLimited)]
    [InlineData(1009, TelemetryNames.RejectionReasons.TooBig)]
    [InlineData(1012, TelemetryNames.CloseReasons.ServiceRestart)]
    [InlineData(1013, TelemetryNames.CloseReasons.Backplane)]
    [InlineData(4000, TelemetryNames.CloseReasons.SlowConsumer)]
    [InlineData(4001, TelemetryNames.CloseReasons.TokenExpired)]
    [InlineData(4002, TelemetryNames.CloseReasons.ResumeRequired)]
    [InlineData(1001, TelemetryNames.CloseReasons.ConnectionLost)]
    public void The_close_code_a_server_sent_names_why_the_connection_ended(int code, string reason) =>
        Assert.Equal(reason, CloseStatuses.Reason((WebSocketCloseStatus)code));
}
