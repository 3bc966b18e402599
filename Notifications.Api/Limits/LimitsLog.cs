namespace Notifications.Api.Limits;

internal static partial class LimitsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the connection leases of this replica failed; retrying at the next tick")]
    public static partial void RenewalFailed(ILogger logger, Exception exception);
}
