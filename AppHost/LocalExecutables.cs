using System.Net;
using System.Net.Sockets;

namespace AppHost;

/// <summary>What the resources that run a program from this machine's packages (nginx, HAProxy, Redis) need.</summary>
public static class LocalExecutables
{
    /// <summary>
    /// A loopback port nobody listens on right now. Taken when the app model is built, so that configuration files and
    /// connection strings can name it, and kept for the run, so a resource started again listens where it did.
    /// </summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Without the program there is nothing to run: say so, and which package brings it, before anything starts.</summary>
    public static void RequireInstalled(string program, string package, string chosenBy, string alternative)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Concat(["/usr/sbin", "/sbin"])
            .Any(directory => File.Exists(Path.Combine(directory, program)));
        if (!onPath)
        {
            throw new DistributedApplicationException(
                $"{chosenBy} runs {program}, which is not installed: sudo apt-get install -y {package} (or {alternative}).");
        }
    }
}
