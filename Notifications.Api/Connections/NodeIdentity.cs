namespace Notifications.Api.Connections;

/// <summary>The name of this replica, sent in every welcome so a client can tell where it landed.</summary>
public sealed record NodeIdentity(string Name)
{
    public const string ConfigurationKey = "Notifications:NodeName";
    private const string InstanceIdAttribute = "service.instance.id=";

    /// <summary>
    /// The configured name, else the service name and OpenTelemetry instance id Aspire gives each replica (the name the
    /// dashboard shows), else host and process.
    /// </summary>
    public static NodeIdentity FromConfiguration(IConfiguration configuration)
    {
        if (configuration[ConfigurationKey] is { Length: > 0 } configured)
        {
            return new NodeIdentity(configured);
        }

        var attributes = configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "";
        foreach (var attribute in attributes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (attribute.StartsWith(InstanceIdAttribute, StringComparison.Ordinal) && attribute.Length > InstanceIdAttribute.Length)
            {
                var instanceId = attribute[InstanceIdAttribute.Length..];
                return new NodeIdentity(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } service ? $"{service}-{instanceId}" : instanceId);
            }
        }

        return new NodeIdentity($"{Environment.MachineName}-{Environment.ProcessId}");
    }
}
