namespace Notifications.Api.Connections;

public static class ConnectionsExtensions
{
    public static IHostApplicationBuilder AddConnections(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConnectionOptions>()
            .BindConfiguration(ConnectionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(NodeIdentity.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<NotificationDispatcher>();
        builder.Services.AddHostedService<ShutdownCloser>();
        return builder;
    }
}
