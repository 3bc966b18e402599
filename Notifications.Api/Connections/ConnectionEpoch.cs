using Notifications.Api.Backplane;

namespace Notifications.Api.Connections;

/// <summary>
/// The <c>epoch</c> a connection's welcome carries: the epochs of its streams, in the connection's stream order, joined
/// with dots. Opaque to clients, who send it back to resume; the server reads from it which streams kept their history.
/// </summary>
public static class ConnectionEpoch
{
    private const char Separator = '.';

    public static string Compose(IReadOnlyList<string> streams, IReadOnlyDictionary<string, StreamHead> heads) =>
        string.Join(Separator, streams.Select(stream => heads[stream].Epoch));

    /// <summary>Each stream's epoch in a client's <paramref name="epoch"/>; empty when it is missing or of another shape.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? epoch, IReadOnlyList<string> streams)
    {
        var parts = epoch?.Split(Separator) ?? [];
        return parts.Length == streams.Count
            ? streams.Zip(parts).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal)
            : new Dictionary<string, string>();
    }

    /// <summary>
    /// Whether positions taken in <paramref name="clientEpoch"/> still hold in the stream's <paramref name="current"/>
    /// one: the same epoch, or a stream that had none yet when the client saw it (so it saw nothing that could be lost).
    /// </summary>
    public static bool Continues(string? clientEpoch, string current) =>
        clientEpoch == current || clientEpoch == StreamHead.NoEpoch;
}
