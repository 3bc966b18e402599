using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Notifications.Api.Limits;
using Notifications.Api.Telemetry;
using Notifications.Api.Topics;

namespace Notifications.Api.Connections;

/// <summary>
/// Reads what a client sends until the socket closes. Each wait for data is a zero-byte read, so an idle
/// connection holds no receive buffer; one is rented only while a message is being read. Anything outside the
/// contract closes this connection alone, with its documented code, a log line and a metric. A <c>subscribe</c> or
/// <c>unsubscribe</c> is carried out before the next message is read, so a connection's topic requests never overlap.
/// </summary>
internal sealed class ConnectionReceiveLoop(WebSocket socket, NotificationConnection connection, int maxMessageBytes,
    InboundRate rate, NotificationsMetrics metrics, LogThrottle throttle, ILogger logger, TopicSubscriptions topics, AdmissionTicket ticket)
{
    /// <summary>Reads until the connection ends; returns why it ended on the client's side (<see cref="TelemetryNames.CloseReasons"/>).</summary>
    /// <remarks>
    /// Reads take no cancellation token: a peer that goes away ends the read by itself, and one cancelled from outside
    /// would hide why the socket ended (the keep-alive timeout arrives as the read's failure).
    /// </remarks>
    public async Task<string> RunAsync()
    {
        try
        {
            await ReceiveAllAsync();
            return TelemetryNames.CloseReasons.ClientClosed;
        }
        catch (Exception exception) when (IsKeepAliveTimeout(exception) && connection.CloseStatus is null)
        {
            metrics.ConnectionAborted(TelemetryNames.CloseReasons.KeepAliveTimeout);
            if (throttle.TryEnter(TelemetryNames.CloseReasons.KeepAliveTimeout, out var suppressed))
            {
                ConnectionsLog.KeepAliveTimedOut(logger, connection.Id, suppressed);
            }

            return TelemetryNames.CloseReasons.KeepAliveTimeout;
        }
        catch (WebSocketException exception) when (exception.WebSocketErrorCode != WebSocketError.ConnectionClosedPrematurely)
        {
            // The framework already answered the violation (1002, or 1007 for invalid UTF-8) and closed the socket.
            metrics.FrameRejected(TelemetryNames.RejectionReasons.ProtocolError);
            if (throttle.TryEnter(TelemetryNames.RejectionReasons.ProtocolError, out var suppressed))
            {
                ConnectionsLog.ProtocolViolation(logger, connection.Id, exception.Message, suppressed);
            }

            return TelemetryNames.CloseReasons.ProtocolError;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer vanished (or the server aborted it): nothing to answer, only to clean up.
            return TelemetryNames.CloseReasons.ConnectionLost;
        }
    }

    /// <summary>
    /// The WebSocket aborts a peer that stops answering its pings, which fails the pending read as an abort by the
    /// application (or, on a socket of its own, as a faulted WebSocket). A peer that goes away ends the read otherwise
    /// (end of stream, reset), and the server's own aborts come after a close it initiated.
    /// </summary>
    private static bool IsKeepAliveTimeout(Exception exception) =>
        exception is ConnectionAbortedException
        || (exception as WebSocketException ?? exception.InnerException as WebSocketException) is { WebSocketErrorCode: WebSocketError.Faulted };

    private async Task ReceiveAllAsync()
    {
        while (true)
        {
            var first = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (first.MessageType == WebSocketMessageType.Close)
            {
                await AnswerCloseAsync();
                return;
            }

            if (connection.CloseStatus is not null)
            {
                // Closing: read and discard until the client's close frame arrives or the close timeout aborts us.
                await DiscardMessageAsync(first);
            }
            else if (!RejectedBeforeReading(first) && !await ReadAndHandleAsync())
            {
                return;
            }
        }
    }

    /// <summary>What can be judged before the message is read: the rate, and binary frames.</summary>
    private bool RejectedBeforeReading(ValueWebSocketReceiveResult first)
    {
        if (!rate.TryTake(Stopwatch.GetTimestamp()))
        {
            Reject(TelemetryNames.RejectionReasons.RateLimited, CloseStatuses.PolicyViolation, "rate limit: too many messages per second");
            return true;
        }

        if (first.MessageType == WebSocketMessageType.Binary)
        {
            Reject(TelemetryNames.RejectionReasons.Binary, CloseStatuses.UnsupportedData, "binary frames are not supported");
            return true;
        }

        return false;
    }

    /// <summary>Reads one message into a rented buffer and answers it; false when the client's close frame came instead.</summary>
    private async Task<bool> ReadAndHandleAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(maxMessageBytes + 1);
        try
        {
            var length = await ReadMessageAsync(buffer);
            if (length > maxMessageBytes)
            {
                Reject(TelemetryNames.RejectionReasons.TooBig, CloseStatuses.MessageTooBig, $"messages are limited to {maxMessageBytes} bytes");
            }
            else if (length >= 0)
            {
                await HandleAsync(ClientMessage.Parse(buffer.AsMemory(0, length)));
            }

            return length >= 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads one whole message; returns its length, more than the limit if it is too big, or -1 on close.</summary>
    private async Task<int> ReadMessageAsync(byte[] buffer)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await AnswerCloseAsync();
                return -1;
            }

            length += result.Count;
            if (result.EndOfMessage || length >= buffer.Length)
            {
                return length;
            }
        }
    }

    private async Task DiscardMessageAsync(ValueWebSocketReceiveResult first)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            var result = first;
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close)
            {
                result = await socket.ReceiveAsync(scratch.AsMemory(), CancellationToken.None);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task HandleAsync(ClientMessage message)
    {
        switch (message.Kind)
        {
            case ClientMessageKind.Ping:
                connection.Send(Frames.Pong(message.PingT.Span));
                break;
            case ClientMessageKind.Subscribe:
                await topics.SubscribeAsync(connection, ticket, message.Topic!);
                break;
            case ClientMessageKind.Unsubscribe:
                await topics.UnsubscribeAsync(connection, ticket, message.Topic!);
                break;
            case ClientMessageKind.Invalid:
                Reject(TelemetryNames.RejectionReasons.InvalidJson, CloseStatuses.InvalidPayload, "frames must be JSON objects with a string \"type\"");
                break;
            case ClientMessageKind.Unknown:
                break;
        }
    }

    private void Reject(string reason, WebSocketCloseStatus status, string description)
    {
        metrics.FrameRejected(reason);
        if (throttle.TryEnter(reason, out var suppressed))
        {
            ConnectionsLog.ClientFrameRejected(logger, connection.Id, description, suppressed);
        }

        _ = connection.CloseAsync(status, description);
    }

    private Task AnswerCloseAsync() =>
        socket.State == WebSocketState.CloseReceived ? connection.CloseAsync(CloseStatuses.Normal, "") : Task.CompletedTask;
}
