using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Notifications.Api.Connections;

namespace Notifications.Api.Handshake;

public static class HandshakeExtensions
{
    /// <summary>
    /// Puts <see cref="UpgradeTakeover"/> in front of the HTTP layer on every endpoint Kestrel listens on (before TLS,
    /// where one is configured on Kestrel: there it sees no plain head and every upgrade stays an HTTP request).
    /// </summary>
    public static IHostApplicationBuilder AddNotificationsHandshake(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ConnectionOptions>>((kestrel, connections) =>
        {
            if (connections.Value.TakeOverUpgrades)
            {
                kestrel.ConfigureEndpointDefaults(listen => listen.Use(next =>
                    ActivatorUtilities.CreateInstance<UpgradeTakeover>(listen.ApplicationServices, next).OnConnectionAsync));
            }
        });
        return builder;
    }
}
