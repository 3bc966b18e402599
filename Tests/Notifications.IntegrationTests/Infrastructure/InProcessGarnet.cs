using Garnet;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>A real Garnet server inside the test process, with a password and Lua, as the AppHost runs it.</summary>
public sealed class InProcessGarnet : IDisposable
{
    private readonly string _password = Guid.NewGuid().ToString("N");
    private readonly GarnetServer _server;
    private readonly int _port = LoopbackPorts.Free();

    public InProcessGarnet()
    {
        _server = GarnetHost.EmbeddedGarnet.Create("127.0.0.1", _port, _password, memory: "64m", index: "8m");
        _server.Start();
    }

    public string ConnectionString => $"127.0.0.1:{_port},password={_password}";

    public void Dispose() => _server.Dispose();
}
