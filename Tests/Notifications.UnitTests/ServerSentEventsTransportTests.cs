using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;
using Notifications.Api.ServerSentEvents;

namespace Notifications.UnitTests;

/// <summary>The shared connection (queue, states, writer) over the event stream transport, written into a pipe.</summary>
public class ServerSentEventsTransportTests
{
    private const string Welcome =
        """{"type":"welcome","connectionId":"c","userId":"alice","node":"n","heartbeatSeconds":30,"epoch":"aa.bb","positions":{"user:alice":0,"broadcast":0}}""";

    private static readonly string Tag = EventCursor.StreamsTag(["user:alice", "broadcast"]);

    private static byte[] Notification(string stream, long seq) =>
        Encoding.UTF8.GetBytes($$"""{"type":"notification","id":"{{stream}}-{{seq}}","stream":"{{stream}}","seq":{{seq}},"data":1,"sentAt":"t"}""");

    private static (NotificationConnection Connection, ServerSentEventsTransport Transport, PipeReader Client) Connect(bool clientReadsEveryWrite = false)
    {
        var toClient = clientReadsEveryWrite ? new Pipe(new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1)) : new Pipe();
        var context = new DefaultHttpContext();
        context.Response.Body = toClient.Writer.AsStream();
        var transport = new ServerSentEventsTransport(context, resume: null);
        return (new NotificationConnection("c1", "alice", DateTimeOffset.MaxValue, transport, 16, TimeSpan.FromSeconds(5), TestMetrics.Create().Metrics),
            transport, toClient.Reader);
    }

    /// <summary>Reads until the text read so far holds <paramref name="events"/> whole events.</summary>
    private static async Task<string> ReadEventsAsync(PipeReader client, int events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var text = new StringBuilder();
        while (CountEvents(text.ToString()) < events)
        {
            var result = await client.ReadAsync(timeout.Token);
            text.Append(Encoding.UTF8.GetString(result.Buffer));
            client.AdvanceTo(result.Buffer.End);
        }

        return text.ToString();
    }

    private static int CountEvents(string text) => text.Split("\n\n").Length - 1;

    [Fact]
    public async Task Frames_become_events_with_the_cursor_after_them_and_a_pile_of_live_ones_one_batch_event()
    {
        var (connection, _, client) = Connect(clientReadsEveryWrite: true);
        connection.Send(Encoding.UTF8.GetBytes(Welcome));
        connection.GoLive(new Dictionary<string, StreamHead> { ["user:alice"] = new("aa", 0), ["broadcast"] = new("bb", 0) });
        connection.SendNotification(Notification("user:alice", 1), "user:alice", 1, DateTimeOffset.UtcNow);
        connection.SendNotification(Notification("broadcast", 1), "broadcast", 1, DateTimeOffset.UtcNow);
        connection.SendNotification(Notification("user:alice", 2), "user:alice", 2, DateTimeOffset.UtcNow);

        // The welcome's write holds the writer until the client reads it; the notifications pile up behind it meanwhile.
        var events = (await ReadEventsAsync(client, 2)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        connection.SendNotification(Notification("broadcast", 2), "broadcast", 2, DateTimeOffset.UtcNow);
        var single = (await ReadEventsAsync(client, 1)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal($"event: welcome\nid: 1.{Tag}.aa:0.bb:0\ndata: {Welcome}", events[0]);
        string[] items = [.. new[] { ("user:alice", 1), ("broadcast", 1), ("user:alice", 2) }.Select(n => Encoding.UTF8.GetString(Notification(n.Item1, n.Item2)))];
        Assert.Equal($"event: batch\nid: 1.{Tag}.aa:2.bb:1\ndata: {{\"type\":\"batch\",\"items\":[{string.Join(',', items)}]}}", events[1]);
        Assert.Equal($"event: notification\nid: 1.{Tag}.aa:2.bb:2\ndata: {Encoding.UTF8.GetString(Notification("broadcast", 2))}", Assert.Single(single));
    }

    [Fact]
    public async Task The_close_is_the_last_event_and_ends_the_transport()
    {
        var (connection, transport, client) = Connect();
        var ended = transport.WaitUntilEndedAsync();

        await connection.CloseAsync(CloseStatuses.ServiceRestart, "service restart").WaitAsync(TimeSpan.FromSeconds(10));
        connection.SendNotification(Notification("user:alice", 1), "user:alice", 1, DateTimeOffset.UtcNow);

        var text = await ReadEventsAsync(client, 1);
        Assert.Equal("event: close\ndata: {\"type\":\"close\",\"code\":1012,\"reason\":\"service restart\"}\n\n", text);
        await ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(transport.HasEnded);
        Assert.False(transport.CanSendClose);
    }
}
