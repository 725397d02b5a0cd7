// `io.bind(engine)` with an engine.io 6.6 Server (not ours): CONNECT answered, events both ways, acks and binary.
// Run against socket.io 4.8 (proving the test) and ours.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { Server as EngineIoServer } from 'engine.io';
import { Server as OfficialServer } from 'socket.io';
import { io as connectClient } from 'socket.io-client';
import { Server } from '@switchboard/server';
import { waitFor } from './server-kit.js';

const IMPLEMENTATIONS: readonly { name: string; create(): Server }[] = [
  { name: 'socket.io 4.8 (official)', create: () => new OfficialServer() as unknown as Server },
  { name: '@switchboard/server', create: () => new Server() },
];

for (const impl of IMPLEMENTATIONS) {
  describe(`io.bind(engine.io Server) on ${impl.name}`, () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    for (const transport of ['polling', 'websocket'] as const) {
      test(`a client connects, and events, acks and binary go both ways (${transport})`, async () => {
        const httpServer = createServer();
        const engine = new EngineIoServer();
        engine.attach(httpServer, { path: '/socket.io/' });
        const io = impl.create();
        io.bind(engine);
        io.on('connection', (socket) => {
          socket.emit('welcome', Buffer.from([1, 2, 3]));
          socket.on('echo', (payload: unknown, ack: (reply: unknown) => void) => ack(payload));
        });
        await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
        const port = (httpServer.address() as AddressInfo).port;
        const client = connectClient(`http://127.0.0.1:${port}`, {
          forceNew: true,
          reconnection: false,
          transports: [transport],
        });
        cleanups.push(() => {
          client.disconnect();
          httpServer.closeAllConnections();
          engine.close();
          return new Promise<void>((resolve) => httpServer.close(() => resolve()));
        });
        const [welcome] = await waitFor<[Buffer]>(client, 'welcome');
        assert.deepEqual([...welcome], [1, 2, 3]);
        const reply = (await client.timeout(5000).emitWithAck('echo', { text: 'hi', bytes: Buffer.from([4, 5]) })) as {
          text: string;
          bytes: Buffer;
        };
        assert.equal(reply.text, 'hi');
        assert.deepEqual([...reply.bytes], [4, 5]);
      });
    }
  });
}
