using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AppHost;

/// <summary>
/// The per-run directories of local executables (configuration files with the backplane password, append-only files,
/// front-door temp files): private to the user that runs the AppHost, and deleted once it has stopped, so that runs do
/// not pile up data and secrets in the temp folder. A killed AppHost leaves its directory behind.
/// </summary>
internal static class RunDirectories
{
    public static string Create(IDistributedApplicationBuilder builder, string prefix)
    {
        // CreateTempSubdirectory gives the directory mode 700 on Unix.
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        builder.Services.AddSingleton<IHostedService>(services =>
            new DeleteWhenStopped(path, services.GetRequiredService<IHostApplicationLifetime>()));
        return path;
    }

    /// <summary>Deletes after the whole application stopped, when the executables writing into it have been stopped too.</summary>
    private sealed class DeleteWhenStopped(string path, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopped.Register(Delete);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private void Delete()
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A process that outlived the AppHost still holds a file in it; the temp folder's own cleanup takes it.
            }
        }
    }
}
