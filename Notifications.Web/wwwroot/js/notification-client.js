// A browser client for the AspireNotify wire contract (docs/protocol.md), with no dependencies: copy this file into
// any front end. It keeps one connection up: a WebSocket, or a Server-Sent Events stream (EventSource) where
// WebSockets do not get through. It reconnects with exponential backoff and full jitter, resumes from the last seq of
// each stream (epoch + since), drops duplicates by stream and seq, keeps topic subscriptions across reconnects, and
// over a WebSocket measures round-trip time with ping frames (a missing pong counts as a dead connection).
//
// A browser never sees the HTTP status of a refused upgrade or event stream (400, 401, 403, 503 all look alike), so
// unlike the .NET client it cannot stop for good on a refusal: it keeps retrying, with the backoff capped at 30 s,
// and asks getAccessToken() for a token before every attempt.

// The close codes of the contract (docs/protocol.md), and 1006, which the browser reports for a connection that ended
// without a close frame (or an upgrade that was refused).
export const CloseCodes = Object.freeze({
    normal: 1000,
    protocolError: 1002,
    unsupportedData: 1003,
    abnormal: 1006,
    invalidPayload: 1007,
    policyViolation: 1008,
    messageTooBig: 1009,
    serviceRestart: 1012,
    tryAgainLater: 1013,
    slowConsumer: 4000,
    tokenExpired: 4001,
    resumeRequired: 4002,
});

// The frame types of the contract: what the server sends (close only as a Server-Sent Event), and the client's frames.
export const FrameTypes = Object.freeze({
    welcome: 'welcome',
    notification: 'notification',
    batch: 'batch',
    resumed: 'resumed',
    pong: 'pong',
    subscribed: 'subscribed',
    unsubscribed: 'unsubscribed',
    error: 'error',
    close: 'close',
    ping: 'ping',
    subscribe: 'subscribe',
    unsubscribe: 'unsubscribe',
});

// The codes of an error frame: the request failed, the connection stays open.
export const ErrorCodes = Object.freeze({
    invalidTopic: 'invalid_topic',
    topicForbidden: 'topic_forbidden',
    tooManyTopics: 'too_many_topics',
    alreadySubscribed: 'already_subscribed',
    notSubscribed: 'not_subscribed',
    rateLimited: 'rate_limited',
    backplaneUnavailable: 'backplane_unavailable',
});

export const Transports = Object.freeze({ webSocket: 'websocket', serverSentEvents: 'sse', auto: 'auto' });

// Topic names: the user-id alphabet, 1 to 128 characters (a deployment may allow fewer).
const topicName = /^[A-Za-z0-9._@-]{1,128}$/;
const topicPrefix = 'topic:';
const userPrefix = 'user:';
const broadcastStream = 'broadcast';
const clientErrors = new Set([CloseCodes.protocolError, CloseCodes.unsupportedData, CloseCodes.invalidPayload, CloseCodes.messageTooBig]);
const retriedErrors = new Set([ErrorCodes.rateLimited, ErrorCodes.backplaneUnavailable]);

/** The client sent something wrong: reconnecting would only repeat it. */
export function isClientError(code) {
    return clientErrors.has(code);
}

/** The wait before reconnect attempt `attempt` (0 = the first after a drop): uniform in [0, min(max, base × 2^attempt)]. */
export function reconnectDelay(attempt, random = Math.random, baseMs = 250, maxMs = 30_000) {
    return random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
}

export function isTopicName(topic) {
    return typeof topic === 'string' && topicName.test(topic);
}

/** The last seq this client has of each stream; a notification at or below it is a duplicate. */
export class StreamPositions {
    #positions = new Map();

    /** True when `seq` is new for the stream, which then moves to it. */
    advance(stream, seq) {
        const position = this.#positions.get(stream);
        if (position !== undefined && seq <= position) {
            return false;
        }
        this.#positions.set(stream, seq);
        return true;
    }

    reset(stream, seq) {
        this.#positions.set(stream, seq);
    }

    has(stream) {
        return this.#positions.has(stream);
    }

    get(stream) {
        return this.#positions.get(stream);
    }

    forget(stream) {
        this.#positions.delete(stream);
    }

