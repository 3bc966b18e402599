using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Notifications.Api.Connections;
using Notifications.Api.FrontDoor;
using Notifications.Api.Limits;

namespace Notifications.Api.Handshake;

/// <summary>
/// A Kestrel connection middleware that takes a WebSocket upgrade of <c>/ws</c> over from the HTTP layer when it is
/// the connection's first request: it peeks at the head, runs the one admission of <c>/ws</c>
/// (<see cref="WebSocketAdmission"/>) on it, answers the handshake itself and runs the connection on the transport.
/// An open socket then holds no HTTP request — no <c>Http1Connection</c>, request pipes, header collections,
/// <c>HttpContext</c> or suspended middleware: about 9 KiB less (docs/scaling.md). Any other request, and a
/// refused upgrade, goes to Kestrel's HTTP layer byte for byte; a refusal is answered there by the endpoint.
/// </summary>
internal sealed class UpgradeTakeover(ConnectionDelegate next, WebSocketAdmission admission, ConnectionRunner runner, FrontDoorForwarder frontDoor,
    IOptions<LimitsOptions> limits, IOptions<KestrelServerOptions> kestrel, TimeProvider time)
{
    /// <summary>Kestrel's own tag and value for a connection whose request head did not arrive in time.</summary>
    private const string ErrorType = "error.type";
    private const string RequestHeadersTimeout = "request_headers_timeout";

    private readonly UpgradeHeadLimits _headLimits = UpgradeHeadLimits.Of(kestrel.Value.Limits);

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        if (await UpgradeAsync(connection) is var (socket, ticket))
        {
            await runner.RunAsync(socket, ticket);
            if (socket.State == WebSocketState.Aborted)
            {
                // Gone or not answering: nothing left to send it, so Kestrel need not wait to flush.
                connection.Abort();
            }
        }
    }

    /// <summary>
    /// The accepted socket and its ticket; null when the connection went to the HTTP layer, or was dropped because
    /// its head did not arrive within the handshake timeout (counted as Kestrel counts it).
    /// </summary>
    private async Task<(WebSocket Socket, AdmissionTicket Ticket)?> UpgradeAsync(ConnectionContext connection)
    {
        UpgradeHead? head;
        using (var deadline = new CancellationTokenSource(limits.Value.HandshakeTimeout))
        {
            try
            {
                head = await UpgradeHeadReader.PeekAsync(connection.Transport.Input, _headLimits, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                connection.Features.Get<IConnectionMetricsTagsFeature>()?.Tags.Add(new(ErrorType, RequestHeadersTimeout));
                return null;
            }
        }

        if (head is not null && await AdmitAsync(connection, head) is { } admitted)
        {
            return admitted;
        }

        await next(connection);
        return null;
    }

    /// <summary>
    /// Admitted and accepted; or null, with the refusal (or failure) handed over for the endpoint to answer. The
    /// request exists only for this: nothing of it outlives the 101.
    /// </summary>
    private async Task<(WebSocket Socket, AdmissionTicket Ticket)?> AdmitAsync(ConnectionContext connection, UpgradeHead head)
    {
        var request = TakenOverRequest.Create(connection, head, new TransportWebSocketFeature(connection, head, time, kestrel.Value.AddServerHeader));
        frontDoor.Apply(request);
        AdmissionTicket? ticket;
        try
        {
            (ticket, var refusal) = await admission.AdmitAsync(request, TransportKind.WebSocket);
            if (ticket is null)
            {
                connection.Features.Set(new HandedOverAdmission(refusal!));
                return null;
            }
        }
        catch (Exception exception)
        {
            connection.Features.Set(new HandedOverAdmission(exception));
            return null;
        }

        return (await runner.AcceptAsync(request, ticket), ticket);
    }
}
