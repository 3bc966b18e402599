using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;

namespace Notifications.Api.Connections;

/// <summary>How a resume went; <see cref="Reason"/> and <see cref="UnrecoveredStreams"/> say why not, when not.</summary>
public sealed record ResumeOutcome(bool Recovered, int Missed, string? Reason, IReadOnlyList<string> UnrecoveredStreams);

public static class ResumeReasons
{
    /// <summary>The client's epoch is not the history's (Redis lost its data), or the client sent none.</summary>
    public const string EpochChanged = "epoch_changed";

    /// <summary>The history no longer holds every message after the client's position (count or age limit).</summary>
    public const string HistoryTrimmed = "history_trimmed";

    /// <summary>The client claims a seq the stream has not reached.</summary>
    public const string PositionAhead = "position_ahead";
}

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

            foreach (var batch in range.Envelopes.Chunk(FrameBatch.MaxItems))
            {
                connection.Send(Frames.Batch(batch), batch.Length);
            }

            missed += range.Envelopes.Count;
        }

        return new ResumeOutcome(unrecovered.Count == 0, missed, reason, unrecovered);
    }
}
