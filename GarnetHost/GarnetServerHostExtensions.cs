namespace GarnetHost;

public static class GarnetServerHostExtensions
{
    public static IHostApplicationBuilder AddGarnetServer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GarnetOptions>()
            .BindConfiguration(GarnetOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<GarnetServerHost>();
        return builder;
    }
}
