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
        var heads = await history.ReadHeadsAsync([userStream, Streams.Broadcast]);
        connection.Epoch = heads.Epoch;
        connection.Send(Frames.Welcome(connection.Id, connection.UserId, node.Name,
            (int)options.Value.KeepAliveInterval.TotalSeconds, heads.Epoch, heads.Heads));
        if (resume is not null)
        {
            connection.Send(Frames.Resumed(await ReplayAsync(connection, resume, heads)));
        }

        connection.GoLive(heads.Heads[userStream], heads.Heads[Streams.Broadcast]);
    }

    private async Task<ResumeOutcome> ReplayAsync(NotificationConnection connection, ResumeRequest resume, StreamHeads heads)
    {
        if (resume.Epoch != heads.Epoch)
        {
            return new ResumeOutcome(false, 0, ResumeReasons.EpochChanged, [.. resume.Since.Keys]);
        }

        var missed = 0;
        string? reason = null;
        var unrecovered = new List<string>();
        foreach (var (stream, since) in resume.Since)
        {
            var head = heads.Heads[stream];
            var range = since > head ? null : await history.ReadAsync(stream, heads.Epoch, since, head);
            if (range is not { Complete: true })
            {
                reason ??= range is null ? ResumeReasons.PositionAhead : ResumeReasons.HistoryTrimmed;
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
}
