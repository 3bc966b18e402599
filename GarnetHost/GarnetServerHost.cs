using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Garnet;
using Garnet.server.Auth.Settings;
using Microsoft.Extensions.Options;

namespace GarnetHost;

/// <summary>Where and how the embedded Redis-compatible server listens.</summary>
public sealed class GarnetOptions
{
    public const string SectionName = "Garnet";

    [Required]
    public string Bind { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 6379;

    /// <summary>Every client must AUTH with this; the AppHost generates it, so a dev backplane is never open.</summary>
    [Required, MinLength(8)]
    public string Password { get; set; } = "";
}

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

/// <summary>Runs Microsoft.Garnet in this process for as long as the host runs.</summary>
internal sealed partial class GarnetServerHost(IOptions<GarnetOptions> options, ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<GarnetServerHost>();
    private GarnetServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Lua makes the atomic publish-and-append script work; the memory caps suit a dev backplane, not a data store.
        string[] arguments =
        [
            "--bind", settings.Bind,
            "--port", settings.Port.ToString(CultureInfo.InvariantCulture),
            "--lua", "true",
            "--memory", "256m",
            "--index", "16m",
        ];
        // cleanupDir must stay false: Garnet's data folder defaults to the working directory, which it would delete.
        _server = new GarnetServer(arguments, loggerFactory, cleanupDir: false, new PasswordAuthenticationSettings(settings.Password));
        _server.Start();
        LogListening(_logger, settings.Bind, settings.Port);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _server?.Dispose();
        _server = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Garnet is listening on {Bind}:{Port} with password authentication")]
    private static partial void LogListening(ILogger logger, string bind, int port);
}
