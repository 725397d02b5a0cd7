// The emit path's guard against a connection that died while the machine slept (engine.io-client 6.6 behaviour).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { io } from './index.js';
import type { Socket } from './socket.js';

const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 5_000;

/** What the stand-in server received: the connection's number and the Socket.IO packet text. */
const received: Array<{ connection: number; text: string }> = [];
let onReceive: (() => void) | undefined;
let wss: WebSocketServer;
let socket: Socket;

/** Resolves once `check` holds, re-checked on each message the server receives; fails after 2 s. */
function receivedWhen(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not received in time: ${JSON.stringify(received)}`)), 2000);
    onReceive = () => {
      if (!check()) return;
      clearTimeout(timer);
      onReceive = undefined;
      resolve();
    };
    onReceive();
  });
}

before(async () => {
  // A minimal Engine.IO v4 / Socket.IO v5 server over WebSocket: handshake, namespace CONNECT, and a log.
  let connections = 0;
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => {
    const connection = ++connections;
    const handshake = {
      sid: `e${connection}`,
      upgrades: [],
      pingInterval: PING_INTERVAL_MS,
      pingTimeout: PING_TIMEOUT_MS,
      maxPayload: 1e6,
    };
    ws.send('0' + JSON.stringify(handshake));
    ws.on('message', (data) => {
      const text = String(data);
      if (text === '40') ws.send(`40{"sid":"s${connection}"}`);
      else if (text.startsWith('4')) received.push({ connection, text: text.slice(1) });
      onReceive?.();
    });
  });
  const { port } = wss.address() as AddressInfo;
  socket = io(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 10,
    reconnectionDelayMax: 10,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connect within 2 s')), 2000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
});

after(async () => {
  socket.disconnect();
  for (const client of wss.clients) client.terminate();
  await new Promise((resolve) => wss.close(resolve));
});

test('buffers an emit made after the ping deadline passed unnoticed, disconnects with ping timeout, and sends it after reconnecting', async (t) => {
  const reasons: string[] = [];
  socket.on('disconnect', (reason) => reasons.push(reason));
  // The machine slept past pingInterval + pingTimeout: the clock moved on, the heartbeat timer has not fired.
  const woke = Date.now() + PING_INTERVAL_MS + PING_TIMEOUT_MS + 1;
  const clock = t.mock.method(Date, 'now', () => woke);
  socket.emit('late', 1);
  clock.mock.restore();
  assert.equal(socket.sendBuffer.length, 1, 'the emit waits in the buffer');
  await receivedWhen(() => received.some((r) => r.text === '2["late",1]'));
  assert.deepEqual(reasons, ['ping timeout']);
  assert.deepEqual(received, [{ connection: 2, text: '2["late",1]' }], 'sent once, on the new connection');
});
