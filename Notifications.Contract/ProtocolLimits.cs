namespace Notifications.Contract;

public static class ProtocolLimits
{
    /// <summary>Notifications in one <c>batch</c> frame at most, live or replayed.</summary>
    public const int MaxBatchItems = 100;
}
