namespace Notifications.Api.Handshake;

/// <summary>What the bytes received so far are to the takeover.</summary>
internal enum HeadStatus
{
    /// <summary>They could still become an upgrade of <c>/ws</c>: wait for more.</summary>
    Incomplete,

    /// <summary>Anything else, or anything unusual: Kestrel's HTTP layer serves the connection as it always did.</summary>
    Declined,

    /// <summary>A complete, valid WebSocket upgrade of <c>/ws</c>.</summary>
    Parsed,
}
