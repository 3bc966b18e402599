using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Notifications.Api.Handshake;

/// <summary>
/// A taken-over connection's transport as the stream a <see cref="System.Net.WebSockets.WebSocket"/> runs on. A
/// zero-byte read waits for data without taking any, so an idle socket holds no buffer. Disposing ends pending reads
/// and writes the way Kestrel's upgraded stream does (<see cref="ConnectionAbortedException"/>); Kestrel closes the
/// connection itself once the takeover returns.
/// </summary>
internal sealed class TransportStream(IDuplexPipe transport) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var result = await transport.Input.ReadAsync(cancellationToken);
        if (result.IsCanceled)
        {
            throw new ConnectionAbortedException();
        }

        var available = result.Buffer;
        var length = (int)Math.Min(available.Length, buffer.Length);
        available.Slice(0, length).CopyTo(buffer.Span);
        transport.Input.AdvanceTo(available.GetPosition(length));
        return length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if ((await transport.Output.WriteAsync(buffer, cancellationToken)).IsCanceled)
        {
            throw new ConnectionAbortedException();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken) => await transport.Output.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush() => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            transport.Input.CancelPendingRead();
            transport.Output.CancelPendingFlush();
        }

        base.Dispose(disposing);
    }
}
