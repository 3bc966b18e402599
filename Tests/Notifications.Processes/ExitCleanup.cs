using System.Runtime.InteropServices;

namespace Notifications.Processes;

/// <summary>
/// Kills the processes a test or bench run started when the run itself ends: at a normal exit, at Ctrl+C, and at
/// SIGTERM — which since .NET 10 ends a process without raising ProcessExit, so that alone would leave them running.
/// </summary>
public sealed class ExitCleanup : IDisposable
{
    private readonly Action _kill;
    private readonly PosixSignalRegistration _terminate;

    /// <param name="kill">Must not wait: it runs inside a signal handler or while the runtime shuts down.</param>
    public ExitCleanup(Action kill)
    {
        _kill = kill;
        AppDomain.CurrentDomain.ProcessExit += OnExit;
        Console.CancelKeyPress += OnExit;
        // Without Cancel set, the process still terminates once the handler returns, as it would have without it.
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => kill());
    }

    /// <summary>Once the processes were stopped the ordinary way, so that finished runs do not pile up handlers.</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        Console.CancelKeyPress -= OnExit;
        _terminate.Dispose();
    }

    private void OnExit(object? sender, EventArgs e) => _kill();
}
