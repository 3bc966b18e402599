namespace Notifications.Client;

/// <summary>
/// The last seq this client has of each stream. A notification at or below it is a duplicate (a replay overlapping
/// live delivery, or a second copy) and is dropped; the positions are what a reconnect resumes from.
/// </summary>
public sealed class StreamPositions
{
    private readonly Dictionary<string, long> _positions = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Current => _positions;

    /// <summary>True when <paramref name="seq"/> is new for the stream, which then moves to it.</summary>
    public bool TryAdvance(string stream, long seq)
    {
        if (_positions.TryGetValue(stream, out var position) && seq <= position)
        {
            return false;
        }

        _positions[stream] = seq;
        return true;
    }

    /// <summary>Starts a stream over at <paramref name="seq"/> (the server's head at connect), whatever came before.</summary>
    public void Reset(string stream, long seq) => _positions[stream] = seq;

    public bool Remove(string stream) => _positions.Remove(stream);

    /// <summary>The <c>since</c> query value: <c>stream:seq</c> pairs, comma-separated.</summary>
    public string ToSinceParameter() => string.Join(',', _positions.Select(position => $"{position.Key}:{position.Value}"));
}
