namespace Notifications.Api.Cluster;

public static class ClusterExtensions
{
    public static IHostApplicationBuilder AddNotificationsCluster(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterOptions>()
            .BindConfiguration(ClusterOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.LifetimeOutlastsInterval, "Cluster:EntryLifetime must be longer than Cluster:ReportInterval.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ClusterDirectory>();
        builder.Services.AddSingleton<DeliveryTally>();
        builder.Services.AddHostedService<ClusterReporter>();
        return builder;
    }
}
