namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>One in-process Garnet shared by a test class whose tests each start their own replica.</summary>
public sealed class GarnetFixture : IDisposable
{
    public InProcessGarnet Garnet { get; } = new();

    public InProcessReplica StartReplica(Dictionary<string, string> settings, string environment = "Development") =>
        new(Garnet.ConnectionString, $"replica-{Guid.NewGuid():N}", settings, environment);

    public void Dispose() => Garnet.Dispose();
}
