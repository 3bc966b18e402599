namespace Notifications.Api.Refusals;

/// <summary>
/// Endpoint metadata naming the counter a refusal of that endpoint is counted in (<c>reason</c> tag): upgrades of
/// <c>/ws</c>, publishes, or any other request.
/// </summary>
public sealed class RefusalArea
{
    public static readonly RefusalArea Connections = new("connection");
    public static readonly RefusalArea Publishes = new("publish");
    public static readonly RefusalArea Requests = new("request");

    private RefusalArea(string name) => Name = name;

    public string Name { get; }

    public override string ToString() => Name;
}
