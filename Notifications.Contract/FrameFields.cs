namespace Notifications.Contract;

/// <summary>The property names of the frames.</summary>
public static class FrameFields
{
    public const string Type = "type";

    public const string ConnectionId = "connectionId";
    public const string UserId = "userId";
    public const string Node = "node";
    public const string HeartbeatSeconds = "heartbeatSeconds";
    public const string Epoch = "epoch";
    public const string Positions = "positions";

    public const string Id = "id";
    public const string Stream = "stream";
    public const string Seq = "seq";
    public const string Data = "data";
    public const string SentAt = "sentAt";

    public const string Replay = "replay";
    public const string Items = "items";

    public const string Recovered = "recovered";
    public const string Missed = "missed";
    public const string Reason = "reason";
    public const string Streams = "streams";

    public const string Topic = "topic";
    public const string Since = "since";
    public const string Position = "position";
    /// <summary>The code of an <c>error</c> frame (<see cref="ErrorCodes"/>), and the close code of a Server-Sent Events <c>close</c> event (<see cref="CloseCodes"/>).</summary>
    public const string Code = "code";
    public const string Detail = "detail";

    /// <summary>The value a <c>ping</c> carries and its <c>pong</c> echoes.</summary>
    public const string T = "t";
}
