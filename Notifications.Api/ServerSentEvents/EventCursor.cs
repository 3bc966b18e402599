using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;

namespace Notifications.Api.ServerSentEvents;

/// <summary>
/// The <c>id</c> of an event, which a reconnecting client sends back as <c>Last-Event-ID</c>: where it stands in every
/// stream of its connection. Version 1 reads <c>1.&lt;streams&gt;.&lt;epoch&gt;:&lt;seq&gt;.&lt;epoch&gt;:&lt;seq&gt;…</c>:
/// the version; eight hex digits naming the connection's streams in their order (FNV-1a of their names), so that a
/// cursor of another user or of other topics is refused rather than misread; then, per stream in the connection's order
/// (user, broadcast, then topics), its history epoch (<c>-</c> before its first message) and the last seq the client has.
/// Example: <c>1.6c1f0a2e.3f9c2a71b04e5d86:41.08de3ea0a5bf4343:1020</c>. It carries no secret and grants nothing: the
/// token decides which streams are read, the cursor only where they resume.
/// </summary>
public static class EventCursor
{
    /// <summary>The first field of every cursor of this format; a new format gets a new version.</summary>
    public const string Version = "1";

    /// <summary>The epoch a cursor gives a stream whose epoch the client did not send: it matches none, so it resumes as <c>epoch_changed</c>.</summary>
    public const string UnknownEpoch = "0";

    private const char Separator = '.';
    private const string SeparatorText = ".";
    private const char PositionSeparator = ':';
    private const string PositionSeparatorText = ":";
    private const int MaxEpochLength = 32;
    private static readonly SearchValues<char> EpochCharacters = SearchValues.Create("0123456789abcdef");

    /// <summary>The eight hex digits that name <paramref name="streams"/> in this order.</summary>
    public static string StreamsTag(IReadOnlyList<string> streams)
    {
        var hash = 2166136261u;
        foreach (var stream in streams)
        {
            foreach (var b in Encoding.UTF8.GetBytes(stream + "\n"))
            {
                hash = (hash ^ b) * 16777619u;
            }
        }

        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>Writes the cursor of positions <paramref name="seqs"/> in <paramref name="epochs"/> as ASCII.</summary>
    public static void Write(IBufferWriter<byte> writer, string streamsTag, IReadOnlyList<string> epochs, IReadOnlyList<long> seqs)
    {
        WriteAscii(writer, Version);
        WriteAscii(writer, SeparatorText);
        WriteAscii(writer, streamsTag);
        for (var i = 0; i < epochs.Count; i++)
        {
            WriteAscii(writer, SeparatorText);
            WriteAscii(writer, epochs[i]);
            WriteAscii(writer, PositionSeparatorText);
            var span = writer.GetSpan(20);
            Utf8Formatter.TryFormat(seqs[i], span, out var written);
            writer.Advance(written);
        }
    }

    /// <summary>
    /// Reads a <c>Last-Event-ID</c> for a connection of <paramref name="streams"/> into the resume it stands for (every
    /// stream from its position, in its epoch); <paramref name="error"/> says what is wrong with a malformed or foreign one.
    /// </summary>
    public static bool TryParse(string cursor, IReadOnlyList<string> streams, out ResumeRequest? request, out string? error)
    {
        (request, error) = (null, null);
        var parts = cursor.Split(Separator);
        if (parts.Length < 2 || parts[0] != Version)
        {
            error = $"Last-Event-ID is not an event id of this API (version {Version}).";
            return false;
        }

        if (parts[1] != StreamsTag(streams) || parts.Length - 2 != streams.Count)
        {
            error = "Last-Event-ID belongs to a connection with other streams (another user or other topics): reconnect without it, or resume with since and epoch.";
            return false;
        }

        var epochs = new string[streams.Count];
        var since = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < streams.Count; i++)
        {
            var part = parts[i + 2];
            var colon = part.IndexOf(PositionSeparator, StringComparison.Ordinal);
            if (colon <= 0 || !IsEpoch(part.AsSpan(0, colon))
                || !long.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                error = $"Position {i + 1} of Last-Event-ID is not <epoch>:<seq> with a non-negative integer seq.";
                return false;
            }

            (epochs[i], since[streams[i]]) = (part[..colon], seq);
        }

        request = new ResumeRequest(string.Join(Separator, epochs), since);
        return true;
    }

    private static bool IsEpoch(ReadOnlySpan<char> epoch) =>
        epoch is StreamHead.NoEpoch || (epoch.Length <= MaxEpochLength && !epoch.ContainsAnyExcept(EpochCharacters));

    private static void WriteAscii(IBufferWriter<byte> writer, string text)
    {
        var written = Encoding.ASCII.GetBytes(text, writer.GetSpan(text.Length));
        writer.Advance(written);
    }
}
