import assert from 'node:assert/strict';
import type { Socket as TcpSocket } from 'node:net';
import { describe, it } from 'node:test';
import { PreparedMessage } from './prepared-message.js';
import type { Socket } from './socket.js';
import { pollingHandshake, RawWebSocket, startEngine, waitFor } from './testing/harness.js';
import type { Harness } from './testing/harness.js';

const BOUND = 256 * 1024;
const MESSAGE = 'x'.repeat(16 * 1024);
// Up to 64 MB: enough to fill the loopback's kernel buffers (about 3.5 MB here; the paused reader keeps its receive
// buffer from growing) and then the bound several times over. Filling stops as soon as the goal is reached.
const MAX_ROUNDS = 1000;
const PER_ROUND = 4;

interface PausedClient {
  h: Harness;
  client: RawWebSocket;
  socket: Socket;
  serverTcp: () => TcpSocket;
  resume(): void;
}

/** A WebSocket session whose client reads nothing: its raw TCP socket is paused, as a stalled consumer's would be. */
async function pausedClient(options: { bufferFullTimeout?: number } = {}): Promise<PausedClient> {
  const h = await startEngine({ pingInterval: 10_000, maxBufferedBytes: BOUND, bufferFullTimeout: 60_000, ...options });
  const tcps: TcpSocket[] = [];
  h.http.on('connection', (tcp: TcpSocket) => tcps.push(tcp));
  const client = new RawWebSocket(h.port, 'EIO=4&transport=websocket');
  const [socket] = await waitFor<[Socket]>(h.engine, 'connection');
  await client.next();
  const raw = (client.ws as unknown as { _socket: TcpSocket })._socket;
  raw.pause();
  return { h, client, socket, serverTcp: () => tcps[0] as TcpSocket, resume: () => raw.resume() };
}

/** Sends 16 KiB messages, a few per turn, until the session is over the bound or closed (bounded in rounds). */
async function fill(
  session: PausedClient,
  until: () => boolean,
): Promise<{ sent: number; maxBuffered: number; maxSocket: number }> {
  let sent = 0;
  let maxBuffered = 0;
  let maxSocket = 0;
  for (let round = 0; round < MAX_ROUNDS && !until(); round++) {
    for (let i = 0; i < PER_ROUND && session.socket.readyState === 'open'; i++) {
      session.socket.send(`${sent++}:${MESSAGE}`);
      maxBuffered = Math.max(maxBuffered, session.socket.bufferedBytes);
    }
    await new Promise((resolve) => setImmediate(resolve));
    maxBuffered = Math.max(maxBuffered, session.socket.bufferedBytes);
    maxSocket = Math.max(maxSocket, session.serverTcp().writableLength);
  }
  return { sent, maxBuffered, maxSocket };
}

describe('back-pressure on slow WebSocket clients', () => {
  it('closes a paused client’s session with "transport buffer full" once twice maxBufferedBytes piles up', async () => {
    const session = await pausedClient();
    try {
      const closed = waitFor<[string, Error | undefined]>(session.socket, 'close', 10_000);
      const { maxBuffered, maxSocket } = await fill(session, () => session.socket.readyState === 'closed');
      const [reason, description] = await closed;
      assert.equal(reason, 'transport buffer full');
      assert.equal((description as { code?: string } | undefined)?.code, 'EIO_ERR_BUFFER_FULL');
      // Bounded on the way: never more than the hard cap plus the one message that crossed it.
      const ceiling = 2 * BOUND + MESSAGE.length + 64;
      assert.ok(maxBuffered <= ceiling, `buffered ${maxBuffered} > ${ceiling}`);
      assert.ok(maxSocket <= ceiling, `socket held ${maxSocket} > ${ceiling}`);
      assert.ok(session.serverTcp().destroyed || (await waitFor(session.serverTcp(), 'close', 1000)));
    } finally {
      session.client.close();
      await session.h.close();
    }
  });

  it('drops volatile packets while over maxBufferedBytes, delivers the rest in order and emits drain once caught up', async () => {
    const session = await pausedClient();
    try {
      const { sent } = await fill(session, () => session.socket.bufferedBytes > BOUND);
      assert.ok(session.socket.bufferedBytes > BOUND, 'the paused client got the session over the bound');
      const created: unknown[] = [];
      session.socket.on('packetCreate', (packet) => created.push(packet.data));
      session.socket.send('dropped', { volatile: true });
      session.socket.send('kept');
      assert.deepEqual(created, ['kept']);
      const drained = waitFor(session.socket, 'drain', 5000);
      session.resume();
      for (let i = 0; i < sent; i++) {
        const frame = String(await session.client.next());
        assert.ok(frame.startsWith(`4${i}:`), `message ${i} in order`);
      }
      assert.equal(await session.client.next(), '4kept');
      await drained;
      assert.equal(session.socket.readyState, 'open');
      assert.ok(session.socket.bufferedBytes <= BOUND);
    } finally {
      session.client.close();
      await session.h.close();
    }
  });

  it('drops volatile prepared messages while over maxBufferedBytes and queues the others', async () => {
    const session = await pausedClient();
    try {
      await fill(session, () => session.socket.bufferedBytes > BOUND);
      const created: unknown[] = [];
      session.socket.on('packetCreate', (packet) => created.push(packet.data));
      session.socket.sendPrepared(new PreparedMessage('dropped'), { volatile: true });
      session.socket.sendPrepared(new PreparedMessage('kept'));
      assert.deepEqual(created, ['kept']);
    } finally {
      session.client.close();
      await session.h.close();
    }
  });

  it('closes a session that stays over maxBufferedBytes for bufferFullTimeout', async () => {
    const session = await pausedClient({ bufferFullTimeout: 200 });
    try {
      await fill(session, () => session.socket.bufferedBytes > BOUND);
      assert.ok(session.socket.bufferedBytes <= 2 * BOUND + MESSAGE.length + 64, 'under the hard cap');
      const [reason] = await waitFor<[string]>(session.socket, 'close', 2000);
      assert.equal(reason, 'transport buffer full');
    } finally {
      session.client.close();
      await session.h.close();
    }
  });
});

describe('back-pressure on polling sessions', () => {
  it('bounds what a session buffers while no GET is pending, dropping volatile packets first', async () => {
    const h = await startEngine({ pingInterval: 10_000, maxBufferedBytes: BOUND });
    try {
      const connected = waitFor<[Socket]>(h.engine, 'connection');
      await pollingHandshake(h.port);
      const [socket] = await connected;
      const closed = waitFor<[string]>(socket, 'close');
      let sent = 0;
      while (socket.readyState === 'open' && sent < 100) {
        socket.send(`${sent++}:${MESSAGE}`, { volatile: sent % 2 === 0 });
        assert.ok(socket.bufferedBytes <= 2 * BOUND + MESSAGE.length + 64, `buffered ${socket.bufferedBytes}`);
      }
      assert.equal((await closed)[0], 'transport buffer full');
      // Half the messages were volatile: dropping them let the session hold more before it had to close.
      assert.ok(sent > (2 * BOUND) / MESSAGE.length + 1, `closed after ${sent} messages`);
    } finally {
      await h.close();
    }
  });
});
