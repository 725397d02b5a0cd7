// A Socket.IO client that stops reading: the engine's buffer bound closes its connection, and the reason the engine
// gives reaches the server socket's `disconnect` listeners.
import assert from 'node:assert/strict';
import type { Socket as TcpSocket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Socket } from '@switchboard/server';
import { startServer, waitFor, within, type TestServer } from './server-kit.js';

const BOUND = 256 * 1024;
const PAYLOAD = 'x'.repeat(16 * 1024);

describe('a Socket.IO client that stops reading', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ maxBufferedBytes: BOUND, bufferFullTimeout: 60_000, pingInterval: 10_000 });
  });
  after(() => server.close());

  test('is disconnected with "transport buffer full" once twice maxBufferedBytes piles up', async () => {
    const connected = waitFor<[Socket]>(server.io, 'connection');
    const client = server.client('/', { transports: ['websocket'] });
    const [socket] = await connected;
    if (!client.connected) await waitFor(client, 'connect');
    // Pause the client's raw TCP socket: it reads nothing more, as a stalled consumer.
    const engine = client.io.engine as unknown as { transport: { ws: { _socket: TcpSocket } } };
    engine.transport.ws._socket.pause();
    const disconnected = waitFor<[string]>(socket, 'disconnect', 10_000);
    // Bounded: 64 MB at most, far past what the loopback's kernel buffers and the bound hold.
    for (let round = 0; round < 1000 && socket.connected; round++) {
      for (let i = 0; i < 4 && socket.connected; i++) socket.emit('tick', PAYLOAD);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal((await disconnected)[0], 'transport buffer full');
  });

  test('shows the bytes held in socket.bufferedBytes, drops volatile emits over the bound, and drains when read again', async () => {
    const connected = waitFor<[Socket]>(server.io, 'connection');
    const client = server.client('/', { transports: ['websocket'] });
    const [socket] = await connected;
    if (!client.connected) await waitFor(client, 'connect');
    const engine = client.io.engine as unknown as { transport: { ws: { _socket: TcpSocket } } };
    const tcp = engine.transport.ws._socket;
    tcp.pause();
    // Over the bound but under twice it: the connection stays, regular emits are held.
    // Bounded: 64 MB at most; the loopback's kernel buffers take a few MB before anything is held.
    for (let round = 0; round < 4000 && socket.bufferedBytes <= BOUND * 1.25; round++) {
      socket.emit('tick', PAYLOAD);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(socket.bufferedBytes > BOUND, `held ${socket.bufferedBytes} bytes, over the ${BOUND}-byte bound`);
    const held = socket.bufferedBytes;
    for (let i = 0; i < 8; i++) socket.volatile.emit('tick', PAYLOAD);
    server.io.volatile.emit('tick', PAYLOAD);
    assert.equal(socket.bufferedBytes, held, 'volatile emits were dropped, nothing more held');
    const drained = within(
      new Promise((resolve) => socket.conn.once('drain', resolve)),
      10_000,
      'drain after the client reads again',
    );
    tcp.resume();
    await drained;
    assert.equal(socket.connected, true);
  });
});
