namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>
/// Two replicas in one process sharing one Garnet: a message crosses Redis from one to the other. Their background work
/// (cluster reports, lease renewals) runs several times a second, so a test sees plenty of it.
/// </summary>
public sealed class TwoInProcessReplicas : IAsyncLifetime
{
    private static readonly Dictionary<string, string> FrequentHousekeeping = new()
    {
        ["Cluster:ReportInterval"] = "00:00:00.200",
        ["Cluster:EntryLifetime"] = "00:00:01",
        ["Limits:ConnectionLease"] = "00:00:03",
    };

    private readonly InProcessGarnet _garnet = new();

    private InProcessReplica? _first;
    private InProcessReplica? _second;

    public InProcessReplica First => _first ?? throw new InvalidOperationException("Not started.");

    public InProcessReplica Second => _second ?? throw new InvalidOperationException("Not started.");

    public Task InitializeAsync()
    {
        _first = new InProcessReplica(_garnet.ConnectionString, "first", FrequentHousekeeping);
        _second = new InProcessReplica(_garnet.ConnectionString, "second", FrequentHousekeeping);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        _garnet.Dispose();
    }
}
