using System.Text.Json;

namespace Notifications.Contract;

/// <summary>A frame the server sent, read into its type (docs/protocol.md, "Server → client frames").</summary>
public abstract record ServerFrame;

/// <summary>The first frame of every connection.</summary>
/// <param name="Positions">Per stream of the connection, the last seq published when it started.</param>
public sealed record WelcomeFrame(string ConnectionId, string UserId, string Node, int HeartbeatSeconds, string Epoch,
    IReadOnlyDictionary<string, long> Positions) : ServerFrame;

/// <summary>One message, alone or as an item of a batch.</summary>
public sealed record NotificationFrame(string Id, string Stream, long Seq, JsonElement Data, DateTimeOffset SentAt) : ServerFrame;

/// <summary>Several notifications in one frame: a resume's replay, or live ones that queued up behind a write.</summary>
public sealed record BatchFrame(bool Replay, IReadOnlyList<NotificationFrame> Items) : ServerFrame;

/// <summary>The end of a resume; <see cref="Streams"/> lists the streams that were not recovered.</summary>
public sealed record ResumedFrame(bool Recovered, int Missed, string? Reason, IReadOnlyList<string> Streams) : ServerFrame;

/// <summary>The answer to a <c>ping</c>, with its <c>t</c> (undefined when the ping had none).</summary>
public sealed record PongFrame(JsonElement T) : ServerFrame;

/// <summary>
/// The answer to a <c>subscribe</c>: live notifications of <see cref="Stream"/> after <see cref="Position"/> follow. With
/// a <c>since</c>, the replay came before it and <see cref="Recovered"/> says whether it was complete.
/// </summary>
public sealed record SubscribedFrame(string Topic, string Stream, string Epoch, long Position, bool? Recovered, int? Missed, string? Reason)
    : ServerFrame;

/// <summary>The answer to an <c>unsubscribe</c>: nothing of the topic follows it.</summary>
public sealed record UnsubscribedFrame(string Topic) : ServerFrame;

/// <summary>A request of the client failed (<see cref="ErrorCodes"/>); the connection stays open.</summary>
public sealed record ErrorFrame(string Code, string? Topic, string Detail) : ServerFrame;

/// <summary>Server-Sent Events only: the server ends the event stream with this close code (<see cref="CloseCodes"/>).</summary>
public sealed record CloseFrame(int Code, string Reason) : ServerFrame;

/// <summary>A type this client does not know: ignored, for forward compatibility.</summary>
public sealed record UnknownFrame(string Type) : ServerFrame;

public static class ServerFrames
{
    /// <summary>Reads one text message; anything that is not a frame of the contract throws <see cref="JsonException"/>.</summary>
    public static ServerFrame Read(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var frame = document.RootElement;
        try
        {
            return Text(frame, FrameFields.Type) switch
            {
                FrameTypes.Welcome => Welcome(frame),
                FrameTypes.Notification => Notification(frame),
                FrameTypes.Batch => new BatchFrame(frame.TryGetProperty(FrameFields.Replay, out var replay) && replay.GetBoolean(),
                    [.. frame.GetProperty(FrameFields.Items).EnumerateArray().Select(Notification)]),
                FrameTypes.Resumed => Resumed(frame),
                FrameTypes.Pong => new PongFrame(frame.TryGetProperty(FrameFields.T, out var t) ? t.Clone() : default),
                FrameTypes.Subscribed => Subscribed(frame),
                FrameTypes.Unsubscribed => new UnsubscribedFrame(Text(frame, FrameFields.Topic)),
                FrameTypes.Error => new ErrorFrame(Text(frame, FrameFields.Code), OptionalText(frame, FrameFields.Topic), Text(frame, FrameFields.Detail)),
                FrameTypes.Close => new CloseFrame(frame.GetProperty(FrameFields.Code).GetInt32(), Text(frame, FrameFields.Reason)),
                var type => new UnknownFrame(type),
            };
        }
        catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new JsonException($"Not a frame of the contract: {exception.Message}", exception);
        }
    }

    private static WelcomeFrame Welcome(JsonElement frame) => new(Text(frame, FrameFields.ConnectionId), Text(frame, FrameFields.UserId),
        Text(frame, FrameFields.Node), frame.GetProperty(FrameFields.HeartbeatSeconds).GetInt32(), Text(frame, FrameFields.Epoch),
        frame.GetProperty(FrameFields.Positions).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal));

    private static NotificationFrame Notification(JsonElement frame) => new(Text(frame, FrameFields.Id), Text(frame, FrameFields.Stream),
        frame.GetProperty(FrameFields.Seq).GetInt64(), frame.GetProperty(FrameFields.Data).Clone(), frame.GetProperty(FrameFields.SentAt).GetDateTimeOffset());

    private static ResumedFrame Resumed(JsonElement frame)
    {
        var recovered = frame.GetProperty(FrameFields.Recovered).GetBoolean();
        return new ResumedFrame(recovered, frame.GetProperty(FrameFields.Missed).GetInt32(),
            recovered ? null : Text(frame, FrameFields.Reason),
            recovered ? [] : [.. frame.GetProperty(FrameFields.Streams).EnumerateArray().Select(stream => stream.GetString()!)]);
    }

    private static SubscribedFrame Subscribed(JsonElement frame)
    {
        bool? recovered = frame.TryGetProperty(FrameFields.Recovered, out var value) ? value.GetBoolean() : null;
        return new SubscribedFrame(Text(frame, FrameFields.Topic), Text(frame, FrameFields.Stream), Text(frame, FrameFields.Epoch),
            frame.GetProperty(FrameFields.Position).GetInt64(), recovered,
            recovered is null ? null : frame.GetProperty(FrameFields.Missed).GetInt32(),
            recovered is false ? Text(frame, FrameFields.Reason) : null);
    }

    private static string? OptionalText(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Text(JsonElement frame, string name) =>
        frame.GetProperty(name).GetString() ?? throw new FormatException($"\"{name}\" is null.");
}
