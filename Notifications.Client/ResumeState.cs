using Notifications.Contract;

namespace Notifications.Client;

/// <summary>
/// Where this client stands, across reconnects: the history epoch of each stream, the last seq delivered per stream and
/// the topics it reads, and the rules that move them (a welcome starts the streams the client has no position in; a
/// resume that did not recover restarts the streams it lost from the welcome's positions; a <c>subscribed</c> starts a
/// topic). Thread-safe: the receive loop writes it while the application reads positions or a resume point.
/// </summary>
public sealed class ResumeState
{
    private const char EpochSeparator = '.';

    private readonly Lock _gate = new();
    private readonly StreamPositions _positions = new();
    private readonly Dictionary<string, string> _epochs = new(StringComparer.Ordinal);
    private readonly List<string> _topics = [];
    private IReadOnlyDictionary<string, long> _welcomePositions = new Dictionary<string, long>();
    private string[] _welcomeStreams = [];
    private string? _savedEpoch;

    public ResumeState(ResumePoint? from = null, IEnumerable<string>? topics = null)
    {
        _topics.AddRange((from?.Topics ?? []).Concat(topics ?? []).Distinct(StringComparer.Ordinal));
        if (from is not null)
        {
            _savedEpoch = from.Epoch;
            foreach (var (stream, seq) in from.Positions)
            {
                _positions.Reset(stream, seq);
            }
        }
    }

    /// <summary>The connection epoch a reconnect sends: the user's and the broadcast's epochs, then each topic's, joined with dots.</summary>
    public string? Epoch
    {
        get
        {
            lock (_gate)
            {
                return ComposeEpoch();
            }
        }
    }

    public IReadOnlyDictionary<string, long> Positions
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, long>(_positions.Current);
            }
        }
    }

    /// <summary>The topics the client reads (or will, at its next connect), in the order it subscribed.</summary>
    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_gate)
            {
                return [.. _topics];
            }
        }
    }

    /// <summary>What to save to resume after a restart of the application; null before the first welcome.</summary>
    public ResumePoint? ResumePoint
    {
        get
        {
            lock (_gate)
            {
                return ComposeEpoch() is { } epoch ? new ResumePoint(epoch, new Dictionary<string, long>(_positions.Current), [.. _topics]) : null;
            }
        }
    }

    /// <summary>
    /// The query of the next connect: its topics, and, once the client has positions, the <c>epoch</c> and <c>since</c> to
    /// resume from; <paramref name="resuming"/> says whether it resumes.
    /// </summary>
    public string ConnectQuery(out bool resuming)
    {
        lock (_gate)
        {
            var parts = new List<string>();
            if (_topics.Count > 0)
            {
                parts.Add($"{QueryParameters.Topics}={Uri.EscapeDataString(string.Join(',', _topics))}");
            }

            var epoch = ComposeEpoch();
            var since = string.Join(',', _positions.Current.Where(position => Resumable(position.Key)).Select(position => $"{position.Key}:{position.Value}"));
            resuming = epoch is not null && since.Length > 0;
            if (resuming)
            {
                parts.Add($"{QueryParameters.Epoch}={Uri.EscapeDataString(epoch!)}&{QueryParameters.Since}={Uri.EscapeDataString(since)}");
            }

            return string.Join('&', parts);
        }
    }

    /// <summary>Adds a topic to those the client reads; false when it already does.</summary>
    public bool AddTopic(string topic)
    {
        lock (_gate)
        {
            if (_topics.Contains(topic))
            {
                return false;
            }

            _topics.Add(topic);
            return true;
        }
    }

    /// <summary>Forgets a topic, its position and its epoch: nothing of its stream is delivered any more.</summary>
    public bool RemoveTopic(string topic)
    {
        lock (_gate)
        {
            var stream = Streams.ForTopic(topic);
            _positions.Remove(stream);
            _epochs.Remove(stream);
            return _topics.Remove(topic);
        }
    }

    /// <summary>
    /// A welcome: each stream's epoch is the server's now (its epoch lists them in the welcome's stream order). A stream
    /// the client has no position in starts at the welcome's position; one it resumes waits for its replay (or for
    /// <see cref="OnResumed"/> to say it was lost).
    /// </summary>
    public void OnWelcome(WelcomeFrame welcome, bool resuming)
    {
        lock (_gate)
        {
            _welcomePositions = welcome.Positions;
            _welcomeStreams = [.. welcome.Positions.Keys];
            _savedEpoch = null;
            foreach (var (stream, epoch) in _welcomeStreams.Zip(welcome.Epoch.Split(EpochSeparator)))
            {
                _epochs[stream] = epoch;
            }

            foreach (var (stream, head) in welcome.Positions)
            {
                if (!resuming || !_positions.Current.ContainsKey(stream))
                {
                    _positions.Reset(stream, head);
                }
            }
        }
    }

    /// <summary>What was lost cannot come back: the lost streams carry on from where they stood at the welcome.</summary>
    public ResumeResult OnResumed(ResumedFrame resumed)
    {
        lock (_gate)
        {
            foreach (var stream in resumed.Streams)
            {
                _positions.Reset(stream, _welcomePositions.GetValueOrDefault(stream));
            }
        }

        return new ResumeResult(resumed.Recovered, resumed.Missed, resumed.Reason, resumed.Streams);
    }

    /// <summary>
    /// A topic started: from its position on, unless its catch-up recovered (then the replay before it moved the
    /// position already). A topic the client left meanwhile stays left.
    /// </summary>
    public void OnSubscribed(SubscribedFrame subscribed)
    {
        lock (_gate)
        {
            if (!_topics.Contains(subscribed.Topic))
            {
                return;
            }

            _epochs[subscribed.Stream] = subscribed.Epoch;
            if (subscribed.Recovered is not true)
            {
                _positions.Reset(subscribed.Stream, subscribed.Position);
            }
        }
    }

    /// <summary>The <c>since</c> and <c>epoch</c> a subscribe sends to catch up with a topic the client had a position in.</summary>
    public (long Since, string Epoch)? CatchUpPoint(string topic)
    {
        lock (_gate)
        {
            var stream = Streams.ForTopic(topic);
            return _positions.Current.TryGetValue(stream, out var since) && _epochs.TryGetValue(stream, out var epoch) ? (since, epoch) : null;
        }
    }

    /// <summary>True when the notification is new for a stream the client reads, which then moves to it; false for a duplicate.</summary>
    public bool TryAdvance(string stream, long seq)
    {
        lock (_gate)
        {
            return _positions.Current.ContainsKey(stream) && _positions.TryAdvance(stream, seq);
        }
    }

    /// <summary>Only the streams the next connect reads can be resumed: the user's, the broadcast, and the client's topics.</summary>
    private bool Resumable(string stream) =>
        !Streams.TryGetTopic(stream, out var topic) || _topics.Contains(topic);

    private string? ComposeEpoch()
    {
        if (_welcomeStreams.Length == 0)
        {
            return _savedEpoch;
        }

        var streams = _welcomeStreams.Where(stream => !Streams.TryGetTopic(stream, out _)).Concat(_topics.Select(Streams.ForTopic));
        return string.Join(EpochSeparator, streams.Select(stream => _epochs.GetValueOrDefault(stream, "-")));
    }
}
