using Microsoft.Extensions.Configuration;

namespace AppHost;

public static class ApiSettings
{
    /// <summary>
    /// Hands every key under <c>NotificationsApi:Settings</c> to the API replicas as configuration, so limits such as
    /// <c>History:MaxCount</c> are tuned from the AppHost (command line, appsettings, user secrets) without a rebuild.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithApiSettings(this IResourceBuilder<ProjectResource> api, IConfigurationSection settings)
    {
        foreach (var (key, value) in settings.AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                api.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        return api;
    }
}
