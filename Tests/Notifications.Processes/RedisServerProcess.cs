using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Notifications.Processes;

/// <summary>How a <see cref="RedisServerProcess"/> runs.</summary>
public sealed record RedisServerOptions
{
    /// <summary>
    /// An append-only file synced on every write, as production Redis should have, so a restart keeps the history and
    /// its epoch. Off for load runs, which measure the API, not the disk.
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>Serve TLS only, with this server certificate.</summary>
    public TestCertificates? Tls { get; init; }

    /// <summary>More <c>redis-server</c> arguments, such as <c>--maxclients</c> or an ACL file.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The default user's password; unset, a new one. Servers that replicate from each other share one.</summary>
    public string? Password { get; init; }
}

/// <summary>A real <c>redis-server</c> (Debian's package) on a free loopback port with a password.</summary>
public sealed class RedisServerProcess(RedisServerOptions? options = null) : IRedisDeployment
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly RedisServerOptions _options = options ?? new RedisServerOptions();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;

    public int Port { get; } = LoopbackPorts.Free();

    public string Password { get; } = options?.Password ?? Guid.NewGuid().ToString("N");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server's process id while it runs, for signals such as SIGSTOP.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("redis-server is not running.");

    public IReadOnlyList<int> ProcessIds => [ProcessId];

    public IReadOnlyList<RedisServerProcess> Servers => [this];

    /// <summary>
    /// Whether the server still runs and, if not, how it ended — 137 is a SIGKILL from outside, 134 or 139 a crash —
    /// with the last lines it wrote, for a run that finds it gone.
    /// </summary>
    public string Describe()
    {
        var state = _process switch
        {
            null => "not started",
            { HasExited: false } => "running",
            { } exited => string.Create(CultureInfo.InvariantCulture, $"exited with code {exited.ExitCode}"),
        };
        return $"redis-server {Endpoint}: {state}; last output:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", _output.TakeLast(10))}";
    }

    /// <summary>The address other servers and redis-cli reach this one at.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    private string DataDirectory { get; } = Directory.CreateTempSubdirectory("aspirenotify-redis-").FullName;

    /// <summary>With TLS, the client must check the server's name: the certificate is issued to localhost.</summary>
    public string ConnectionString => _options.Tls is null
        ? $"127.0.0.1:{Port},password={Password}"
        : $"127.0.0.1:{Port},password={Password},ssl=true,sslHost=localhost";

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("redis-server", [.. Arguments()])
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

        DataReceivedEventHandler keep = (_, line) =>
        {
            if (line.Data is { } text)
            {
                _output.Enqueue(text);
                while (_output.Count > 100 && _output.TryDequeue(out string? _))
                {
                }
            }
        };
        _process.OutputDataReceived += keep;
        _process.ErrorDataReceived += keep;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!await WaitUntilAnsweringAsync())
        {
            throw new InvalidOperationException($"redis-server exited at start:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
        }
    }

    /// <summary>A client for the test's own look at the server (keys, channels, ACLs), as the default user.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectAsync(connectTimeout: null);

    private Task<ConnectionMultiplexer> ConnectAsync(TimeSpan? connectTimeout)
    {
        var configuration = ConfigurationOptions.Parse(ConnectionString);
        configuration.AllowAdmin = true;
        if (connectTimeout is { } timeout)
        {
            configuration.ConnectTimeout = (int)timeout.TotalMilliseconds;
        }

        if (_options.Tls is { } tls)
        {
            configuration.CertificateValidation += (_, certificate, _, _) => certificate?.Issuer == tls.AuthoritySubject;
        }

        return ConnectionMultiplexer.ConnectAsync(configuration);
    }

    /// <summary>Kills the server as a crash would; with <see cref="RedisServerOptions.Durable"/>, what it acknowledged is kept.</summary>
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

    /// <summary>Stops the server in its tracks (SIGSTOP): connections stay open and commands go unanswered.</summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>Lets a frozen server go on (SIGCONT), from exactly where it stood.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    /// <summary>For exit handlers, which cannot wait.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, ProcessId.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} of redis-server failed with {kill.ExitCode}.");
        }
    }

    private IEnumerable<string> Arguments()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        IEnumerable<string> listen = _options.Tls is { } tls
            ? ["--port", "0", "--tls-port", port, "--tls-cert-file", tls.ServerCertificatePath, "--tls-key-file", tls.ServerKeyPath,
               "--tls-ca-cert-file", tls.AuthorityPath, "--tls-auth-clients", "no"]
            : ["--port", port];
        IEnumerable<string> persistence = _options.Durable
            ? ["--appendonly", "yes", "--appendfsync", "always"]
            : ["--appendonly", "no"];
        return [.. listen, "--bind", "127.0.0.1", "--requirepass", Password, "--save", "", .. persistence, "--dir", DataDirectory,
            .. _options.Arguments];
    }

    /// <summary>True once the server answers PING; false if it exited first.</summary>
    private async Task<bool> WaitUntilAnsweringAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // A replica's subscription connection can hang in its handshake for the whole connect timeout (5 s by
                // default) although the server answers; a short one and another attempt are quicker.
                await using var redis = await ConnectAsync(TimeSpan.FromSeconds(1));
                await redis.GetDatabase().PingAsync();
                return true;
            }
            catch (RedisConnectionException) when (deadline.Elapsed < StartTimeout)
            {
                if (!IsRunning)
                {
                    return false;
                }

                await Task.Delay(100);
            }
        }
    }
}
