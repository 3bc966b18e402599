using System.Buffers;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Notifications.Api.Handshake;

/// <summary>
/// Recognises a WebSocket upgrade of <c>/ws</c> in a connection's first bytes. Strict on purpose: it takes only a plain
/// HTTP/1.1 <c>GET</c> of the route with printable ASCII headers, one valid <c>Host</c>, no body and the upgrade
/// headers ASP.NET Core's WebSocket middleware requires; everything else is declined and reaches Kestrel's own parser
/// unchanged, which answers it exactly as before (a non-upgrade <c>GET /ws</c> still gets its 400 from the endpoint).
/// </summary>
internal static class UpgradeHeadParser
{
    private const string Method = "GET";
    private const string Version = "HTTP/1.1";
    private const string SupportedWebSocketVersion = "13";
    private const string AlphaNumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static readonly byte[] Prefix = Encoding.ASCII.GetBytes($"{Method} {Routes.WebSocket}");
    private static readonly SearchValues<char> HostCharacters = SearchValues.Create(AlphaNumerics + ".-_:[]");
    private static readonly SearchValues<char> TokenCharacters = SearchValues.Create(AlphaNumerics + "!#$%&'*+-.^_`|~");
    private static readonly SearchValues<char> PrintableCharacters =
        SearchValues.Create("\t" + new string(Enumerable.Range(' ', '~' - ' ' + 1).Select(code => (char)code).ToArray()));

    public static HeadStatus Parse(ReadOnlySequence<byte> buffer, UpgradeHeadLimits limits, out UpgradeHead? head)
    {
        head = null;
        if (!StartsLikeUpgrade(buffer))
        {
            return HeadStatus.Declined;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> text, "\r\n\r\n"u8, advancePastDelimiter: true))
        {
            return buffer.Length > limits.MaxBytes ? HeadStatus.Declined : HeadStatus.Incomplete;
        }

        head = reader.Consumed <= limits.MaxBytes ? Read(Encoding.Latin1.GetString(text), reader.Consumed, limits.MaxHeaders) : null;
        return head is null ? HeadStatus.Declined : HeadStatus.Parsed;
    }

    /// <summary>
    /// Whether the bytes so far are, or may still become, <c>GET /ws</c> followed by a space or a query: any other
    /// request is handed on at its first differing byte. The route matches without regard to case, as routing does.
    /// </summary>
    private static bool StartsLikeUpgrade(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[Prefix.Length + 1];
        var available = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, available).CopyTo(start);
        for (var index = 0; index < available; index++)
        {
            var matches = index == Prefix.Length
                ? start[index] is (byte)' ' or (byte)'?'
                : index <= Method.Length ? start[index] == Prefix[index] : char.ToLowerInvariant((char)start[index]) == Prefix[index];
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }

    private static UpgradeHead? Read(string text, long length, int maxHeaders)
    {
        var lines = text.Split("\r\n");
        if (lines.Length - 1 > maxHeaders || !lines.All(IsPrintable) || ReadTarget(lines[0]) is not { } target)
        {
            return null;
        }

        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAnyExcept(TokenCharacters))
            {
                return null;
            }

            headers.Append(line[..colon], line[(colon + 1)..].Trim(' ', '\t'));
        }

        return IsWebSocketUpgrade(headers) ? new UpgradeHead(target[..Routes.WebSocket.Length], target[Routes.WebSocket.Length..], headers, length) : null;
    }

    /// <summary>The request target of <c>GET /ws[?query] HTTP/1.1</c>, or null.</summary>
    private static string? ReadTarget(string requestLine)
    {
        var parts = requestLine.Split(' ');
        return parts is [Method, var target, Version] && !target.Contains('#') ? target : null;
    }

    private static bool IsPrintable(string line) => !line.AsSpan().ContainsAnyExcept(PrintableCharacters);

    /// <summary>
    /// Kestrel's conditions for an upgradable request (one <c>Host</c>, no body) and ASP.NET Core's for a WebSocket
    /// request (<c>HandshakeHelpers.CheckSupportedWebSocketRequest</c>): version 13, <c>Connection: Upgrade</c>,
    /// <c>Upgrade: websocket</c>, a key of 16 bytes in base64.
    /// </summary>
    private static bool IsWebSocketUpgrade(IHeaderDictionary headers) =>
        headers.Host is [{ Length: > 0 } host] && !host.AsSpan().ContainsAnyExcept(HostCharacters)
        && !headers.ContainsKey(HeaderNames.ContentLength) && !headers.ContainsKey(HeaderNames.TransferEncoding)
        && Contains(headers.GetCommaSeparatedValues(HeaderNames.SecWebSocketVersion), SupportedWebSocketVersion)
        && Contains(headers.GetCommaSeparatedValues(HeaderNames.Connection), HeaderNames.Upgrade)
        && Contains(headers.GetCommaSeparatedValues(HeaderNames.Upgrade), "websocket")
        && SwitchingProtocols.IsKeyValid(headers.SecWebSocketKey.ToString());

    private static bool Contains(string[] values, string expected) =>
        values.Any(value => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase));
}
