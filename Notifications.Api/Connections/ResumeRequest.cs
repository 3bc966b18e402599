using System.Globalization;

namespace Notifications.Api.Connections;

/// <summary>
/// What a reconnecting client asks for: <c>?epoch=&lt;epoch&gt;&amp;since=&lt;stream&gt;:&lt;seq&gt;,…</c>, the last seq it saw
/// per stream. A stream name may itself contain a colon, so each position splits at its last one.
/// </summary>
public sealed record ResumeRequest(string? Epoch, IReadOnlyDictionary<string, long> Since)
{
    /// <summary>Parses the query; <paramref name="error"/> explains a malformed or forbidden position.</summary>
    public static bool TryParse(string? epoch, string? since, IReadOnlySet<string> readableStreams, out ResumeRequest? request, out string? error)
    {
        (request, error) = (null, null);
        if (string.IsNullOrEmpty(since))
        {
            return true;
        }

        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var position in since.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = position.LastIndexOf(':');
            if (colon <= 0
                || !long.TryParse(position.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                error = $"'{position}' is not <stream>:<seq> with a non-negative integer seq.";
                return false;
            }

            var stream = position[..colon];
            if (!readableStreams.Contains(stream))
            {
                error = $"This connection cannot read stream '{stream}'.";
                return false;
            }

            if (!positions.TryAdd(stream, seq))
            {
                error = $"Stream '{stream}' appears twice.";
                return false;
            }
        }

        request = new ResumeRequest(string.IsNullOrEmpty(epoch) ? null : epoch, positions);
        return true;
    }
}
