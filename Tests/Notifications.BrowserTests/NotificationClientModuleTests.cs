using System.Text.Json;
using Notifications.BrowserTests.Infrastructure;

namespace Notifications.BrowserTests;

/// <summary>
/// js/notification-client.js, the module a front end copies, run in Chromium against a scripted WebSocket: the wire
/// contract of docs/protocol.md, step by step, with no timing involved; an EventSource the test plays the server of
/// for the Server-Sent Events transport.
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
        const sources = [];
        let sourceOpened = null;
        class ScriptedSource {
            static CONNECTING = 0;
            static OPEN = 1;
            static CLOSED = 2;
            constructor(url) { this.url = url; this.readyState = 0; this.listeners = {}; sources.push(this); sourceOpened?.(this); }
            addEventListener(type, listener) { (this.listeners[type] ??= []).push(listener); }
            close() { this.readyState = 2; this.closedByClient = true; }
            event(type, frame) { this.readyState = 1; (this.listeners[type] ?? []).forEach(listener => listener({ data: JSON.stringify(frame) })); }
            dropped() { this.readyState = 0; this.onerror?.({}); }
        }
        globalThis.EventSource = ScriptedSource;
        const nextSource = () => new Promise(resolve => sourceOpened = resolve);
        const note = (id, stream, seq) => ({ type: 'notification', id, stream, seq, data: { id }, sentAt: new Date().toISOString() });
        const { NotificationClient, reconnectDelay, StreamPositions, webSocketUrl, eventStreamUrl, CloseCodes, FrameTypes, ErrorCodes,
            isClientError } = await import('/js/notification-client.js');
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
    public async Task The_module_knows_the_close_codes_frame_types_and_error_codes_of_the_contract()
    {
        var module = await EvaluateAsync("""
            return { closeCodes: CloseCodes, frameTypes: FrameTypes, errorCodes: ErrorCodes,
                     clientErrors: Object.values(CloseCodes).filter(isClientError) };
            """);

        var contractCodes = typeof(CloseCodes).GetFields().Where(field => field.IsLiteral)
            .ToDictionary(field => JsonNamingPolicy.CamelCase.ConvertName(field.Name), field => (int)field.GetValue(null)!);
        var moduleCodes = module.GetProperty("closeCodes").EnumerateObject()
            .Where(code => code.Name != "abnormal")
            .ToDictionary(code => code.Name, code => code.Value.GetInt32());
        Assert.Equal(contractCodes.OrderBy(c => c.Key), moduleCodes.OrderBy(c => c.Key));
        Assert.Equal(1006, module.GetProperty("closeCodes").GetProperty("abnormal").GetInt32());
        Assert.Equal(Names(typeof(FrameTypes)), Names(module.GetProperty("frameTypes")));
        Assert.Equal(Names(typeof(ErrorCodes)), Names(module.GetProperty("errorCodes")));
        Assert.Equal(contractCodes.Values.Where(CloseCodes.IsClientError).Order(),
            module.GetProperty("clientErrors").EnumerateArray().Select(code => code.GetInt32()).Order());
    }

    /// <summary>The string constants of a contract class, by camel-cased name, in name order.</summary>
    private static List<KeyValuePair<string, string>> Names(Type contract) =>
        [.. contract.GetFields().Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => KeyValuePair.Create(JsonNamingPolicy.CamelCase.ConvertName(field.Name), (string)field.GetValue(null)!))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)];

    private static List<KeyValuePair<string, string>> Names(JsonElement module) =>
        [.. module.EnumerateObject().Select(name => KeyValuePair.Create(name.Name, name.Value.GetString()!)).OrderBy(pair => pair.Key, StringComparer.Ordinal)];

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

    [Fact]
    public async Task Topics_are_subscribed_after_the_welcome_refused_alone_dropped_at_unsubscribe_and_resubscribed_with_their_positions()
    {
        var result = await EvaluateAsync("""
            const received = [];
            const client = new NotificationClient({
                url: 'http://api.test', getAccessToken: async () => 'tok', random: () => 0, pingIntervalMs: 60000,
                onNotifications: items => received.push(...items.map(i => `${i.stream}#${i.seq}`)),
            });
            let next = nextSocket();
            client.start();
            const first = await next;
            const team = client.subscribe('team-42');
            first.frame({ type: 'welcome', node: 'n1', userId: 'alice', epoch: 'eu.eb', positions: { 'user:alice': 0, broadcast: 5 } });
            first.frame({ type: 'subscribed', topic: 'team-42', stream: 'topic:team-42', epoch: 'et', position: 7 });
            const confirmed = await team;
            first.frame(note('t8', 'topic:team-42', 8));
            first.frame(note('t8', 'topic:team-42', 8));
            const refused = client.subscribe('secret').catch(error => error);
            first.frame({ type: 'error', code: 'topic_forbidden', topic: 'secret', detail: 'not in the token' });
            const refusal = await refused;
            const other = client.subscribe('other');
            first.frame({ type: 'subscribed', topic: 'other', stream: 'topic:other', epoch: '-', position: 0 });
            await other;
            client.unsubscribe('other');
            first.frame(note('o1', 'topic:other', 1));
            first.frame({ type: 'unsubscribed', topic: 'other' });

            next = nextSocket();
            first.serverClose(1012, 'service restart');
            const second = await next;
            second.frame({ type: 'welcome', node: 'n2', userId: 'alice', epoch: 'eu.eb', positions: { 'user:alice': 0, broadcast: 5 } });
            second.frame({ type: 'batch', replay: true, items: [note('t9', 'topic:team-42', 9)] });
            second.frame({ type: 'subscribed', topic: 'team-42', stream: 'topic:team-42', epoch: 'et', position: 9, recovered: true, missed: 1 });
            second.frame(note('t9', 'topic:team-42', 9));
            second.frame(note('t10', 'topic:team-42', 10));
            const status = client.status;
            client.stop();
            const requests = socket => socket.sent.filter(frame => frame.type !== 'ping');
            return { first: requests(first), second: requests(second), url: second.url, received, confirmed, refusal, status };
            """);

        Assert.Equal("""[{"type":"subscribe","topic":"team-42"},{"type":"subscribe","topic":"secret"},{"type":"subscribe","topic":"other"},{"type":"unsubscribe","topic":"other"}]""",
            result.GetProperty("first").GetRawText());
        Assert.Equal("""[{"type":"subscribe","topic":"team-42","since":8,"epoch":"et"}]""", result.GetProperty("second").GetRawText());
        Assert.Equal("ws://api.test/ws?access_token=tok&epoch=eu.eb&since=user%3Aalice%3A0%2Cbroadcast%3A5", result.GetProperty("url").GetString());
        Assert.Equal(["topic:team-42#8", "topic:team-42#9", "topic:team-42#10"],
            result.GetProperty("received").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("""{"topic":"team-42","stream":"topic:team-42","position":7}""", result.GetProperty("confirmed").GetRawText());
        Assert.Equal("""{"code":"topic_forbidden","detail":"not in the token"}""", result.GetProperty("refusal").GetRawText());
        var status = result.GetProperty("status");
        Assert.Equal("""{"state":"subscribed","error":null,"lastResume":{"recovered":true,"missed":1,"reason":null}}""",
            status.GetProperty("topics").GetProperty("team-42").GetRawText());
        Assert.Equal("refused", status.GetProperty("topics").GetProperty("secret").GetProperty("state").GetString());
        Assert.False(status.GetProperty("topics").TryGetProperty("other", out _));
        Assert.Equal("""{"user:alice":0,"broadcast":5,"topic:team-42":10}""", status.GetProperty("positions").GetRawText());
    }

    [Fact]
    public async Task A_subscribe_the_server_could_not_take_now_is_asked_again_on_the_same_connection()
    {
        var result = await EvaluateAsync("""
            const client = new NotificationClient({ url: 'http://api.test', getAccessToken: async () => 'tok', random: () => 0, pingIntervalMs: 60000 });
            const next = nextSocket();
            client.start();
            const socket = await next;
            socket.frame({ type: 'welcome', node: 'n1', userId: 'alice', epoch: 'eu.eb', positions: { 'user:alice': 0, broadcast: 0 } });
            const busy = client.subscribe('busy');
            socket.frame({ type: 'error', code: 'rate_limited', topic: 'busy', detail: 'slow down' });
            const during = client.status.topics.busy;
            await new Promise(resolve => setTimeout(resolve, 20));
            socket.frame({ type: 'subscribed', topic: 'busy', stream: 'topic:busy', epoch: 'e', position: 3 });
            await busy;
            const after = client.status.topics.busy;
            client.stop();
            return { sent: socket.sent.filter(frame => frame.type !== 'ping'), during, after, sockets: sockets.length };
            """);

        Assert.Equal("""[{"type":"subscribe","topic":"busy"},{"type":"subscribe","topic":"busy"}]""", result.GetProperty("sent").GetRawText());
        Assert.Equal("""{"state":"subscribing","error":{"code":"rate_limited","detail":"slow down"},"lastResume":null}""",
            result.GetProperty("during").GetRawText());
        Assert.Equal("""{"state":"subscribed","error":null,"lastResume":null}""", result.GetProperty("after").GetRawText());
        Assert.Equal(1, result.GetProperty("sockets").GetInt32());
    }

    [Fact]
    public async Task After_three_websocket_attempts_without_a_welcome_the_client_falls_back_to_server_sent_events_and_resumes_there()
    {
        var result = await EvaluateAsync("""
            const received = [];
            const transports = [];
            const client = new NotificationClient({
                url: 'http://api.test', getAccessToken: async () => 'tok', random: () => 0, topics: ['news'],
                onChange: status => transports.push(status.transport),
                onNotifications: items => received.push(...items.map(i => `${i.stream}#${i.seq}`)),
            });
            let next = nextSocket();
            client.start();
            for (let attempt = 0; attempt < 2; attempt++) {
                const refused = await next;
                next = nextSocket();
                refused.serverClose(1006, '');
            }
            const sourceOpened = nextSource();
            (await next).serverClose(1006, '');
            const first = await sourceOpened;
            first.event('welcome', { type: 'welcome', node: 'n1', userId: 'alice', epoch: 'eu.eb.en', positions: { 'user:alice': 0, broadcast: 0, 'topic:news': 3 } });
            first.event('notification', note('n4', 'topic:news', 4));

            let reopened = nextSource();
            const sports = client.subscribe('sports');
            const second = await reopened;
            second.event('welcome', { type: 'welcome', node: 'n1', userId: 'alice', epoch: 'eu.eb.en.es', positions: { 'user:alice': 0, broadcast: 0, 'topic:news': 4, 'topic:sports': 1 } });
            const confirmed = await sports;
            second.event('close', { type: 'close', code: 1012, reason: 'service restart' });
            second.dropped();
            const during = client.status.state;
            second.event('welcome', { type: 'welcome', node: 'n2', userId: 'alice', epoch: 'eu.eb.en.es', positions: { 'user:alice': 0, broadcast: 0, 'topic:news': 4, 'topic:sports': 1 } });
            second.event('notification', note('n4', 'topic:news', 4));
            second.event('batch', { type: 'batch', items: [note('s2', 'topic:sports', 2)] });

            reopened = nextSource();
            second.event('close', { type: 'close', code: 4001, reason: 'token expired' });
            const third = await reopened;
            const status = client.status;
            client.stop();
            return { urls: sources.map(s => s.url), sockets: sockets.length, closedByClient: [first.closedByClient, second.closedByClient],
                     received, transports: [...new Set(transports)], confirmed, during, status };
            """);

        Assert.Equal(3, result.GetProperty("sockets").GetInt32());
        Assert.Equal(["websocket", "sse"], result.GetProperty("transports").EnumerateArray().Select(t => t.GetString()));
        var status = result.GetProperty("status");
        Assert.Equal("sse", status.GetProperty("transport").GetString());
        Assert.Equal("3 WebSocket attempts in a row ended without a welcome", status.GetProperty("transportReason").GetString());
        Assert.Equal("[1006,1006,1006,1012,4001]", status.GetProperty("closeCodes").GetRawText());
        Assert.Equal(["http://api.test/sse?access_token=tok&topics=news",
                      "http://api.test/sse?access_token=tok&topics=news%2Csports&epoch=eu.eb.en.-&since=user%3Aalice%3A0%2Cbroadcast%3A0%2Ctopic%3Anews%3A4",
                      "http://api.test/sse?access_token=tok&topics=news%2Csports&epoch=eu.eb.en.es&since=user%3Aalice%3A0%2Cbroadcast%3A0%2Ctopic%3Anews%3A4%2Ctopic%3Asports%3A2"],
            result.GetProperty("urls").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("[true,true]", result.GetProperty("closedByClient").GetRawText());
        Assert.Equal(["topic:news#4", "topic:sports#2"], result.GetProperty("received").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("""{"topic":"sports","stream":"topic:sports","position":1}""", result.GetProperty("confirmed").GetRawText());
        Assert.Equal("reconnecting", result.GetProperty("during").GetString());
        Assert.Equal("""["n1","n1","n2"]""", status.GetProperty("nodes").GetRawText());
    }

    [Fact]
    public async Task A_chosen_transport_is_kept_websocket_retries_without_falling_back_and_sse_starts_with_an_event_stream()
    {
        var result = await EvaluateAsync("""
            const webSocketOnly = new NotificationClient({ url: 'https://api.test', getAccessToken: async () => 'tok', random: () => 0, transport: 'websocket' });
            let next = nextSocket();
            webSocketOnly.start();
            for (let attempt = 0; attempt < 4; attempt++) {
                const refused = await next;
                next = nextSocket();
                refused.serverClose(1006, '');
            }
            await next;
            webSocketOnly.stop();
            const sourceOpened = nextSource();
            const sseOnly = new NotificationClient({ url: 'https://api.test', getAccessToken: async () => 'tok', transport: 'sse' });
            sseOnly.start();
            const source = await sourceOpened;
            const status = sseOnly.status;
            sseOnly.stop();
            return { sockets: sockets.length, sources: sources.map(s => s.url), transport: status.transport, reason: status.transportReason,
                     closed: source.closedByClient, invalid: (() => { try { sseOnly.subscribe('a b'); } catch (e) { return e.name; } })(),
                     url: eventStreamUrl('https://api.test', 't', 'e', 'user:a:1', ['x', 'y']) };
            """);

        Assert.Equal(5, result.GetProperty("sockets").GetInt32());
        Assert.Equal(["https://api.test/sse?access_token=tok"], result.GetProperty("sources").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("sse", result.GetProperty("transport").GetString());
        Assert.Equal("chosen", result.GetProperty("reason").GetString());
        Assert.True(result.GetProperty("closed").GetBoolean());
        Assert.Equal("TypeError", result.GetProperty("invalid").GetString());
        Assert.Equal("https://api.test/sse?access_token=t&topics=x%2Cy&epoch=e&since=user%3Aa%3A1", result.GetProperty("url").GetString());
    }

    /// <summary>Runs <paramref name="body"/> in the page and returns what it returns, as JSON text crosses over unchanged.</summary>
    private async Task<JsonElement> EvaluateAsync(string body)
    {
        var json = await _page.EvaluateAsync<string>($"async () => {{ {ScriptedSocket}\nreturn JSON.stringify(await (async () => {{ {body} }})()); }}");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
