using System.IO.Pipelines;
using System.Text;
using Notifications.Api.Handshake;

namespace Notifications.UnitTests;

/// <summary>The peek leaves every byte unread, and whoever reads next gets them without waiting for more.</summary>
public class UpgradeHeadReaderTests
{
    private const string Head = "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    private static readonly UpgradeHeadLimits Limits = new(MaxBytes: 4096, MaxHeaders: 20);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_head_that_arrives_in_pieces_is_returned_and_left_unread_with_what_follows_it()
    {
        var pipe = new Pipe();
        var peeking = UpgradeHeadReader.PeekAsync(pipe.Reader, Limits, CancellationToken.None);
        await WriteAsync(pipe, Head[..10]);
        await WriteAsync(pipe, Head[10..] + "frame");

        var head = await peeking.WaitAsync(Patience);

        Assert.NotNull(head);
        Assert.Equal(Head + "frame", await ReadAllAvailableAsync(pipe));
    }

    [Fact]
    public async Task Another_request_is_declined_and_left_whole_for_the_next_reader_even_after_a_wait()
    {
        var pipe = new Pipe();
        const string other = "GET /alive HTTP/1.1\r\nHost: h\r\n\r\n";
        var peeking = UpgradeHeadReader.PeekAsync(pipe.Reader, Limits, CancellationToken.None);
        await WriteAsync(pipe, other[..5]);
        await WriteAsync(pipe, other[5..]);

        Assert.Null(await peeking.WaitAsync(Patience));
        Assert.Equal(other, await ReadAllAvailableAsync(pipe));
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_head_is_declined_with_its_bytes_left_unread()
    {
        var pipe = new Pipe();
        var peeking = UpgradeHeadReader.PeekAsync(pipe.Reader, Limits, CancellationToken.None);
        await WriteAsync(pipe, Head[..20]);
        await pipe.Writer.CompleteAsync();

        Assert.Null(await peeking.WaitAsync(Patience));
        var rest = await pipe.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.True(rest.IsCompleted);
        Assert.Equal(Head[..20], Encoding.ASCII.GetString(rest.Buffer));
    }

    [Fact]
    public async Task A_head_that_does_not_arrive_before_the_deadline_ends_the_peek()
    {
        var pipe = new Pipe();
        using var deadline = new CancellationTokenSource();
        var peeking = UpgradeHeadReader.PeekAsync(pipe.Reader, Limits, deadline.Token);
        await WriteAsync(pipe, Head[..20]);

        await deadline.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => peeking.WaitAsync(Patience));
    }

    private static async Task WriteAsync(Pipe pipe, string text) => await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>A read that must complete at once: the peek may not have left the reader waiting for bytes it already has.</summary>
    private static async Task<string> ReadAllAvailableAsync(Pipe pipe)
    {
        var result = await pipe.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var text = Encoding.ASCII.GetString(result.Buffer);
        pipe.Reader.AdvanceTo(result.Buffer.End);
        return text;
    }
}
