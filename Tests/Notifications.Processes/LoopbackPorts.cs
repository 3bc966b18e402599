using System.Net;
using System.Net.Sockets;

namespace Notifications.Processes;

public static class LoopbackPorts
{
    /// <summary>A loopback port nobody listens on right now, for a server about to be started.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
