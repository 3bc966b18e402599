using Garnet;
using Microsoft.Extensions.Options;

namespace GarnetHost;

/// <summary>Runs Microsoft.Garnet in this process for as long as the host runs.</summary>
internal sealed class GarnetServerHost(IOptions<GarnetOptions> options, ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<GarnetServerHost>();
    private GarnetServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        _server = EmbeddedGarnet.Create(settings.Bind, settings.Port, settings.Password, loggerFactory);
        _server.Start();
        GarnetLog.Listening(_logger, settings.Bind, settings.Port);
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
}
