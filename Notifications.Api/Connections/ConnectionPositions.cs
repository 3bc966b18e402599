namespace Notifications.Api.Connections;

/// <summary>What to do with a live notification, from the connection's position in its stream.</summary>
internal enum LiveAdmission
{
    /// <summary>Newer than the position: sent, and the position moves to it.</summary>
    Send,

    /// <summary>Already sent, or of a stream the connection does not read (any more): dropped.</summary>
    Drop,

    /// <summary>Of a stream the connection is starting (a <c>subscribe</c> in progress): waits for its start.</summary>
    Wait,
}

/// <summary>
/// The streams one connection reads and its position in each: the user's, the broadcast, and its topics, which come and
/// go. One small array of entries replaced on change (a connection reads two streams unless it uses topics); not
/// thread-safe, the connection's lock guards it.
/// </summary>
internal sealed class ConnectionPositions
{
    private Entry[] _entries = [];

    private struct Entry(string stream, long seq, string? epoch, bool starting)
    {
        public readonly string Stream = stream;
        public long Seq = seq;
        public string? Epoch = epoch;
        public bool Starting = starting;
    }

    public int Count => _entries.Length;

    /// <summary>Reads <paramref name="stream"/> from <paramref name="seq"/> on, in <paramref name="epoch"/>.</summary>
    public void Start(string stream, long seq, string epoch)
    {
        var index = IndexOf(stream);
        if (index < 0)
        {
            _entries = [.. _entries, new Entry(stream, seq, epoch, starting: false)];
        }
        else
        {
            _entries[index] = new Entry(stream, seq, epoch, starting: false);
        }
    }

    /// <summary>Adds a stream whose position is not known yet: its notifications wait. False when the connection has it.</summary>
    public bool BeginStarting(string stream)
    {
        if (IndexOf(stream) >= 0)
        {
            return false;
        }

        _entries = [.. _entries, new Entry(stream, 0, null, starting: true)];
        return true;
    }

    public bool Remove(string stream)
    {
        var index = IndexOf(stream);
        if (index < 0)
        {
            return false;
        }

        _entries = [.. _entries.AsSpan(0, index), .. _entries.AsSpan(index + 1)];
        return true;
    }

    public bool Contains(string stream) => IndexOf(stream) >= 0;

    /// <summary>The epoch the connection reads <paramref name="stream"/> in; null while it is starting or not read.</summary>
    public string? EpochOf(string stream) => IndexOf(stream) is var index and >= 0 ? _entries[index].Epoch : null;

    /// <summary>Judges a live notification and, when it is sent, moves the stream's position to it.</summary>
    public LiveAdmission Admit(string stream, long seq)
    {
        var index = IndexOf(stream);
        if (index < 0)
        {
            return LiveAdmission.Drop;
        }

        ref var entry = ref _entries[index];
        if (entry.Starting)
        {
            return LiveAdmission.Wait;
        }

        if (seq <= entry.Seq)
        {
            return LiveAdmission.Drop;
        }

        entry.Seq = seq;
        return LiveAdmission.Send;
    }

    /// <summary>Linear: a connection reads a handful of streams, and a stream name is usually the very string instance.</summary>
    private int IndexOf(string stream)
    {
        var entries = _entries;
        for (var i = 0; i < entries.Length; i++)
        {
            if (ReferenceEquals(entries[i].Stream, stream) || string.Equals(entries[i].Stream, stream, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
