using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;

namespace Notifications.Api.Connections;

/// <summary>
/// Starts a registered connection: the welcome, then, for a resume, what the client missed (in <c>batch</c> frames)
/// and the <c>resumed</c> frame, then live. Live messages that arrive meanwhile wait in the connection, and only
/// those after the replay follow it: no gap and no duplicate across the switch.
/// </summary>
public sealed class ConnectionStarter(NotificationHistory history, NodeIdentity node, IOptions<ConnectionOptions> options)
{
    public async Task StartAsync(NotificationConnection connection, ResumeRequest? resume)
    {
        var userStream = Streams.ForUser(connection.UserId);
        string[] streams = [userStream, Streams.Broadcast];
        var heads = await history.ReadHeadsAsync(streams);
        connection.StreamEpochs = heads.ToDictionary(head => head.Key, head => head.Value.Epoch, StringComparer.Ordinal);
        connection.Send(Frames.Welcome(connection.Id, connection.UserId, node.Name, (int)options.Value.KeepAliveInterval.TotalSeconds,
            ConnectionEpoch.Compose(streams, heads), heads.ToDictionary(head => head.Key, head => head.Value.Seq, StringComparer.Ordinal)));
        if (resume is not null)
        {
            connection.Send(Frames.Resumed(await ReplayAsync(connection, resume, ConnectionEpoch.Parse(resume.Epoch, streams), heads)));
        }

        connection.GoLive(heads[userStream].Seq, heads[Streams.Broadcast].Seq);
    }

    private async Task<ResumeOutcome> ReplayAsync(NotificationConnection connection, ResumeRequest resume,
        IReadOnlyDictionary<string, string> clientEpochs, IReadOnlyDictionary<string, StreamHead> heads)
    {
        var missed = 0;
        string? reason = null;
        var unrecovered = new List<string>();
        foreach (var (stream, since) in resume.Since)
        {
            var head = heads[stream];
            var range = !ConnectionEpoch.Continues(clientEpochs.GetValueOrDefault(stream), head.Epoch) || since > head.Seq
                ? null
                : await history.ReadAsync(stream, head.Epoch, since, head.Seq);
            if (range is not { Complete: true })
            {
                reason ??= Unrecovered(clientEpochs.GetValueOrDefault(stream), head, range);
                unrecovered.Add(stream);
                continue;
            }

            foreach (var batch in range.Envelopes.Chunk(ProtocolLimits.MaxBatchItems))
            {
                connection.Send(Frames.Batch(batch), batch.Length);
            }

            missed += range.Envelopes.Count;
        }

        return new ResumeOutcome(unrecovered.Count == 0, missed, reason, unrecovered);
    }

    private static string Unrecovered(string? clientEpoch, StreamHead head, HistoryRange? range) =>
        !ConnectionEpoch.Continues(clientEpoch, head.Epoch) ? ResumeReasons.EpochChanged
        : range is null ? ResumeReasons.PositionAhead
        : ResumeReasons.HistoryTrimmed;
}
