namespace Notifications.Api.Health;

public static class HealthExtensions
{
    public static IHostApplicationBuilder AddNotificationsHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<BackplaneHealthCheck>("backplane")
            .AddCheck<DrainHealthCheck>("drain");
        return builder;
    }
}
