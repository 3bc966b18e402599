using System.Collections.Immutable;
using System.Text.Json;

namespace Notifications.DeploymentTests;

/// <summary>
/// What azd hands a template on <c>azd deploy</c>: the azd environment's .env (main.bicep's outputs and the variables
/// azd writes itself), the process environment azd runs in, the environment's config (infra.parameters.*), the image
/// and the port <c>dotnet publish</c> reported.
/// </summary>
internal sealed record AzdEnvironment(
    ImmutableDictionary<string, string> Dotenv,
    ImmutableDictionary<string, string> Environ,
    ImmutableDictionary<string, string> InfraParameters,
    string Image,
    int Port)
{
    public const string DefaultDomain = "kindhill-1a2b3c4d.westeurope.azurecontainerapps.io";
    public const string RedisStorageName = "redis-data";
    public const string IdentityId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-dev/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi-abc";

    // Generated values have the lengths and alphabet main.bicep asks azd for.
    public const string JwtSigningKey = "k7Qm2Xv9Lp4Rt8Zw1Yc6Nb3Hs5Dj0Fg7Qm2Xv9Lp4Rt8Zw1A";
    public const string RedisPassword = "Rp4Tz8Wq1Mx6Vb2Nc9Lk3J";
    public const string WebAccessCode = "Ac7Hd2Ks9Qw4Ez1Rt6Yu3Ip8";

    /// <summary>A managed Redis connection string with every character YAML treats specially.</summary>
    public const string ManagedConnectionString = "my-cache.redis.cache.windows.net:6380,password=Ab+/c'd\"e#f: g\\h%{x}é,ssl=True,abortConnect=False";

    /// <summary>The values the variables azd sets itself; main.bicep's outputs come next to them.</summary>
    public static readonly IReadOnlyList<string> SetByAzd = ["AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_SUBSCRIPTION_ID"];

    public static async Task<AzdEnvironment> ForAsync(string service)
    {
        var infrastructure = await CompiledInfrastructure.GetAsync();
        var dotenv = infrastructure.OutputNames.ToImmutableDictionary(name => name, OutputValue)
            .Add("AZURE_ENV_NAME", "dev")
            .Add("AZURE_LOCATION", "westeurope")
            .Add("AZURE_SUBSCRIPTION_ID", "00000000-0000-0000-0000-000000000001");
        var parameters = ImmutableDictionary<string, string>.Empty
            .Add("jwt_signing_key", JwtSigningKey)
            .Add("redis_password", RedisPassword)
            .Add("web_access_code", WebAccessCode);
        // A project's image is the one azd published to the registry, with the port the SDK reported; a container's
        // is the manifest's own, and azd reports port 0 for it.
        return service == Services.Redis
            ? new AzdEnvironment(dotenv, ImmutableDictionary<string, string>.Empty, parameters, "docker.io/library/redis:8.6", 0)
            : new AzdEnvironment(dotenv, ImmutableDictionary<string, string>.Empty, parameters,
                $"acrabc.azurecr.io/aspire-notify/{service}-dev:azd-deploy-1767225600", 8080);
    }

    /// <summary><c>azd env set NAME value</c>: into .env, which <c>parameterWithDefault</c> reads.</summary>
    public AzdEnvironment WithEnvSet(string name, string value) => this with { Dotenv = Dotenv.SetItem(name, value) };

    /// <summary>A variable in the shell azd runs in.</summary>
    public AzdEnvironment WithProcessVariable(string name, string value) => this with { Environ = Environ.SetItem(name, value) };

    /// <summary><c>azd env config set infra.parameters.NAME value</c>.</summary>
    public AzdEnvironment WithInfraParameter(string name, string value) => this with { InfraParameters = InfraParameters.SetItem(name, value) };

    public AzdEnvironment WithManagedRedis() =>
        WithEnvSet("AZURE_REDIS_MODE", "managed").WithInfraParameter("redis_connection_string", ManagedConnectionString);

    public string ToJson() => JsonSerializer.Serialize(new
    {
        dotenv = Dotenv,
        environ = Environ,
        config = new { infra = new { parameters = InfraParameters } },
        image = Image,
        port = Port,
    });

    private static string OutputValue(string output) => output switch
    {
        "AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN" => DefaultDomain,
        "AZURE_CONTAINER_APPS_ENVIRONMENT_ID" => "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-dev/providers/Microsoft.App/managedEnvironments/cae-abc",
        "AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID" => IdentityId,
        "AZURE_CONTAINER_REGISTRY_ENDPOINT" => "acrabc.azurecr.io",
        "MANAGED_IDENTITY_CLIENT_ID" => "11111111-2222-3333-4444-555555555555",
        "SERVICE_REDIS_VOLUME_DATA_NAME" => RedisStorageName,
        _ => $"{output.ToLowerInvariant()}-value",
    };
}
