using Notifications.Api.Backplane;

namespace Notifications.Api.Connections;

/// <summary>How the replay of one stream went: the notifications sent, or why it could not be (a <see cref="ResumeReasons"/> value).</summary>
public readonly record struct StreamReplayed(int Missed, string? Reason)
{
    public bool Recovered => Reason is null;
}

/// <summary>
/// Sends a connection what it missed of one stream, in <c>batch</c> frames, from the history: a connection's resume and
/// a topic's <c>subscribe</c> with <c>since</c> both go through it, before the stream goes live at the same head.
/// </summary>
public sealed class StreamReplay(NotificationHistory history)
{
    /// <param name="clientEpoch">The stream's epoch the client's position belongs to; null when it sent none.</param>
    public async Task<StreamReplayed> ReplayAsync(NotificationConnection connection, string stream, long since, string? clientEpoch, StreamHead head)
    {
        var range = !ConnectionEpoch.Continues(clientEpoch, head.Epoch) || since > head.Seq
            ? null
            : await history.ReadAsync(stream, head.Epoch, since, head.Seq);
        if (range is not { Complete: true })
        {
            return new StreamReplayed(0, Unrecovered(clientEpoch, head, range));
        }

        foreach (var batch in range.Envelopes.Chunk(ProtocolLimits.MaxBatchItems))
        {
            connection.Send(Frames.Batch(batch), batch.Length);
        }

        return new StreamReplayed(range.Envelopes.Count, null);
    }

    private static string Unrecovered(string? clientEpoch, StreamHead head, HistoryRange? range) =>
        !ConnectionEpoch.Continues(clientEpoch, head.Epoch) ? ResumeReasons.EpochChanged
        : range is null ? ResumeReasons.PositionAhead
        : ResumeReasons.HistoryTrimmed;
}
