namespace Notifications.DeploymentTests;

/// <summary>AppHost/infra/redis.tmpl.yaml: the backplane in container mode, and out of the way in managed mode.</summary>
public class RedisTemplateTests
{
    [Fact]
    public async Task In_container_mode_exactly_one_redis_runs()
    {
        var redis = await AzdRenderer.RenderServiceAsync(Services.Redis);

        Assert.Equal(1, redis.MinReplicas);
        Assert.Equal(1, redis.MaxReplicas);
        Assert.Null(redis.Scale["rules"]);
    }

    [Fact]
    public async Task Redis_writes_its_append_only_file_to_the_azure_files_volume_and_gets_the_stop_signal()
    {
        var redis = await AzdRenderer.RenderServiceAsync(Services.Redis);

        Assert.Equal(["/bin/sh"], redis.Container["command"]!.AsArray().Select(part => (string?)part));
        var arguments = redis.Container["args"]!.AsArray().Select(part => (string)part!).ToList();
        Assert.Equal(2, arguments.Count);
        Assert.Equal("-c", arguments[0]);
        Assert.Equal("exec redis-server --requirepass \"$REDIS_PASSWORD\" --appendonly yes --appendfsync always --dir /data", arguments[1]);
        var volume = Assert.Single(redis.Template["volumes"]!.AsArray())!;
        Assert.Equal("AzureFile", (string?)volume["storageType"]);
        Assert.Equal(AzdEnvironment.RedisStorageName, (string?)volume["storageName"]);
        var mount = Assert.Single(redis.Container["volumeMounts"]!.AsArray())!;
        Assert.Equal((string?)volume["name"], (string?)mount["volumeName"]);
        Assert.Equal("/data", (string?)mount["mountPath"]);
    }

    [Fact]
    public async Task Redis_listens_on_6379_inside_the_environment_only()
    {
        var redis = await AzdRenderer.RenderServiceAsync(Services.Redis);

        Assert.False((bool?)redis.Ingress["external"]);
        Assert.Equal("tcp", (string?)redis.Ingress["transport"]);
        Assert.Equal(6379, (long?)redis.Ingress["targetPort"]);
        Assert.Equal(6379, (long?)redis.Ingress["exposedPort"]);
        var liveness = redis.Probe("Liveness");
        Assert.Equal(6379, (long?)liveness["tcpSocket"]!["port"]);
    }

    [Fact]
    public async Task The_password_comes_from_the_generated_parameter_through_a_secret_never_the_command_line()
    {
        var redis = await AzdRenderer.RenderServiceAsync(Services.Redis);

        Assert.Equal(AzdEnvironment.RedisPassword, redis.SecretBehind("REDIS_PASSWORD"));
        Assert.DoesNotContain(AzdEnvironment.RedisPassword, redis.Container["args"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["REDIS_PASSWORD"], redis.Environment.Select(variable => variable.Name));
    }

    [Fact]
    public async Task In_managed_mode_the_redis_app_scales_to_zero()
    {
        var environment = await AzdEnvironment.ForAsync(Services.Redis);

        var redis = await AzdRenderer.RenderServiceAsync(Services.Redis, environment.WithManagedRedis());

        Assert.Equal(0, redis.MinReplicas);
        Assert.Equal(1, redis.MaxReplicas);
    }

    [Theory]
    [InlineData(Services.Redis)]
    [InlineData(Services.Api)]
    public async Task A_mode_other_than_container_or_managed_fails_the_deploy(string service)
    {
        var environment = (await AzdEnvironment.ForAsync(service)).WithManagedRedis().WithEnvSet("AZURE_REDIS_MODE", "Managed");

        var result = await AzdRenderer.RenderAsync(RepositoryFiles.Template(service), environment);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("redis_mode_must_be_container_or_managed", result.Error, StringComparison.Ordinal);
    }
}
