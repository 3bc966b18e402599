namespace Notifications.Contract;

/// <summary>The names the deployables have in the app model, and so in service discovery and the dashboard.</summary>
public static class ServiceNames
{
    public const string Api = "notifications-api";
    public const string Web = "notifications-web";
}
