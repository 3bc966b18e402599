using Notifications.Processes;

namespace AspireNotify.Bench.Cluster;

/// <summary>
/// The cluster every scenario measures: Debian's redis-server without persistence (the API is measured, not the disk)
/// and N replicas of the Release build, with the GC mode and trace sampler the environment asks for.
/// </summary>
public static class BenchCluster
{
    /// <summary>The Redis every target of the bench shares its instances through, AspireNotify's and its peers'.</summary>
    public static RedisServerOptions RedisOptions { get; } = new() { Durable = false, Arguments = ["--maxclients", "10000"] };

    public static Task<LocalCluster> StartAsync(int replicas) =>
        LocalCluster.StartAsync(replicas, Settings(), "Release", RedisOptions, line => Console.Error.WriteLine($"[replica] {line}"));

    /// <summary>N replicas against another Redis deployment, with its settings on top of the environment's.</summary>
    public static Task<LocalCluster> StartAsync(int replicas, BenchBackplane backplane)
    {
        var settings = Settings();
        foreach (var (key, value) in backplane.Settings)
        {
            settings[key] = value;
        }

        return LocalCluster.StartAsync(replicas, backplane.Start(), settings, "Release", line => Console.Error.WriteLine($"[replica] {line}"));
    }

    private static Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>();
        if (Environment.GetEnvironmentVariable("BENCH_GC_SERVER") is { Length: > 0 } gcServer)
        {
            settings["DOTNET_gcServer"] = gcServer;
        }

        if (Environment.GetEnvironmentVariable("BENCH_TRACES_SAMPLER") is { Length: > 0 } sampler)
        {
            settings["OTEL_TRACES_SAMPLER"] = sampler;
            settings["OTEL_TRACES_SAMPLER_ARG"] = Environment.GetEnvironmentVariable("BENCH_TRACES_SAMPLER_ARG") ?? "";
        }

        return settings;
    }
}
