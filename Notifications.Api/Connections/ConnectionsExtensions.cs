namespace Notifications.Api.Connections;

public static class ConnectionsExtensions
{
    public static IHostApplicationBuilder AddNotificationsConnections(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConnectionOptions>()
            .BindConfiguration(ConnectionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(NodeIdentity.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<NotificationDispatcher>();
        builder.Services.AddSingleton<ConnectionStarter>();
        builder.Services.AddSingleton<StreamReplay>();
        builder.Services.AddSingleton<WebSocketAdmission>();
        builder.Services.AddSingleton<ConnectionRunner>();
        builder.Services.AddSingleton<ConnectionDrainer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ConnectionDrainer>());
        builder.Services.AddHostedService<TokenExpiryService>();
        // The server must outlast the drain window and the close handshakes that follow it.
        builder.Services.AddOptions<HostOptions>().Configure<Microsoft.Extensions.Options.IOptions<ConnectionOptions>>((host, connections) =>
            host.ShutdownTimeout = connections.Value.DrainWindow + connections.Value.CloseTimeout + TimeSpan.FromSeconds(5));
        return builder;
    }
}
