using System.Diagnostics;
using StackExchange.Redis;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> (Debian's package) on a free loopback port with a password and, as production Redis
/// should have, an append-only file synced on every write, so a restart keeps the history and its epoch.
/// </summary>
public sealed class RedisServerProcess(TestCertificates? tls = null) : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = InProcessGarnet.FreePort();

    public string Password { get; } = Guid.NewGuid().ToString("N");

    private string DataDirectory { get; } = Directory.CreateTempSubdirectory("aspirenotify-redis-").FullName;

    /// <summary>With TLS, the client must check the server's name: the certificate is issued to localhost.</summary>
    public string ConnectionString => tls is null
        ? $"127.0.0.1:{Port},password={Password}"
        : $"127.0.0.1:{Port},password={Password},ssl=true,sslHost=localhost";

    public async Task StartAsync()
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] listen = tls is null
            ? ["--port", port]
            : ["--port", "0", "--tls-port", port, "--tls-cert-file", tls.ServerCertificatePath, "--tls-key-file", tls.ServerKeyPath,
               "--tls-ca-cert-file", tls.AuthorityPath, "--tls-auth-clients", "no"];
        var info = new ProcessStartInfo("redis-server",
            [.. listen, "--bind", "127.0.0.1",
             "--requirepass", Password, "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", DataDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("redis-server is not installed: apt-get install -y redis-server (.ci/run does this).", exception);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await Eventually.UntilAsync($"redis-server on port {Port} answering PING", async _ =>
        {
            var options = ConfigurationOptions.Parse(ConnectionString);
            if (tls is not null)
            {
                options.CertificateValidation += (_, certificate, _, _) => certificate?.Issuer == TestCertificates.AuthoritySubject;
            }

            await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            await redis.GetDatabase().PingAsync();
            return true;
        });
    }

    /// <summary>Kills the server as a crash would; what it acknowledged is in the append-only file for the restart.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
