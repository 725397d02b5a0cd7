// The official socket.io 4 server layer running on our engine (`io.bind(engine)`), with the official socket.io-client:
// proves the engine's API is the one socket.io codes against (connection, data, write, close, request, upgrade).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Server as Engine } from '@switchboard/engine';
import { Server as SocketIoServer } from 'socket.io';
import { io as connect } from 'socket.io-client';

function once<T extends unknown[]>(
  target: { once(event: string, fn: (...args: T) => void): unknown },
  event: string,
  timeoutMs = 3000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    target.once(event, (...args: T) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

describe('official socket.io server bound to our engine', () => {
  it('connects, upgrades, exchanges events with binary and acks, and sees the disconnect', async () => {
    const http = createServer();
    const engine = new Engine({ pingInterval: 10_000 });
    engine.attach(http, { path: '/socket.io' });
    const io = new SocketIoServer();
    io.bind(engine);
    io.on('connection', (socket) => {
      socket.on('echo', (value: unknown, ack: (reply: unknown) => void) => ack(value));
      socket.emit('welcome', { remote: socket.handshake.address, secure: socket.handshake.secure });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    const client = connect(`http://127.0.0.1:${port}`, { reconnection: false });
    try {
      const [welcome] = await once<[{ remote: string; secure: boolean }]>(client, 'welcome');
      assert.deepEqual(welcome, { remote: '127.0.0.1', secure: false });
      // The upgrade may already be done by the time the welcome event arrives.
      if (client.io.engine.transport.name !== 'websocket') await once(client.io.engine, 'upgrade');
      const reply = await client.timeout(2000).emitWithAck('echo', { text: 'hi', bytes: Buffer.from([1, 2, 3]) });
      assert.deepEqual(reply, { text: 'hi', bytes: Buffer.from([1, 2, 3]) });
      const [serverSocket] = [...io.sockets.sockets.values()];
      assert.ok(serverSocket);
      const disconnected = once<[string]>(serverSocket, 'disconnect');
      client.disconnect();
      assert.equal((await disconnected)[0], 'client namespace disconnect');
    } finally {
      client.disconnect();
      void io.close();
      engine.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
