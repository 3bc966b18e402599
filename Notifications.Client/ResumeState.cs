using Notifications.Contract;

namespace Notifications.Client;

/// <summary>
/// Where this client stands, across reconnects: the history epoch and the last seq delivered per stream, and the
/// rules that move them (a welcome starts the streams the client has no position in; a resume that did not recover
/// restarts the streams it lost from the welcome's positions). Thread-safe: the receive loop writes it while the
/// application reads positions or a resume point.
/// </summary>
public sealed class ResumeState
{
    private readonly Lock _gate = new();
    private readonly StreamPositions _positions = new();
    private IReadOnlyDictionary<string, long> _welcomePositions = new Dictionary<string, long>();
    private string? _epoch;

    public ResumeState(ResumePoint? from = null)
    {
        if (from is not null)
        {
            _epoch = from.Epoch;
            foreach (var (stream, seq) in from.Positions)
            {
                _positions.Reset(stream, seq);
            }
        }
    }

    public string? Epoch
    {
        get
        {
            lock (_gate)
            {
                return _epoch;
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

    /// <summary>What to save to resume after a restart of the application; null before the first welcome.</summary>
    public ResumePoint? ResumePoint
    {
        get
        {
            lock (_gate)
            {
                return _epoch is null ? null : new ResumePoint(_epoch, new Dictionary<string, long>(_positions.Current));
            }
        }
    }

    /// <summary>The <c>epoch</c> and <c>since</c> query of a resume, or null when there is nothing to resume from.</summary>
    public string? ResumeQuery()
    {
        lock (_gate)
        {
            return _epoch is null
                ? null
                : $"{QueryParameters.Epoch}={Uri.EscapeDataString(_epoch)}&{QueryParameters.Since}={Uri.EscapeDataString(_positions.ToSinceParameter())}";
        }
    }

    /// <summary>
    /// A welcome: the epoch is the server's now. A stream the client has no position in starts at the welcome's
    /// position; one it resumes waits for its replay (or for <see cref="OnResumed"/> to say it was lost).
    /// </summary>
    public void OnWelcome(WelcomeFrame welcome, bool resuming)
    {
        lock (_gate)
        {
            _epoch = welcome.Epoch;
            _welcomePositions = welcome.Positions;
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

    /// <summary>True when the notification is new for its stream, which then moves to it; false for a duplicate.</summary>
    public bool TryAdvance(string stream, long seq)
    {
        lock (_gate)
        {
            return _positions.TryAdvance(stream, seq);
        }
    }
}
