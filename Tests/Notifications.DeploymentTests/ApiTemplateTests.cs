using System.Net;
using Notifications.Api.Connections;

namespace Notifications.DeploymentTests;

/// <summary>AppHost/infra/notifications-api.tmpl.yaml: replicas, scaling, probes, draining, ingress and configuration.</summary>
public class ApiTemplateTests
{
    [Fact]
    public async Task Three_to_ten_replicas_by_default()
    {
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);

        Assert.Equal(3, api.MinReplicas);
        Assert.Equal(10, api.MaxReplicas);
    }

    [Fact]
    public async Task The_replica_range_follows_the_azd_environment_and_the_shell()
    {
        var environment = await AzdEnvironment.ForAsync(Services.Api);

        var fromEnvSet = await AzdRenderer.RenderServiceAsync(Services.Api, environment.WithEnvSet("AZURE_API_MIN_REPLICAS", "5"));
        var fromShell = await AzdRenderer.RenderServiceAsync(Services.Api, environment.WithProcessVariable("AZURE_API_MAX_REPLICAS", "20"));

        Assert.Equal((5, 10), (fromEnvSet.MinReplicas, fromEnvSet.MaxReplicas));
        Assert.Equal((3, 20), (fromShell.MinReplicas, fromShell.MaxReplicas));
    }

    [Fact]
    public async Task One_scale_rule_on_cpu_utilization()
    {
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);

        var rule = Assert.Single(api.Scale["rules"]!.AsArray())!;
        Assert.Null(rule["http"]);
        Assert.Null(rule["tcp"]);
        Assert.Equal("cpu", (string?)rule["custom"]!["type"]);
        Assert.Equal("Utilization", (string?)rule["custom"]!["metadata"]!["type"]);
        // KEDA metadata values are strings; a number here is refused by the API.
        Assert.Equal("70", (string?)rule["custom"]!["metadata"]!["value"]);
    }

    [Fact]
    public async Task Started_and_alive_on_alive_and_in_rotation_only_while_health_says_ready()
    {
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);

        var (startup, liveness, readiness) = (api.Probe("Startup"), api.Probe("Liveness"), api.Probe("Readiness"));
        Assert.Equal("/alive", (string?)startup["httpGet"]!["path"]);
        Assert.Equal("/alive", (string?)liveness["httpGet"]!["path"]);
        Assert.Equal("/health", (string?)readiness["httpGet"]!["path"]);
        Assert.All(new[] { startup, liveness, readiness }, probe =>
            Assert.Equal((long?)api.Ingress["targetPort"], (long?)probe["httpGet"]!["port"]));
        Assert.Equal((2, 30), ((long)startup["periodSeconds"]!, (long)startup["failureThreshold"]!));
        Assert.Equal((10, 3), ((long)liveness["periodSeconds"]!, (long)liveness["failureThreshold"]!));
        Assert.Equal((5, 2), ((long)readiness["periodSeconds"]!, (long)readiness["failureThreshold"]!));
        Assert.Equal(3, api.Container["probes"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_platform_waits_longer_than_a_replica_takes_to_drain()
    {
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);
        var defaults = new ConnectionOptions();

        // docs/operations.md: at least DrainWindow + CloseTimeout + 5 s for the host's own shutdown.
        var drain = defaults.DrainWindow + defaults.CloseTimeout + TimeSpan.FromSeconds(5);
        Assert.True(TimeSpan.FromSeconds((long)api.Template["terminationGracePeriodSeconds"]!) > drain);
    }

    [Fact]
    public async Task External_https_ingress_on_the_published_port_without_sticky_sessions()
    {
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);

        Assert.True((bool?)api.Ingress["external"]);
        Assert.Equal("http", (string?)api.Ingress["transport"]);
        Assert.False((bool?)api.Ingress["allowInsecure"]);
        Assert.Equal(8080, (long?)api.Ingress["targetPort"]);
        Assert.Null(api.Ingress["stickySessions"]);
        Assert.Equal((1.0, "2Gi"), ((double)api.Container["resources"]!["cpu"]!, (string?)api.Container["resources"]!["memory"]));
    }

    [Fact]
    public async Task Browsers_may_open_sockets_only_from_the_web_apps_https_address()
    {
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);

        Assert.Equal($"https://{Services.Web}.{AzdEnvironment.DefaultDomain}", api.Variable("Connections__AllowedOrigins__0"));
        Assert.DoesNotContain(api.Environment, variable => variable.Name.StartsWith("Connections__AllowedOrigins__", StringComparison.Ordinal)
            && variable.Name != "Connections__AllowedOrigins__0");
    }

    [Fact]
    public async Task The_client_address_is_believed_only_from_the_environments_proxies()
    {
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);

        var networks = api.Environment.Where(variable => variable.Name.StartsWith("FrontDoor__TrustedNetworks__", StringComparison.Ordinal))
            .Select(variable => variable.Value).ToList();
        Assert.Equal(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"], networks);
        Assert.All(networks, network => Assert.True(IPNetwork.TryParse(network, out _), network));
        // The framework's switch would believe X-Forwarded-For from any peer, beside FrontDoor's own handling.
        Assert.DoesNotContain(api.Environment, variable => variable.Name == "ASPNETCORE_FORWARDEDHEADERS_ENABLED");
    }

    [Fact]
    public async Task The_signing_key_is_the_generated_parameter_through_a_secret()
    {
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);

        Assert.Equal(AzdEnvironment.JwtSigningKey, api.SecretBehind("Auth__SigningKey"));
    }

    [Fact]
    public async Task During_a_key_rotation_the_retired_key_still_validates_and_afterwards_is_gone()
    {
        var environment = await AzdEnvironment.ForAsync(Services.Api);
        const string retired = "Old0Key1Old2Key3Old4Key5Old6Key7Old8Key9Old0Key1";

        var during = await AzdRenderer.RenderServiceAsync(Services.Api, environment.WithEnvSet("AZURE_JWT_PREVIOUS_SIGNING_KEY", retired));
        var after = await AzdRenderer.RenderServiceAsync(Services.Api, environment.WithEnvSet("AZURE_JWT_PREVIOUS_SIGNING_KEY", ""));

        Assert.Equal(retired, during.SecretBehind("Auth__PreviousSigningKeys__0"));
        Assert.Equal(AzdEnvironment.JwtSigningKey, during.SecretBehind("Auth__SigningKey"));
        Assert.DoesNotContain(after.Environment, variable => variable.Name.StartsWith("Auth__PreviousSigningKeys__", StringComparison.Ordinal));
        Assert.Equal(["auth--signingkey", "connectionstrings--redis"], after.Secrets.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task In_container_mode_the_api_connects_to_the_redis_app_with_the_generated_password()
    {
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);
        var redis = await AzdRenderer.RenderServiceAsync(Services.Redis);

        var expected = $"{Services.Redis}:{(long)redis.Ingress["exposedPort"]!},password={AzdEnvironment.RedisPassword},abortConnect=false";
        Assert.Equal(expected, api.SecretBehind("ConnectionStrings__redis"));
        Assert.Equal(AzdEnvironment.RedisPassword, redis.SecretBehind("REDIS_PASSWORD"));
    }

    [Fact]
    public async Task In_managed_mode_the_api_uses_the_given_connection_string_exactly()
    {
        var environment = await AzdEnvironment.ForAsync(Services.Api);

        var api = await AzdRenderer.RenderServiceAsync(Services.Api, environment.WithManagedRedis());

        Assert.Equal(AzdEnvironment.ManagedConnectionString, api.SecretBehind("ConnectionStrings__redis"));
    }

    [Fact]
    public async Task Managed_mode_without_a_connection_string_fails_the_deploy_and_names_the_parameter()
    {
        var environment = (await AzdEnvironment.ForAsync(Services.Api)).WithEnvSet("AZURE_REDIS_MODE", "managed");

        var result = await AzdRenderer.RenderAsync(RepositoryFiles.Template(Services.Api), environment);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("parameter redis_connection_string not found", result.Error, StringComparison.Ordinal);
    }
}
