using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>
/// Fewer replicas than <c>Backplane:MinReplicasToAcknowledge</c> confirmed a write in time. A Redis failure like any other
/// to callers (503), but never one the publish pipeline retries: the write itself did reach the primary.
/// </summary>
public sealed class ReplicationUnconfirmedException : RedisException
{
    public ReplicationUnconfirmedException(string message) : base(message)
    {
    }

    public ReplicationUnconfirmedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
