'use strict';
// The scaling guide's plain Node notification server, written for `bench/run.sh compare`: express + ws + ioredis, a
// Map<userId, Set<WebSocket>>, sendToUser/broadcastToAll over Redis pub/sub, a 30 s ping that terminates dead sockets.
// The guide's broadcast bug (sending only to this instance's sockets) is fixed: broadcasts go through Redis too, so
// they reach every instance. There is no auth: the user id comes from the query (`/ws?userId=alice`). It answers
// `GET /health/websocket` in the shape AspireNotify's replicas use, and takes the same publish requests.
const http = require('node:http');
const crypto = require('node:crypto');
const express = require('express');
const { WebSocket, WebSocketServer } = require('ws');
const Redis = require('ioredis');

const port = Number(process.env.PORT ?? 3000);
const nodeName = process.env.NODE_NAME ?? `seed-${process.pid}`;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const userChannel = 'seed:user';
const broadcastChannel = 'seed:broadcast';
const heartbeatMilliseconds = 30_000;

/** @type {Map<string, Set<WebSocket>>} this instance's sockets by user */
const connections = new Map();
let connectionCount = 0;

// A connection in subscriber mode can only subscribe, so publishing needs its own.
const publisher = new Redis(redisUrl);
const subscriber = new Redis(redisUrl);
let subscribed = false;

function addConnection(userId, ws) {
  let sockets = connections.get(userId);
  if (!sockets) {
    sockets = new Set();
    connections.set(userId, sockets);
  }
  sockets.add(ws);
  connectionCount++;
}

function removeConnection(userId, ws) {
  const sockets = connections.get(userId);
  if (sockets?.delete(ws)) {
    connectionCount--;
    if (sockets.size === 0) {
      connections.delete(userId);
    }
  }
}

// The frame is encoded once per message and instance, not once per socket.
function deliver(sockets, frame) {
  const bytes = Buffer.from(frame);
  for (const ws of sockets) {
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(bytes, { binary: false });
    }
  }
}

function newNotification(data) {
  return { type: 'notification', id: crypto.randomUUID(), data, timestamp: new Date().toISOString() };
}

// Every instance gets every user's messages and keeps those for users it holds.
function sendToUser(userId, notification) {
  return publisher.publish(userChannel, JSON.stringify({ userId, notification }));
}

function broadcastToAll(notification) {
  return publisher.publish(broadcastChannel, JSON.stringify(notification));
}

subscriber.on('message', (channel, message) => {
  if (channel === broadcastChannel) {
    deliver(wss.clients, message);
    return;
  }
  const { userId, notification } = JSON.parse(message);
  const sockets = connections.get(userId);
  if (sockets) {
    deliver(sockets, JSON.stringify(notification));
  }
});
subscriber.subscribe(userChannel, broadcastChannel).then(() => { subscribed = true; });

const app = express();
app.use(express.json());

// Express 4 does not catch a rejected promise: answer 503 when Redis refuses the publish.
function publishRoute(publish) {
  return async (request, response) => {
    if (request.body?.data === undefined) {
      response.status(400).json({ error: 'data is required' });
      return;
    }
    const notification = newNotification(request.body.data);
    try {
      await publish(request, notification);
      response.status(202).json({ id: notification.id });
    } catch (error) {
      response.status(503).json({ error: error.message });
    }
  };
}

app.post('/api/notifications/users/:userId', publishRoute((request, notification) => sendToUser(request.params.userId, notification)));
app.post('/api/notifications/broadcast', publishRoute((_, notification) => broadcastToAll(notification)));

app.get('/health/websocket', (_, response) => {
  const memory = process.memoryUsage();
  response.json({
    healthy: subscribed && publisher.status === 'ready' && subscriber.status === 'ready',
    node: nodeName,
    connections: { total: connectionCount, users: connections.size },
    memory: { workingSetBytes: memory.rss, gcHeapBytes: memory.heapUsed },
    timestamp: new Date().toISOString(),
  });
});

const server = http.createServer(app);
const wss = new WebSocketServer({ server, path: '/ws' });

wss.on('connection', (ws, request) => {
  const userId = new URL(request.url, 'http://localhost').searchParams.get('userId');
  if (!userId) {
    ws.close(1008, 'userId query parameter required');
    return;
  }
  addConnection(userId, ws);
  ws.isAlive = true;
  ws.on('pong', () => { ws.isAlive = true; });
  ws.on('close', () => removeConnection(userId, ws));
  ws.on('error', () => ws.terminate());
});

// A socket that did not answer the last ping is gone (a client that lost its network never sends a close).
setInterval(() => {
  for (const ws of wss.clients) {
    if (!ws.isAlive) {
      ws.terminate();
      continue;
    }
    ws.isAlive = false;
    ws.ping();
  }
}, heartbeatMilliseconds);

server.listen(port, '127.0.0.1', () => console.log(`${nodeName} listening on http://127.0.0.1:${port}`));
