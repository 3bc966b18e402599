namespace Notifications.Api.Handshake;

/// <summary>
/// A WebSocket upgrade of <c>/ws</c> as the takeover read it from the connection's first bytes: what admission and
/// the handshake look at, and how many bytes it took (what follows it is already the socket's).
/// </summary>
internal sealed record UpgradeHead(string Path, string QueryString, IHeaderDictionary Headers, long Length);
