using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Notifications.Api.Connections;
using Notifications.Api.Telemetry;

namespace Notifications.Api.ServerSentEvents;

/// <summary>
/// A connection's frames as the events of a <c>text/event-stream</c> response (<see cref="EventFormat"/>), each with
/// the cursor of its positions when it moved them (<see cref="EventPositions"/>); its close as the <c>close</c> event,
/// after which the response ends. Between frames it sends a heartbeat comment every keep-alive interval: the one other
/// writer of the response, so the two take turns.
/// </summary>
internal sealed class ServerSentEventsTransport : ConnectionTransport
{
    private readonly HttpContext _context;
    private readonly PipeWriter _body;
    private readonly EventPositions _positions;
    private readonly Action<IBufferWriter<byte>> _writeCursor;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopHeartbeats = new();

    public ServerSentEventsTransport(HttpContext context, ResumeRequest? resume)
    {
        (_context, _body, _positions) = (context, context.Response.BodyWriter, new EventPositions(resume));
        _writeCursor = _positions.WriteCursor;
    }

    public override string Name => TelemetryNames.Transports.ServerSentEvents;

    public override bool CanSendClose => !HasEnded;

    public override bool HasEnded => _ended.Task.IsCompleted || _context.RequestAborted.IsCancellationRequested;

    /// <summary>
    /// Completes with why the stream ended on the client's side (<see cref="TelemetryNames.CloseReasons"/>): the close
    /// event went out, the server cut it off, or the client went away — which HTTP does not tell apart from a client
    /// that closed its <c>EventSource</c>, so it counts as closed by the client.
    /// </summary>
    public async Task<string> WaitUntilEndedAsync()
    {
        using var registration = _context.RequestAborted.Register(() => _ended.TrySetResult(TelemetryNames.CloseReasons.ClientClosed));
        return await _ended.Task;
    }

    internal override async ValueTask WriteAsync(IReadOnlyList<OutboundFrame> frames)
    {
        await _turn.WaitAsync();
        try
        {
            if (frames.Count == 1)
            {
                WriteFrame(frames[0].Payload);
            }
            else
            {
                WriteBatch(frames);
            }

            await FlushAsync();
        }
        finally
        {
            _turn.Release();
        }
    }

    public override async Task SendCloseAsync(WebSocketCloseStatus status, string? reason)
    {
        await _turn.WaitAsync();
        try
        {
            EventFormat.WriteClose(_body, (int)status, reason);
            await FlushAsync();
            _ended.TrySetResult(TelemetryNames.CloseReasons.ClientClosed);
        }
        finally
        {
            _turn.Release();
        }
    }

    public override void Abort()
    {
        _context.Abort();
        _ended.TrySetResult(TelemetryNames.CloseReasons.ConnectionLost);
    }

    /// <summary>
    /// A comment every <paramref name="interval"/> while no frame is being written. A client that does not take one
    /// within <paramref name="timeout"/> (the kernel's buffers are full: it stopped reading) is cut off, as a WebSocket
    /// whose pong does not come.
    /// </summary>
    public async Task SendHeartbeatsAsync(TimeSpan interval, TimeSpan timeout, NotificationsMetrics metrics)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopHeartbeats.Token) && await SendHeartbeatAsync(timeout, metrics))
            {
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Stopped, or the stream already ended: its end is someone else's to report.
        }
    }

    public override void Dispose()
    {
        _stopHeartbeats.Cancel();
        _stopHeartbeats.Dispose();
    }

    /// <summary>False when the heartbeat did not leave within <paramref name="timeout"/>, and the client was cut off.</summary>
    private async Task<bool> SendHeartbeatAsync(TimeSpan timeout, NotificationsMetrics metrics)
    {
        // A frame being written keeps the stream alive by itself.
        if (!_turn.Wait(0))
        {
            return true;
        }

        try
        {
            if (HasEnded)
            {
                return true;
            }

            EventFormat.Write(_body, EventFormat.Heartbeat);
            await FlushAsync().AsTask().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            // Cut off before the turn is given back: nothing else may write while that flush is pending.
            metrics.ConnectionAborted(TelemetryNames.CloseReasons.KeepAliveTimeout);
            _ended.TrySetResult(TelemetryNames.CloseReasons.KeepAliveTimeout);
            _context.Abort();
            return false;
        }
        finally
        {
            _turn.Release();
        }
    }

    private void WriteFrame(byte[] frame)
    {
        var type = EventFormat.TypeOf(frame);
        EventFormat.WriteEvent(_body, type, _positions.Observe(frame, type) ? _writeCursor : null, frame);
    }

    /// <summary>Live notifications that piled up: one <c>batch</c> event, as one <c>batch</c> frame on a WebSocket.</summary>
    private void WriteBatch(IReadOnlyList<OutboundFrame> frames)
    {
        foreach (var frame in frames)
        {
            _positions.Observe(frame.Payload, EventFormat.NotificationType);
        }

        EventFormat.WriteStart(_body, EventFormat.BatchType, _writeCursor);
        var length = FrameBatch.Length(frames);
        _body.Advance(FrameBatch.Write(_body.GetSpan(length), frames));
        EventFormat.WriteEnd(_body);
    }

    private async ValueTask FlushAsync()
    {
        var result = await _body.FlushAsync();
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new IOException("The client of the event stream went away.");
        }
    }
}
