namespace Notifications.Api.Connections;

/// <summary>What a queued frame is: one the connection makes itself, or a live notification of one of its streams.</summary>
internal enum FrameKind
{
    /// <summary>The welcome, a replay batch, the resumed frame, a pong: sent in call order, never skipped.</summary>
    Own,

    /// <summary>A notification from the backplane: sent only if newer than the connection's position in its stream.</summary>
    Live,
}

/// <summary>A frame waiting in a connection's queue.</summary>
/// <param name="Notifications">How many notifications the frame carries (counted as delivered or failed).</param>
/// <param name="Stream">For a live frame, its stream; null for the connection's own frames.</param>
internal readonly record struct OutboundFrame(byte[] Payload, FrameKind Kind, int Notifications, string? Stream, long Seq, DateTimeOffset SentAt)
{
    public bool IsLive => Kind == FrameKind.Live;

    public static OutboundFrame Own(byte[] payload, int notifications) => new(payload, FrameKind.Own, notifications, null, 0, default);

    public static OutboundFrame Live(byte[] payload, string stream, long seq, DateTimeOffset sentAt) =>
        new(payload, FrameKind.Live, 1, stream, seq, sentAt);
}
