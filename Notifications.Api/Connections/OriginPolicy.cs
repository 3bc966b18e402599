namespace Notifications.Api.Connections;

/// <summary>Stops cross-site WebSocket hijacking: a browser page may connect only from an allowed origin.</summary>
public static class OriginPolicy
{
    public static bool IsAllowed(string? origin, IReadOnlyCollection<string> allowedOrigins)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        var normalized = origin.TrimEnd('/');
        foreach (var allowed in allowedOrigins)
        {
            if (string.Equals(allowed.TrimEnd('/'), normalized, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
