using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;

namespace Notifications.UnitTests;

/// <summary>A server and a client WebSocket joined by in-memory pipes: real framing, no network.</summary>
internal sealed class SocketPair : IDisposable
{
    /// <param name="clientReadsEveryWrite">Each server write waits until the client has read it, as on a slow network.</param>
    public SocketPair(bool clientReadsEveryWrite = false)
    {
        var toClient = clientReadsEveryWrite ? new Pipe(new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1)) : new Pipe();
        var toServer = new Pipe();
        Server = WebSocket.CreateFromStream(new DuplexStream(toServer.Reader.AsStream(), toClient.Writer.AsStream()),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        Client = WebSocket.CreateFromStream(new DuplexStream(toClient.Reader.AsStream(), toServer.Writer.AsStream()),
            new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });
    }

    public WebSocket Server { get; }

    public WebSocket Client { get; }

    /// <summary>The next text message the client receives, or null when the server closed.</summary>
    public async Task<string?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await Client.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, length);
            }
        }
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }

    private sealed class DuplexStream(Stream reading, Stream writing) : Stream
    {
        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => reading.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            reading.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => writing.Write(buffer, offset, count);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await writing.WriteAsync(buffer, cancellationToken);
            await writing.FlushAsync(cancellationToken);
        }

        public override void Flush() => writing.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => writing.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            reading.Dispose();
            writing.Dispose();
            base.Dispose(disposing);
        }
    }
}