    /** The `since` query value: `stream:seq` pairs, comma-separated (the server splits each at its last colon). */
    toSince(streams = [...this.#positions.keys()]) {
        return streams.filter(stream => this.#positions.has(stream)).map(stream => `${stream}:${this.#positions.get(stream)}`).join(',');
    }

    toObject() {
        return Object.fromEntries(this.#positions);
    }
}

function connectUrl(path, protocol, serverUrl, accessToken, epoch, since, topics) {
    const url = new URL(path, serverUrl);
    url.protocol = protocol(url.protocol);
    url.searchParams.set('access_token', accessToken);
    if (topics?.length) {
        url.searchParams.set('topics', topics.join(','));
    }
    if (epoch) {
        url.searchParams.set('epoch', epoch);
        url.searchParams.set('since', since);
    }
    return url.toString();
}

/** The `/ws` address for a server URL (http → ws, https → wss), with the token, topics and, when resuming, epoch and since. */
export function webSocketUrl(serverUrl, accessToken, epoch, since, topics = []) {
    return connectUrl('/ws', protocol => protocol === 'https:' ? 'wss:' : 'ws:', serverUrl, accessToken, epoch, since, topics);
}

/** The `/sse` address for a server URL, with the token, topics and, when resuming, epoch and since. */
export function eventStreamUrl(serverUrl, accessToken, epoch, since, topics = []) {
    return connectUrl('/sse', protocol => protocol, serverUrl, accessToken, epoch, since, topics);
}

/**
 * One logical connection that stays up. Options: url (the API's http(s) address), getAccessToken (async, asked before
 * every attempt), onChange(status), onNotifications(items, status); transport ('auto' by default: a WebSocket, and
 * Server-Sent Events for good once `fallbackAfter` (3) WebSocket attempts in a row ended without a welcome;
 * 'websocket'; 'sse'); topics (subscribed from the start); pingIntervalMs, pongTimeoutMs, connectTimeoutMs,
 * baseDelayMs, maxDelayMs and random to tune it. `status` is a plain object: state ('connecting', 'open',
 * 'reconnecting', 'closed'), transport and transportReason, node, epoch, closeCode and closeReason of the last close,
 * closeCodes (every close so far, oldest first), rttMs (WebSocket only), reconnects, attempt, nodes (the replicas it
 * was on, oldest first), positions, lastResume and topics ({name: {state, error, lastResume}}; state 'pending',
 * 'subscribing', 'subscribed', 'unsubscribing' or 'refused').
 */
export class NotificationClient {
    #options;
    #positions = new StreamPositions();
    #epochs = new Map();
    #welcomePositions = {};
    #topics = new Map();
    #waiters = new Map();
    #topicRetries = new WeakMap();
    #connection = null;
    #lastWelcome = null;
    #stopped = true;
    #attempt = 0;
    #webSocketFailures = 0;
    #retryTimer = 0;
    #connectTimer = 0;
    #pingTimer = 0;
    #pendingPing = null;
    #lastPing = 0;
    #status = {
        state: 'connecting', transport: Transports.webSocket, transportReason: null, node: null, epoch: null, closeCode: null,
        closeReason: null, closeCodes: [], rttMs: null, reconnects: 0, attempt: 0, nodes: [], lastResume: null,
    };

    constructor(options) {
        this.#options = {
            transport: Transports.auto, fallbackAfter: 3, topics: [], pingIntervalMs: 5_000, pongTimeoutMs: 10_000,
            connectTimeoutMs: 10_000, baseDelayMs: 250, maxDelayMs: 30_000, random: Math.random,
            onChange() { }, onNotifications() { }, ...options,
        };
        if (this.#options.transport === Transports.serverSentEvents) {
            this.#status.transport = Transports.serverSentEvents;
            this.#status.transportReason = 'chosen';
        }
        for (const topic of this.#options.topics) {
            this.#checkName(topic);
            this.#topics.set(topic, { state: 'pending', error: null, lastResume: null });
        }
    }

    get status() {
        return {
            ...this.#status, nodes: [...this.#status.nodes], closeCodes: [...this.#status.closeCodes],
            positions: this.#positions.toObject(),
            topics: Object.fromEntries([...this.#topics].map(([topic, entry]) => [topic, { ...entry }])),
        };
    }

    start() {
        if (this.#stopped) {
            this.#stopped = false;
            this.#connect();
        }
    }

    /** Closes with 1000 and stops reconnecting; pending subscribes fail. */
    stop() {
        this.#stopped = true;
        clearTimeout(this.#retryTimer);
        const connection = this.#release();
        connection?.close(CloseCodes.normal, 'closed by the client');
        for (const topic of this.#waiters.keys()) {
            this.#settle(topic, { code: 'stopped', detail: 'the client stopped' });
        }
        this.#update({ state: 'closed', ...this.#closedWith(CloseCodes.normal, 'closed by the client') });
    }

    /**
     * Receives `topic` from now on, on this connection and every later one; resolves with `{topic, stream, position}`
     * once the server confirmed it, rejects with `{code, detail}` when the server refused it. Over a WebSocket a
     * `subscribe` frame goes out; over Server-Sent Events the stream is reopened with the topic in `topics`.
     */
    subscribe(topic) {
        this.#checkName(topic);
        const entry = this.#topics.get(topic);
        if (entry && entry.state !== 'refused' && entry.state !== 'unsubscribing') {
            return entry.state === 'subscribed'
                ? Promise.resolve({ topic, stream: topicPrefix + topic, position: this.#positions.get(topicPrefix + topic) ?? null })
                : this.#wait(topic);
        }
        if (entry) {
            this.#forgetTopic(topic); // a new subscription: what was published since the old one ended is not replayed
        }
        this.#topics.set(topic, { state: 'pending', error: null, lastResume: null });
        const answer = this.#wait(topic);
        this.#requestTopic(topic);
        this.#update({});
        return answer;
    }

    /** Stops receiving `topic`: nothing of it is delivered after this call. */
    unsubscribe(topic) {
        const entry = this.#topics.get(topic);
        if (!entry) {
            return;
        }
        this.#settle(topic, { code: 'unsubscribed', detail: 'unsubscribed before the server confirmed' });
        if (this.#isWebSocketOpen() && (entry.state === 'subscribed' || entry.state === 'subscribing')) {
            entry.state = 'unsubscribing';
            this.#send({ type: FrameTypes.unsubscribe, topic });
        } else {
            const wasOnStream = this.#connection?.topics?.includes(topic);
            this.#forgetTopic(topic);
            if (wasOnStream) {
                this.#reopen('topics changed');
            }
        }
        this.#update({});
    }

    #checkName(topic) {
        if (!isTopicName(topic)) {
            throw new TypeError(`"${topic}" is not a topic name: 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'.`);
        }
    }

    #wait(topic) {
        return new Promise((resolve, reject) => {
            const waiters = this.#waiters.get(topic) ?? [];
            waiters.push({ resolve, reject });
            this.#waiters.set(topic, waiters);
        });
    }

    /** Resolves (no error) or rejects the promises of subscribe(topic). */
    #settle(topic, error, value) {
        const waiters = this.#waiters.get(topic) ?? [];
        this.#waiters.delete(topic);
        for (const waiter of waiters) {
            error ? waiter.reject(error) : waiter.resolve(value);
        }
    }

    #requestTopic(topic) {
        if (this.#isWebSocketOpen()) {
            this.#sendSubscribe(topic);
        } else if (this.#connection?.kind === Transports.serverSentEvents && !this.#connection.topics.includes(topic)) {
            this.#reopen('topics changed');
        }
        // Otherwise the next connection takes it.
    }

    #sendSubscribe(topic) {
        const entry = this.#topics.get(topic);
        entry.state = 'subscribing';
        const stream = topicPrefix + topic;
        const frame = { type: FrameTypes.subscribe, topic };
        if (this.#positions.has(stream) && this.#epochs.has(stream)) {
            Object.assign(frame, { since: this.#positions.get(stream), epoch: this.#epochs.get(stream) });
        }
        this.#send(frame);
    }

    #forgetTopic(topic) {
        this.#topics.delete(topic);
        this.#positions.forget(topicPrefix + topic);
        this.#epochs.delete(topicPrefix + topic);
    }

    async #connect() {
        this.#update({ state: this.#status.nodes.length > 0 ? 'reconnecting' : 'connecting', attempt: this.#attempt });
        let accessToken;
        try {
            accessToken = await this.#options.getAccessToken();
        } catch (error) {
            this.#retry(CloseCodes.abnormal, `no access token: ${error}`);
            return;
        }
        if (this.#stopped || this.#connection) {
            return;
        }
        for (const [topic, entry] of [...this.#topics]) {
            if (entry.state === 'unsubscribing') {
                this.#forgetTopic(topic); // the connection it was on is gone, and the subscription with it
            }
        }
        this.#status.transport === Transports.serverSentEvents ? this.#openEventStream(accessToken) : this.#openWebSocket(accessToken);
    }

    /**
     * Over a WebSocket, topics are not put in the query but subscribed again with their positions after the welcome:
     * a topic the token no longer allows is refused alone, with an error frame, instead of the whole upgrade.
     */
    #openWebSocket(accessToken) {
        const { epoch, since } = this.#resumeFor([]);
        const socket = new WebSocket(webSocketUrl(this.#options.url, accessToken, epoch, since));
        const connection = { kind: Transports.webSocket, close: (code, reason) => socket.close(code, reason), socket, welcomed: false };
        this.#connection = connection;
        socket.onmessage = event => this.#receive(connection, JSON.parse(event.data));
        socket.onclose = event => this.#closed(connection, event.code, event.reason);
        this.#connectTimer = setTimeout(() => this.#drop(connection, 'no welcome within the connect timeout'), this.#options.connectTimeoutMs);
    }

    /**
     * An EventSource reconnects by itself with Last-Event-ID after the server ended the stream (drain, slow consumer)
     * or the network dropped it; this client steps in only when it gave up (a refused request), when the token expired,
     * when the topics changed, or when no welcome came.
     */
    #openEventStream(accessToken) {
        const topics = [...this.#topics].filter(([, entry]) => entry.state !== 'refused').map(([topic]) => topic);
        const { epoch, since } = this.#resumeFor(topics);
        const source = new EventSource(eventStreamUrl(this.#options.url, accessToken, epoch, since, topics));
        const connection = { kind: Transports.serverSentEvents, close: () => source.close(), source, welcomed: false, topics };
        this.#connection = connection;
        for (const type of [FrameTypes.welcome, FrameTypes.notification, FrameTypes.batch, FrameTypes.resumed, FrameTypes.close]) {
            source.addEventListener(type, event => this.#receive(connection, JSON.parse(event.data)));
        }
        source.onerror = () => this.#eventStreamError(connection);
        this.#connectTimer = setTimeout(() => this.#drop(connection, 'no welcome within the connect timeout'), this.#options.connectTimeoutMs);
    }

    #eventStreamError(connection) {
        if (connection !== this.#connection) {
            return;
        }
        if (connection.source.readyState === EventSource.CLOSED) {
            this.#closed(connection, CloseCodes.abnormal, 'the event stream was refused or failed');
            return;
        }
        // The browser reconnects by itself with Last-Event-ID; a welcome must come again within the connect timeout.
        if (connection.welcomed) {
            connection.welcomed = false;
            if (!connection.closeEvent) {
                this.#update({ state: 'reconnecting', ...this.#closedWith(CloseCodes.abnormal, 'the event stream dropped') });
            }
            connection.closeEvent = false;
            this.#connectTimer = setTimeout(() => this.#drop(connection, 'no welcome within the connect timeout'), this.#options.connectTimeoutMs);
        }
    }

    /**
     * The `epoch` and `since` to resume a connection with `topics` in its query (none before the first welcome). With
     * the streams of the last welcome its epoch goes back as it came; for other streams (the topics changed) the
     * connection epoch is put together from each stream's epoch, in the server's order (user, broadcast, topics), and
     * only streams whose epoch is known are resumed.
     */
    #resumeFor(topics) {
        if (!this.#lastWelcome) {
            return { epoch: null, since: '' };
        }
        const streams = [...this.#lastWelcome.streams.slice(0, 2), ...topics.map(topic => topicPrefix + topic)];
        if (streams.join(',') === this.#lastWelcome.streams.join(',')) {
            return { epoch: this.#lastWelcome.epoch, since: this.#positions.toSince(streams) };
        }
        return {
            epoch: streams.map(stream => this.#epochs.get(stream) ?? '-').join('.'),
            since: this.#positions.toSince(streams.filter(stream => this.#epochs.has(stream))),
        };
    }

    #receive(connection, frame) {
        if (connection !== this.#connection) {
            return;
        }
        switch (frame.type) {
            case FrameTypes.welcome: this.#welcome(connection, frame); break;
            case FrameTypes.notification: this.#deliver([frame], false); break;
            case FrameTypes.batch: this.#deliver(frame.items, frame.replay === true); break;
            case FrameTypes.resumed: this.#resumed(frame); break;
            case FrameTypes.pong: this.#pong(frame); break;
            case FrameTypes.subscribed: this.#subscribed(frame); break;
            case FrameTypes.unsubscribed: this.#unsubscribed(frame); break;
            case FrameTypes.error: this.#error(frame); break;
            case FrameTypes.close: this.#closeEvent(connection, frame); break;
            default: break; // forward compatibility: unknown frames are ignored
        }
    }

    #welcome(connection, frame) {
        clearTimeout(this.#connectTimer);
        const resuming = this.#lastWelcome !== null;
        connection.welcomed = true;
        const userStream = Object.keys(frame.positions).find(stream => stream.startsWith(userPrefix)) ?? `${userPrefix}${frame.userId}`;
        const streams = [userStream, broadcastStream, ...(connection.topics ?? []).map(topic => topicPrefix + topic)];
        const epochs = (frame.epoch ?? '').split('.');
        if (epochs.length === streams.length) {
            streams.forEach((stream, index) => this.#epochs.set(stream, epochs[index]));
        }
        this.#lastWelcome = { streams, epoch: frame.epoch };
        this.#welcomePositions = frame.positions;
        for (const [stream, head] of Object.entries(frame.positions)) {
            // A stream the client has no position in starts now; a resumed one waits for its replay.
            if (!resuming || !this.#positions.has(stream)) {
                this.#positions.reset(stream, head);
            }
        }
        const reconnects = this.#status.nodes.length > 0 ? this.#status.reconnects + 1 : 0;
        this.#attempt = 0;
        if (connection.kind === Transports.webSocket) {
            this.#webSocketFailures = 0;
            this.#startPings();
        } else {
            this.#confirmStreamTopics(connection, frame);
        }
        this.#update({
            state: 'open', node: frame.node, epoch: frame.epoch, reconnects, attempt: 0,
            nodes: [...this.#status.nodes, frame.node].slice(-10), lastResume: null,
        });
        if (connection.kind === Transports.webSocket && this.#topics.size > 0) {
            for (const [topic, entry] of this.#topics) {
                if (entry.state !== 'refused') {
                    this.#sendSubscribe(topic);
                }
            }
            this.#update({});
        }
    }

    /** Over Server-Sent Events the welcome confirms the query's topics: their streams are in its positions. */
    #confirmStreamTopics(connection, frame) {
        for (const topic of connection.topics) {
            const stream = topicPrefix + topic;
            const entry = this.#topics.get(topic);
            if (entry && stream in frame.positions) {
                entry.state = 'subscribed';
                entry.error = null;
                this.#settle(topic, null, { topic, stream, position: frame.positions[stream] });
            }
        }
    }

    #deliver(items, replayed) {
        const receivedAt = Date.now();
        const fresh = items
            .filter(item => this.#wanted(item.stream) && this.#positions.advance(item.stream, item.seq))
            .map(item => ({ id: item.id, stream: item.stream, seq: item.seq, sentAt: item.sentAt, data: item.data, receivedAt, replayed }));
        if (fresh.length > 0) {
            this.#options.onNotifications(fresh, this.status);
        }
    }

    /** A topic's notifications stop at unsubscribe(), even those already on their way. */
    #wanted(stream) {
        if (!stream.startsWith(topicPrefix)) {
            return true;
        }
        const state = this.#topics.get(stream.slice(topicPrefix.length))?.state;
        return state === 'subscribed' || state === 'subscribing' || state === 'pending';
    }

    #resumed(frame) {
        const streams = frame.streams ?? [];
        // What the history no longer holds cannot come back: those streams carry on from the welcome's positions.
        for (const stream of frame.recovered ? [] : streams) {
            this.#positions.reset(stream, this.#welcomePositions[stream] ?? 0);
        }
        this.#update({ lastResume: { recovered: frame.recovered, missed: frame.missed, reason: frame.reason ?? null, streams } });
    }

    #subscribed(frame) {
        const entry = this.#topics.get(frame.topic);
        if (!entry || entry.state !== 'subscribing') {
            return; // unsubscribed meanwhile: its unsubscribe is on its way
        }
        this.#epochs.set(frame.stream, frame.epoch);
        // Without a complete replay the stream carries on from the server's position.
        if (frame.recovered !== true) {
            this.#positions.reset(frame.stream, frame.position);
        }
        Object.assign(entry, {
            state: 'subscribed', error: null,
            lastResume: frame.recovered === undefined ? null : { recovered: frame.recovered, missed: frame.missed ?? 0, reason: frame.reason ?? null },
        });
        this.#settle(frame.topic, null, { topic: frame.topic, stream: frame.stream, position: frame.position });
        this.#update({});
    }

    #unsubscribed(frame) {
        if (this.#topics.get(frame.topic)?.state === 'unsubscribing') {
            this.#forgetTopic(frame.topic);
            this.#update({});
        }
    }

    #error(frame) {
        const entry = this.#topics.get(frame.topic);
        if (!entry) {
            return;
        }
        const error = { code: frame.code, detail: frame.detail ?? null };
        if (frame.code === ErrorCodes.alreadySubscribed) {
            if (entry.state === 'subscribing') {
                entry.state = 'subscribed';
                this.#settle(frame.topic, null, { topic: frame.topic, stream: topicPrefix + frame.topic, position: this.#positions.get(topicPrefix + frame.topic) ?? null });
            }
        } else if (frame.code === ErrorCodes.notSubscribed) {
            entry.state === 'unsubscribing' ? this.#forgetTopic(frame.topic) : this.#sendSubscribe(frame.topic);
        } else if (retriedErrors.has(frame.code)) {
            // The server could not take it now: ask again after a backoff delay, on this connection if it is still up.
            entry.error = error;
            const retries = (this.#topicRetries.get(entry) ?? 0) + 1;
            this.#topicRetries.set(entry, retries);
            const retry = entry.state === 'unsubscribing' ? FrameTypes.unsubscribe : FrameTypes.subscribe;
            setTimeout(() => this.#retryTopic(frame.topic, entry, retry),
                reconnectDelay(retries, this.#options.random, this.#options.baseDelayMs * 4, this.#options.maxDelayMs));
        } else {
            Object.assign(entry, { state: 'refused', error });
            this.#settle(frame.topic, error);
        }
        this.#update({});
    }

    #retryTopic(topic, entry, type) {
        if (this.#topics.get(topic) !== entry || !this.#isWebSocketOpen()) {
            return; // gone, or the next connection subscribes it again
        }
        if (type === FrameTypes.subscribe && entry.state === 'subscribing') {
            this.#sendSubscribe(topic);
        } else if (type === FrameTypes.unsubscribe && entry.state === 'unsubscribing') {
            this.#send({ type: FrameTypes.unsubscribe, topic });
        }
    }

    /** Server-Sent Events: the server ends the stream with what a WebSocket would get as a close code. */
    #closeEvent(connection, frame) {
        connection.closeEvent = true;
        if (isClientError(frame.code) || frame.code === CloseCodes.tokenExpired) {
            // A client error stops; an expired token needs a new one, which the EventSource cannot get by itself.
            this.#release().close();
            isClientError(frame.code) ? this.#stopWith(frame.code, frame.reason) : this.#retry(frame.code, frame.reason);
            return;
        }
        this.#update({ state: 'reconnecting', ...this.#closedWith(frame.code, frame.reason) });
    }

    #startPings() {
        clearInterval(this.#pingTimer);
        this.#pendingPing = null;
        this.#pingTimer = setInterval(() => this.#ping(), this.#options.pingIntervalMs);
        this.#ping();
    }

    #ping() {
        if (!this.#isWebSocketOpen()) {
            return;
        }
        if (this.#pendingPing) {
            if (performance.now() - this.#pendingPing.sentAt > this.#options.pongTimeoutMs) {
                this.#drop(this.#connection, 'no pong within the timeout');
            }
            return;
        }
        this.#pendingPing = { t: ++this.#lastPing, sentAt: performance.now() };
        this.#send({ type: FrameTypes.ping, t: this.#pendingPing.t });
    }

