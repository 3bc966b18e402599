namespace Notifications.Api.Connections;

/// <summary>The two streams a connection reads: its user's and the broadcast.</summary>
public enum StreamSlot
{
    User,
    Broadcast,
}
