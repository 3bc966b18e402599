namespace SignalRPeer;

/// <summary>How many connections and distinct users this instance holds (SignalR itself does not say).</summary>
public sealed class HubConnections
{
    private readonly Dictionary<string, int> _perUser = [];
    private readonly Lock _gate = new();
    private int _total;

    public int Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    public int Users
    {
        get
        {
            lock (_gate)
            {
                return _perUser.Count;
            }
        }
    }

    public void Add(string? userId)
    {
        lock (_gate)
        {
            _total++;
            var key = userId ?? "";
            _perUser[key] = _perUser.GetValueOrDefault(key) + 1;
        }
    }

    public void Remove(string? userId)
    {
        lock (_gate)
        {
            _total--;
            var key = userId ?? "";
            if (--_perUser[key] == 0)
            {
                _perUser.Remove(key);
            }
        }
    }
}
