// A browser client for the AspireNotify wire contract (docs/protocol.md), with no dependencies: copy this file into
// any front end. It keeps one WebSocket up: reconnects with exponential backoff and full jitter, resumes from the last
// seq of each stream (epoch + since), drops duplicates by stream and seq, and measures round-trip time with ping
// frames (a missing pong counts as a dead connection).
//
// A browser never sees the HTTP status of a refused upgrade (400, 401, 403, 503 all look like close code 1006), so
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

// The frame types of the contract: what the server sends, and the client's ping.
export const FrameTypes = Object.freeze({
    welcome: 'welcome',
    notification: 'notification',
    batch: 'batch',
    resumed: 'resumed',
    pong: 'pong',
    ping: 'ping',
});

const clientErrors = new Set([CloseCodes.protocolError, CloseCodes.unsupportedData, CloseCodes.invalidPayload, CloseCodes.messageTooBig]);

/** The client sent something wrong: reconnecting would only repeat it. */
export function isClientError(code) {
    return clientErrors.has(code);
}

/** The wait before reconnect attempt `attempt` (0 = the first after a drop): uniform in [0, min(max, base × 2^attempt)]. */
export function reconnectDelay(attempt, random = Math.random, baseMs = 250, maxMs = 30_000) {
    return random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
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

    /** The `since` query value: `stream:seq` pairs, comma-separated (the server splits each at its last colon). */
    toSince() {
        return [...this.#positions].map(([stream, seq]) => `${stream}:${seq}`).join(',');
    }

    toObject() {
        return Object.fromEntries(this.#positions);
    }
}

/** The `/ws` address for a server URL (http → ws, https → wss), with the token and, when resuming, epoch and since. */
export function webSocketUrl(serverUrl, accessToken, epoch, since) {
    const url = new URL('/ws', serverUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('access_token', accessToken);
    if (epoch) {
        url.searchParams.set('epoch', epoch);
        url.searchParams.set('since', since);
    }
    return url.toString();
}

/**
 * One logical connection that stays up. Options: url (the API's http(s) address), getAccessToken (async, asked before
 * every attempt), onChange(status), onNotifications(items, status); pingIntervalMs, pongTimeoutMs, connectTimeoutMs,
 * baseDelayMs, maxDelayMs and random to tune it. `status` is a plain object: state ('connecting', 'open',
 * 'reconnecting', 'closed'), node, epoch, closeCode and closeReason of the last close, closeCodes (every close so far,
 * oldest first), rttMs, reconnects, attempt, nodes (the replicas it was on, oldest first), positions and lastResume.
 */
export class NotificationClient {
    #options;
    #positions = new StreamPositions();
    #welcomePositions = {};
    #socket = null;
    #resuming = false;
    #stopped = true;
    #attempt = 0;
    #retryTimer = 0;
    #connectTimer = 0;
    #pingTimer = 0;
    #pendingPing = null;
    #lastPing = 0;
    #status = {
        state: 'connecting', node: null, epoch: null, closeCode: null, closeReason: null, closeCodes: [], rttMs: null,
        reconnects: 0, attempt: 0, nodes: [], lastResume: null,
    };

    constructor(options) {
        this.#options = {
            pingIntervalMs: 5_000, pongTimeoutMs: 10_000, connectTimeoutMs: 10_000, baseDelayMs: 250, maxDelayMs: 30_000,
            random: Math.random, onChange() { }, onNotifications() { }, ...options,
        };
    }

    get status() {
        return {
            ...this.#status, nodes: [...this.#status.nodes], closeCodes: [...this.#status.closeCodes],
            positions: this.#positions.toObject(),
        };
    }

    start() {
        if (this.#stopped) {
            this.#stopped = false;
            this.#connect();
        }
    }

    /** Closes with 1000 and stops reconnecting. */
    stop() {
        this.#stopped = true;
        clearTimeout(this.#retryTimer);
        const socket = this.#release();
        if (socket) {
            socket.close(CloseCodes.normal, 'closed by the client');
        }
        this.#update({ state: 'closed', ...this.#closedWith(CloseCodes.normal, 'closed by the client') });
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
        if (this.#stopped) {
            return;
        }

        this.#resuming = this.#status.epoch !== null;
        const socket = new WebSocket(webSocketUrl(this.#options.url, accessToken, this.#status.epoch, this.#positions.toSince()));
        this.#socket = socket;
        socket.onmessage = event => this.#receive(JSON.parse(event.data));
        socket.onclose = event => this.#closed(socket, event.code, event.reason);
        this.#connectTimer = setTimeout(() => this.#drop(socket, 'no welcome within the connect timeout'), this.#options.connectTimeoutMs);
    }

    #receive(frame) {
        switch (frame.type) {
            case FrameTypes.welcome: this.#welcome(frame); break;
            case FrameTypes.notification: this.#deliver([frame], false); break;
            case FrameTypes.batch: this.#deliver(frame.items, frame.replay === true); break;
            case FrameTypes.resumed: this.#resumed(frame); break;
            case FrameTypes.pong: this.#pong(frame); break;
            default: break; // forward compatibility: unknown frames are ignored
        }
    }

    #welcome(frame) {
        clearTimeout(this.#connectTimer);
        this.#welcomePositions = frame.positions;
        for (const [stream, head] of Object.entries(frame.positions)) {
            // A stream the client has no position in starts now; a resumed one waits for its replay.
            if (!this.#resuming || !this.#positions.has(stream)) {
                this.#positions.reset(stream, head);
            }
        }
        const reconnects = this.#status.nodes.length > 0 ? this.#status.reconnects + 1 : 0;
        this.#attempt = 0;
        this.#update({
            state: 'open', node: frame.node, epoch: frame.epoch, reconnects, attempt: 0,
            nodes: [...this.#status.nodes, frame.node].slice(-10), lastResume: null,
        });
        clearInterval(this.#pingTimer);
        this.#pendingPing = null;
        this.#pingTimer = setInterval(() => this.#ping(), this.#options.pingIntervalMs);
        this.#ping();
    }

    #deliver(items, replayed) {
        const receivedAt = Date.now();
        const fresh = items
            .filter(item => this.#positions.advance(item.stream, item.seq))
            .map(item => ({ id: item.id, stream: item.stream, seq: item.seq, sentAt: item.sentAt, data: item.data, receivedAt, replayed }));
        if (fresh.length > 0) {
            this.#options.onNotifications(fresh, this.status);
        }
    }

    #resumed(frame) {
        const streams = frame.streams ?? [];
        // What the history no longer holds cannot come back: those streams carry on from the welcome's positions.
        for (const stream of frame.recovered ? [] : streams) {
            this.#positions.reset(stream, this.#welcomePositions[stream] ?? 0);
        }
        this.#update({ lastResume: { recovered: frame.recovered, missed: frame.missed, reason: frame.reason ?? null, streams } });
    }

    #ping() {
        const socket = this.#socket;
        if (socket?.readyState !== WebSocket.OPEN) {
            return;
        }
        if (this.#pendingPing) {
            if (performance.now() - this.#pendingPing.sentAt > this.#options.pongTimeoutMs) {
                this.#drop(socket, 'no pong within the timeout');
            }
            return;
        }
        this.#pendingPing = { t: ++this.#lastPing, sentAt: performance.now() };
        socket.send(JSON.stringify({ type: FrameTypes.ping, t: this.#pendingPing.t }));
    }

    #pong(frame) {
        if (this.#pendingPing && frame.t === this.#pendingPing.t) {
            const rttMs = performance.now() - this.#pendingPing.sentAt;
            this.#pendingPing = null;
            this.#update({ rttMs });
        }
    }

    /** Gives up on a socket that went silent without waiting for a close handshake that may never come. */
    #drop(socket, reason) {
        if (socket === this.#socket) {
            this.#release().close();
            this.#retry(CloseCodes.abnormal, reason);
        }
    }

    #closed(socket, code, reason) {
        if (socket !== this.#socket) {
            return;
        }
        this.#release();
        if (isClientError(code)) {
            this.#stopped = true;
            this.#update({ state: 'closed', ...this.#closedWith(code, reason) });
            return;
        }
        this.#retry(code, reason);
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

    /** Detaches the current socket from the client and returns it. */
    #release() {
        const socket = this.#socket;
        this.#socket = null;
        clearTimeout(this.#connectTimer);
        clearInterval(this.#pingTimer);
        this.#pendingPing = null;
        if (socket) {
            socket.onmessage = null;
            socket.onclose = null;
        }
        return socket;
    }

    #update(changes) {
        Object.assign(this.#status, changes);
        this.#options.onChange(this.status);
    }
}
