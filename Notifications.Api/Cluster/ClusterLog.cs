namespace Notifications.Api.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} could not report into the cluster directory; it drops out of /api/cluster until Redis answers")]
    public static partial void ReportFailed(ILogger logger, Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} reports into the cluster directory again")]
    public static partial void ReportRestored(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} could not remove its entry from the cluster directory; it expires instead")]
    public static partial void RemoveFailed(ILogger logger, Exception exception, string node);
}
