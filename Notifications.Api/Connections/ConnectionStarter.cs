using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;

namespace Notifications.Api.Connections;

/// <summary>
/// Starts a registered connection: the welcome, then, for a resume, what the client missed (in <c>batch</c> frames)
/// and the <c>resumed</c> frame, then live. Live messages that arrive meanwhile wait in the connection, and only
/// those after the replay follow it: no gap and no duplicate across the switch. Its streams, in this order: the user's,
/// the broadcast, then the topics of its query.
/// </summary>
public sealed class ConnectionStarter(NotificationHistory history, StreamReplay replay, NodeIdentity node, IOptions<ConnectionOptions> options)
{
    public async Task StartAsync(NotificationConnection connection, ResumeRequest? resume, IReadOnlyList<string> topics)
    {
        string[] streams = [Streams.ForUser(connection.UserId), Streams.Broadcast, .. topics.Select(Streams.ForTopic)];
        var heads = await history.ReadHeadsAsync(streams);
        connection.Send(Frames.Welcome(connection.Id, connection.UserId, node.Name, (int)options.Value.KeepAliveInterval.TotalSeconds,
            ConnectionEpoch.Compose(streams, heads), heads.ToDictionary(head => head.Key, head => head.Value.Seq, StringComparer.Ordinal)));
        if (resume is not null)
        {
            connection.Send(Frames.Resumed(await ReplayAsync(connection, resume, ConnectionEpoch.Parse(resume.Epoch, streams), heads)));
        }

        connection.GoLive(heads);
    }

    private async Task<ResumeOutcome> ReplayAsync(NotificationConnection connection, ResumeRequest resume,
        IReadOnlyDictionary<string, string> clientEpochs, IReadOnlyDictionary<string, StreamHead> heads)
    {
        var missed = 0;
        string? reason = null;
        var unrecovered = new List<string>();
        foreach (var (stream, since) in resume.Since)
        {
            var replayed = await replay.ReplayAsync(connection, stream, since, clientEpochs.GetValueOrDefault(stream), heads[stream]);
            missed += replayed.Missed;
            if (!replayed.Recovered)
            {
                reason ??= replayed.Reason;
                unrecovered.Add(stream);
            }
        }

        return new ResumeOutcome(unrecovered.Count == 0, missed, reason, unrecovered);
    }
}
