// Volatile packets are dropped whenever the transport is not ready to write: of several volatile emits in one tick
// only the first goes out (binary and broadcasts too), and regular events after a dropped one still go out. Run
// against socket.io 4.8 (proving the expectations) and ours, over WebSocket and polling.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Socket } from '@switchboard/server';
import { SERVER_IMPLEMENTATIONS, startServer, waitFor, type TestServer } from './server-kit.js';

type Burst = (socket: Socket, server: TestServer) => void;

const BURSTS: readonly [string, Burst][] = [
  [
    'socket.volatile.emit',
    (socket) => {
      for (let i = 1; i <= 3; i++) socket.volatile.emit('v', i);
      socket.emit('done');
    },
  ],
  [
    'socket.volatile.emit with binary',
    (socket) => {
      for (let i = 1; i <= 3; i++) socket.volatile.emit('v', Buffer.from([i]));
      socket.emit('done');
    },
  ],
  [
    'io.volatile.emit (broadcast)',
    (_socket, server) => {
      for (let i = 1; i <= 3; i++) server.io.volatile.emit('v', i);
      server.io.emit('done');
    },
  ],
];

for (const impl of SERVER_IMPLEMENTATIONS) {
  describe(`volatile packets on ${impl.name}`, () => {
    const servers: TestServer[] = [];
    after(async () => {
      for (const server of servers) await server.close();
    });

    for (const transport of ['websocket', 'polling'] as const) {
      for (const [name, burst] of BURSTS) {
        test(`${name}: only the first of three in one tick goes out, the next regular event too (${transport})`, async () => {
          const server = await startServer({}, 0, impl.create);
          servers.push(server);
          server.io.on('connection', (socket) => socket.on('go', () => burst(socket, server)));
          const client = server.client('/', { transports: [transport] });
          const received: unknown[] = [];
          client.on('v', (value: unknown) => received.push(Buffer.isBuffer(value) ? [...value] : value));
          await waitFor(client, 'connect');
          client.emit('go');
          await waitFor(client, 'done');
          assert.equal(received.length, 1, JSON.stringify(received));
          assert.deepEqual(received[0], Array.isArray(received[0]) ? [1] : 1);
        });
      }
    }
  });
}
