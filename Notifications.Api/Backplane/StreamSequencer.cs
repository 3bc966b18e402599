namespace Notifications.Api.Backplane;

/// <summary>
/// The order rules of one stream on this replica, with no I/O: messages leave in seq order and exactly once. A
/// duplicate (at or below the last seq) is dropped; one ahead of a missing seq waits among the early arrivals until
/// the missing ones arrive or are read from the history (<see cref="Fill"/>); a new epoch starts the stream over.
/// </summary>
internal sealed class StreamSequencer(string epoch, long lastSeq)
{
    /// <summary>Early arrivals held at most; past it the gap is filled from the history at once.</summary>
    public const int MaxEarly = 1000;

    private SortedList<long, NotificationEnvelope>? _early;

    public string Epoch { get; private set; } = epoch;

    /// <summary>The last seq handed on; everything at or below it has been delivered (or reported lost).</summary>
    public long LastSeq { get; private set; } = lastSeq;

    /// <summary>The end of the gap before the earliest early arrival, when one waits: seqs (LastSeq, GapEnd] are missing.</summary>
    public long? GapEnd => _early is { Count: > 0 } ? _early.Keys[0] - 1 : null;

    /// <summary>Too many early arrivals wait: the gap must be filled now rather than after the reorder window.</summary>
    public bool MustFillNow => _early is { Count: > MaxEarly };

    /// <summary>Takes a message from the channel; returns what may now be delivered, in order.</summary>
    public Accepted Accept(NotificationEnvelope envelope)
    {
        string? previousEpoch = null;
        if (!TryContinue(envelope.Epoch))
        {
            previousEpoch = Epoch;
            Restart(envelope.Epoch, envelope.Seq - 1);
        }

        if (envelope.Seq <= LastSeq)
        {
            return new Accepted([], previousEpoch);
        }

        if (envelope.Seq != LastSeq + 1)
        {
            (_early ??= []).TryAdd(envelope.Seq, envelope);
            return new Accepted([], previousEpoch);
        }

        LastSeq = envelope.Seq;
        return new Accepted([envelope, .. TakeNextEarly()], previousEpoch);
    }

    /// <summary>
    /// What the history held for the gap up to <paramref name="toSeq"/>: when it holds all of it, that is delivered,
    /// otherwise the gap is lost and the stream's clients must resume. Either way the stream moves on to
    /// <paramref name="toSeq"/>, and the early arrivals that now follow are delivered too.
    /// </summary>
    public Filled Fill(HistoryRange range, long toSeq)
    {
        var fromSeq = LastSeq;
        IReadOnlyList<NotificationEnvelope> gap = range.Complete ? [.. range.Envelopes.Where(envelope => envelope.Seq > LastSeq)] : [];
        LastSeq = Math.Max(LastSeq, toSeq);
        return new Filled([.. gap, .. TakeNextEarly()], Lost: !range.Complete, fromSeq);
    }

    /// <summary>
    /// Whether <paramref name="epoch"/> continues this stream: it is the same, or the stream's first (this replica
    /// started following it before anything was published), which is adopted.
    /// </summary>
    public bool TryContinue(string epoch)
    {
        if (epoch == Epoch)
        {
            return true;
        }

        if (Epoch != StreamHead.NoEpoch || LastSeq != 0)
        {
            return false;
        }

        Epoch = epoch;
        return true;
    }

    /// <summary>Starts over (a new epoch): positions of the old one mean nothing, and early arrivals are dropped.</summary>
    public void Restart(string newEpoch, long newLastSeq) => (Epoch, LastSeq, _early) = (newEpoch, newLastSeq, null);

    /// <summary>Early arrivals that are next in line now; those already delivered are dropped.</summary>
    private List<NotificationEnvelope> TakeNextEarly()
    {
        var next = new List<NotificationEnvelope>();
        while (_early is { Count: > 0 } && _early.Keys[0] <= LastSeq + 1)
        {
            var envelope = _early.Values[0];
            _early.RemoveAt(0);
            if (envelope.Seq == LastSeq + 1)
            {
                next.Add(envelope);
                LastSeq = envelope.Seq;
            }
        }

        if (_early is { Count: 0 })
        {
            _early = null;
        }

        return next;
    }

    /// <param name="PreviousEpoch">Set when the message started a new epoch: the stream's clients must resume.</param>
    public readonly record struct Accepted(IReadOnlyList<NotificationEnvelope> Deliver, string? PreviousEpoch);

    /// <param name="FromSeq">The last seq before the gap.</param>
    public readonly record struct Filled(IReadOnlyList<NotificationEnvelope> Deliver, bool Lost, long FromSeq);
}