    #pong(frame) {
        if (this.#pendingPing && frame.t === this.#pendingPing.t) {
            const rttMs = performance.now() - this.#pendingPing.sentAt;
            this.#pendingPing = null;
            this.#update({ rttMs });
        }
    }

    #isWebSocketOpen() {
        return this.#connection?.kind === Transports.webSocket && this.#connection.welcomed
            && this.#connection.socket.readyState === WebSocket.OPEN;
    }

    #send(frame) {
        this.#connection.socket.send(JSON.stringify(frame));
    }

    /** Gives up on a connection that went silent without waiting for a close handshake that may never come. */
    #drop(connection, reason) {
        if (connection === this.#connection) {
            this.#release().close();
            this.#failed(connection, CloseCodes.abnormal, reason);
        }
    }

    /** Server-Sent Events: the topics changed, so the stream is opened again with them (and the positions so far). */
    #reopen(reason) {
        this.#release()?.close();
        clearTimeout(this.#retryTimer);
        this.#update({ state: 'reconnecting', closeReason: reason });
        this.#connect();
    }

    #closed(connection, code, reason) {
        if (connection !== this.#connection) {
            return;
        }
        this.#release();
        if (isClientError(code)) {
            this.#stopWith(code, reason);
            return;
        }
        this.#failed(connection, code, reason);
    }

    /**
     * A connection ended. One that never got a welcome counts toward the WebSocket fallback; an event stream that never
     * got one drops the topics it was the first to ask for (the browser cannot tell which refusal it was).
     */
    #failed(connection, code, reason) {
        if (!connection.welcomed && connection.kind === Transports.webSocket) {
            this.#webSocketFailures++;
            if (this.#options.transport === Transports.auto && this.#webSocketFailures >= this.#options.fallbackAfter) {
                this.#attempt = 0;
                this.#update({
                    transport: Transports.serverSentEvents,
                    transportReason: `${this.#webSocketFailures} WebSocket attempts in a row ended without a welcome`,
                });
            }
        } else if (!connection.welcomed && connection.topics) {
            for (const topic of connection.topics) {
                const entry = this.#topics.get(topic);
                if (entry?.state === 'pending') {
                    const error = { code: 'refused', detail: 'the event stream was refused with this topic; subscribe again to retry' };
                    Object.assign(entry, { state: 'refused', error });
                    this.#settle(topic, error);
                }
            }
        }
        this.#retry(code, reason);
    }

    #stopWith(code, reason) {
        this.#stopped = true;
        this.#update({ state: 'closed', ...this.#closedWith(code, reason) });
    }

    #retry(code, reason) {
        if (this.#stopped) {
            return;
        }
        this.#update({ state: 'reconnecting', ...this.#closedWith(code, reason) });
        const { random, baseDelayMs, maxDelayMs } = this.#options;
        this.#retryTimer = setTimeout(() => this.#connect(), reconnectDelay(this.#attempt++, random, baseDelayMs, maxDelayMs));
    }

    #closedWith(code, reason) {
        return { closeCode: code, closeReason: reason || null, closeCodes: [...this.#status.closeCodes, code].slice(-20) };
    }

    /** Detaches the current connection from the client and returns it. */
    #release() {
        const connection = this.#connection;
        this.#connection = null;
        clearTimeout(this.#connectTimer);
        clearInterval(this.#pingTimer);
        this.#pendingPing = null;
        if (connection?.socket) {
            connection.socket.onmessage = null;
            connection.socket.onclose = null;
        }
        if (connection?.source) {
            connection.source.onerror = null;
        }
        return connection;
    }

    #update(changes) {
        Object.assign(this.#status, changes);
        this.#options.onChange(this.status);
    }
}
