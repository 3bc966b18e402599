using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Notifications.Api.FrontDoor;

public static class FrontDoorExtensions
{
    public static IHostApplicationBuilder AddNotificationsFrontDoor(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FrontDoorOptions>()
            .BindConfiguration(FrontDoorOptions.SectionName)
            .Validate(options => options.IsValid, "FrontDoor:TrustedProxies must be IP addresses and FrontDoor:TrustedNetworks CIDR networks.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<FrontDoorOptions>>((forwarded, frontDoor) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The proxy sets the header (docs/deployment.md): only its last entry, the one it wrote, counts.
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in frontDoor.Value.TrustedProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(address));
            }

            foreach (var network in frontDoor.Value.TrustedNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddSingleton<FrontDoorForwarder>();
        return builder;
    }

    /// <summary>With trusted proxies configured, the client's address is taken from their <c>X-Forwarded-For</c>.</summary>
    public static WebApplication UseNotificationsFrontDoor(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<FrontDoorOptions>>().Value.IsConfigured)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
