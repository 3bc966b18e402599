using System.Text.Json;
using Notifications.BrowserTests.Infrastructure;

namespace Notifications.BrowserTests;

/// <summary>
/// js/notification-client.js, the module a front end copies, run in Chromium against a scripted WebSocket: the wire
/// contract of docs/protocol.md, step by step, with no timing involved.
/// </summary>
[Collection(BrowserAppHost.Name)]
public sealed class NotificationClientModuleTests(BrowserAppHostFixture fixture) : IAsyncLifetime
{
    /// <summary>A WebSocket the test plays the server of; <c>nextSocket()</c> resolves with the next one the client opens.</summary>
    private const string ScriptedSocket = """
        const sockets = [];
        let opened = null;
        class ScriptedSocket {
            static OPEN = 1;
            constructor(url) { this.url = url; this.readyState = 1; this.sent = []; sockets.push(this); opened?.(this); }
            send(text) { this.sent.push(JSON.parse(text)); }
            close(code) { this.closedByClient = code ?? 'no code'; }
            frame(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
            serverClose(code, reason = '') { this.onclose({ code, reason }); }
        }
        globalThis.WebSocket = ScriptedSocket;
        const nextSocket = () => new Promise(resolve => opened = resolve);
        const note = (id, stream, seq) => ({ type: 'notification', id, stream, seq, data: { id }, sentAt: new Date().toISOString() });
        const { NotificationClient, reconnectDelay, StreamPositions, webSocketUrl, CloseCodes, FrameTypes, isClientError } =
            await import('/js/notification-client.js');
        """;

    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.WebUrl.ToString() });
        _page = await _context.NewPageAsync();
        await _page.GotoAsync("signin");
    }

    public Task DisposeAsync() => _context.DisposeAsync().AsTask();

    /// <summary>The module stays dependency-free, so it keeps its own copy of the contract's names: they must agree.</summary>
    [Fact]
    public async Task The_module_knows_the_close_codes_and_frame_types_of_the_contract()
    {
        var module = await EvaluateAsync("""
            return { closeCodes: CloseCodes, frameTypes: FrameTypes,
                     clientErrors: Object.values(CloseCodes).filter(isClientError) };
            """);

        var contractCodes = typeof(CloseCodes).GetFields().Where(field => field.IsLiteral)
            .ToDictionary(field => JsonNamingPolicy.CamelCase.ConvertName(field.Name), field => (int)field.GetValue(null)!);
        var moduleCodes = module.GetProperty("closeCodes").EnumerateObject()
            .Where(code => code.Name != "abnormal")
            .ToDictionary(code => code.Name, code => code.Value.GetInt32());
        Assert.Equal(contractCodes.OrderBy(c => c.Key), moduleCodes.OrderBy(c => c.Key));
        Assert.Equal(1006, module.GetProperty("closeCodes").GetProperty("abnormal").GetInt32());
        Assert.Equal([.. FrameTypes.FromServer, FrameTypes.Ping],
            module.GetProperty("frameTypes").EnumerateObject().Select(type => type.Value.GetString()!));
        Assert.Equal(contractCodes.Values.Where(CloseCodes.IsClientError).Order(),
            module.GetProperty("clientErrors").EnumerateArray().Select(code => code.GetInt32()).Order());
    }

    [Fact]
    public async Task Reconnect_delays_are_full_jitter_under_an_exponential_ceiling_capped_at_30_seconds()
    {
        var delays = await EvaluateAsync("""
            return {
                ceilings: [0, 1, 2, 3, 6, 7, 50].map(attempt => reconnectDelay(attempt, () => 1)),
                floor: reconnectDelay(5, () => 0),
                half: reconnectDelay(2, () => 0.5),
            };
            """);

        Assert.Equal([250, 500, 1000, 2000, 16000, 30000, 30000], delays.GetProperty("ceilings").EnumerateArray().Select(d => d.GetDouble()));
        Assert.Equal(0, delays.GetProperty("floor").GetDouble());
        Assert.Equal(500, delays.GetProperty("half").GetDouble());
    }

    [Fact]
    public async Task Positions_drop_duplicates_and_older_seqs_and_format_since_as_stream_colon_seq_pairs()
    {
        var result = await EvaluateAsync("""
            const positions = new StreamPositions();
            const accepted = [['user:a.b@c', 41], ['user:a.b@c', 41], ['user:a.b@c', 40], ['broadcast', 1020], ['user:a.b@c', 42]]
                .map(([stream, seq]) => positions.advance(stream, seq));
            return {
                accepted,
                since: positions.toSince(),
                plain: webSocketUrl('http://localhost:5080', 't k', null, 'ignored'),
                secure: webSocketUrl('https://api.example', 'tok', 'e1', positions.toSince()),
            };
            """);

        Assert.Equal([true, false, false, true, true], result.GetProperty("accepted").EnumerateArray().Select(a => a.GetBoolean()));
        Assert.Equal("user:a.b@c:42,broadcast:1020", result.GetProperty("since").GetString());
        Assert.Equal("ws://localhost:5080/ws?access_token=t+k", result.GetProperty("plain").GetString());
        Assert.Equal("wss://api.example/ws?access_token=tok&epoch=e1&since=user%3Aa.b%40c%3A42%2Cbroadcast%3A1020",
            result.GetProperty("secure").GetString());
    }

    [Fact]
    public async Task The_client_resumes_with_epoch_and_since_drops_duplicates_restarts_lost_streams_and_stops_on_a_client_error()
    {
        var result = await EvaluateAsync("""
            const received = [];
            const statuses = [];
            let tokens = 0;
            const client = new NotificationClient({
                url: 'http://api.test:5080', getAccessToken: async () => `token-${++tokens}`, random: () => 0, pingIntervalMs: 60000,
                onChange: status => statuses.push(status),
                onNotifications: items => received.push(...items.map(i => `${i.stream}#${i.seq}${i.replayed ? ' replayed' : ''}`)),
            });

            let next = nextSocket();
            client.start();
            const first = await next;
            first.frame({ type: 'welcome', node: 'n1', epoch: 'e1', positions: { 'user:alice': 3, broadcast: 10 } });
            first.frame({ type: 'pong', t: first.sent[0].t });
            first.frame(note('a', 'user:alice', 4));
            first.frame(note('a', 'user:alice', 4));
            first.frame(note('old', 'user:alice', 3));
            first.frame({ type: 'unknown-in-a-later-version' });

            next = nextSocket();
            first.serverClose(1012, 'service restart');
            const second = await next;
            second.frame({ type: 'welcome', node: 'n2', epoch: 'e1', positions: { 'user:alice': 6, broadcast: 10 } });
            second.frame({ type: 'batch', replay: true, items: [note('b', 'user:alice', 5), note('c', 'user:alice', 6)] });
            second.frame({ type: 'resumed', recovered: true, missed: 2 });
            second.frame(note('c', 'user:alice', 6));

            next = nextSocket();
            second.serverClose(4001, 'token expired');
            const third = await next;
            third.frame({ type: 'welcome', node: 'n3', epoch: 'e2', positions: { 'user:alice': 1, broadcast: 0 } });
            third.frame({ type: 'resumed', recovered: false, missed: 0, reason: 'epoch_changed', streams: ['user:alice', 'broadcast'] });
            third.frame(note('d', 'user:alice', 2));
            third.serverClose(1007, 'invalid frame');

            return { urls: sockets.map(s => s.url), pings: first.sent, received, statuses, last: client.status, socketCount: sockets.length };
            """);

        var urls = result.GetProperty("urls").EnumerateArray().Select(u => u.GetString()).ToArray();
        Assert.Equal("ws://api.test:5080/ws?access_token=token-1", urls[0]);
        Assert.Equal("ws://api.test:5080/ws?access_token=token-2&epoch=e1&since=user%3Aalice%3A4%2Cbroadcast%3A10", urls[1]);
        Assert.Equal("ws://api.test:5080/ws?access_token=token-3&epoch=e1&since=user%3Aalice%3A6%2Cbroadcast%3A10", urls[2]);
        Assert.Equal(3, result.GetProperty("socketCount").GetInt32());
        Assert.Equal("""[{"type":"ping","t":1}]""", result.GetProperty("pings").GetRawText());
        Assert.Equal(["user:alice#4", "user:alice#5 replayed", "user:alice#6 replayed", "user:alice#2"],
            result.GetProperty("received").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(result.GetProperty("statuses").EnumerateArray(), status => status.GetProperty("rttMs").ValueKind == JsonValueKind.Number);

        var last = result.GetProperty("last");
        Assert.Equal("closed", last.GetProperty("state").GetString());
        Assert.Equal("[1012,4001,1007]", last.GetProperty("closeCodes").GetRawText());
        Assert.Equal("""["n1","n2","n3"]""", last.GetProperty("nodes").GetRawText());
        Assert.Equal(2, last.GetProperty("reconnects").GetInt32());
        Assert.Equal("""{"user:alice":2,"broadcast":0}""", last.GetProperty("positions").GetRawText());
        Assert.Equal("epoch_changed", last.GetProperty("lastResume").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_connection_whose_pong_does_not_come_is_dropped_and_replaced()
    {
        var result = await EvaluateAsync("""
            const client = new NotificationClient({
                url: 'http://api.test', getAccessToken: async () => 'token', random: () => 0, pingIntervalMs: 20, pongTimeoutMs: 50,
            });
            let next = nextSocket();
            client.start();
            const silent = await next;
            next = nextSocket();
            silent.frame({ type: 'welcome', node: 'n1', epoch: 'e1', positions: {} });
            await next;
            const status = client.status;
            client.stop();
            return { status, closedByClient: silent.closedByClient, pings: silent.sent.length };
            """);

        Assert.Equal(1006, result.GetProperty("status").GetProperty("closeCode").GetInt32());
        Assert.Equal("no pong within the timeout", result.GetProperty("status").GetProperty("closeReason").GetString());
        Assert.Equal("no code", result.GetProperty("closedByClient").GetString());
        Assert.Equal(1, result.GetProperty("pings").GetInt32());
    }

    /// <summary>Runs <paramref name="body"/> in the page and returns what it returns, as JSON text crosses over unchanged.</summary>
    private async Task<JsonElement> EvaluateAsync(string body)
    {
        var json = await _page.EvaluateAsync<string>($"async () => {{ {ScriptedSocket}\nreturn JSON.stringify(await (async () => {{ {body} }})()); }}");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
