// The emitter against a server with each PostgreSQL adapter: ours and socket.io's @socket.io/postgres-adapter 0.5
// (which @socket.io/postgres-emitter 0.1.1 cannot reach: it sends no top-level `nsp`). Own prefix and table per run.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createAdapter as createOfficialAdapter } from '@socket.io/postgres-adapter';
import { Emitter as OfficialEmitter } from '@socket.io/postgres-emitter';
import pg from 'pg';
import { io as connect, type Socket } from '@switchboard/client';
import { createAdapter } from '@switchboard/postgres-adapter';
import { Server, type ServerOptions } from '@switchboard/server';
import { Emitter, PostgresEmitterErrorCode } from './index.js';

const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const WAIT_MS = 5000;

function next(socket: Socket, event: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${WAIT_MS} ms`)), WAIT_MS);
    socket.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

const adapters: [string, (pool: pg.Pool, name: string) => ServerOptions['adapter']][] = [
  ['@switchboard/postgres-adapter', (pool, name) => createAdapter(pool, { channelPrefix: name, tableName: name })],
  [
    '@socket.io/postgres-adapter 0.5',
    (pool, name) => createOfficialAdapter(pool, { channelPrefix: name, tableName: name }) as ServerOptions['adapter'],
  ],
];

for (const [label, makeAdapter] of adapters) {
  describe(`the PostgreSQL emitter, servers with ${label}`, { timeout: 30_000 }, () => {
    const name = `sbtest_emitter_${randomBytes(5).toString('hex')}`;
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
    pool.on('error', () => {});
    let server: Server;
    let emitter: Emitter;
    let red: Socket;
    let blue: Socket;

    before(async () => {
      await pool.query(
        `CREATE TABLE IF NOT EXISTS ${name} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`,
      );
      const httpServer = createServer();
      server = new Server(httpServer, { adapter: makeAdapter(pool, name) });
      server.on('connection', (socket) => {
        const room = (socket.handshake.auth as { room?: string }).room;
        if (room !== undefined) void socket.join(room);
      });
      await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
      red = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { room: 'red' } });
      blue = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { room: 'blue' } });
      await Promise.all([next(red, 'connect'), next(blue, 'connect')]);
      // The official adapter LISTENs shortly after start, with no event to wait on: emit until heard.
      emitter = new Emitter(pool, { channelPrefix: name, tableName: name });
      const deadline = Date.now() + WAIT_MS;
      let heard = false;
      red.once('ready', () => (heard = true));
      while (!heard && Date.now() < deadline) {
        emitter.emit('ready');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(heard, 'the server listens');
      red.off('ready');
    });

    after(async () => {
      red?.disconnect();
      blue?.disconnect();
      await emitter?.flush();
      await server?.close();
      await pool.query(`DROP TABLE IF EXISTS ${name}`);
      await pool.end();
    });

    test('emit reaches every client with its arguments', async () => {
      const got = Promise.all([next(red, 'hello'), next(blue, 'hello')]);
      emitter.emit('hello', 'world', { n: 1 });
      assert.deepEqual(await got, [
        ['world', { n: 1 }],
        ['world', { n: 1 }],
      ]);
    });

    test('to() reaches only the room and except() leaves it out', async () => {
      const redOnly = next(red, 'to-red');
      const blueOnly = next(blue, 'not-red');
      let wrong = 0;
      blue.on('to-red', () => wrong++);
      red.on('not-red', () => wrong++);
      emitter.to('red').emit('to-red');
      emitter.except('red').emit('not-red');
      await Promise.all([redOnly, blueOnly]);
      // A fence: sent after both, received after both (one connection, in order).
      const fence = Promise.all([next(red, 'fence'), next(blue, 'fence')]);
      emitter.emit('fence');
      await fence;
      assert.equal(wrong, 0);
    });

    test('binary and a payload over 8000 bytes travel through the attachments table', async () => {
      const bytes = randomBytes(20_000);
      const text = 'x'.repeat(10_000);
      const got = next(red, 'big');
      emitter.to('red').emit('big', bytes, text);
      const [received, receivedText] = (await got) as [ArrayBuffer, string];
      assert.deepEqual([Buffer.from(received).equals(bytes), receivedText], [true, text]);
    });

    test('socketsJoin and socketsLeave change the rooms of the matching sockets', async () => {
      // The join and the emit leave in order, in one queue: the join is done when the emit arrives.
      emitter.in('blue').socketsJoin('green');
      const got = next(blue, 'to-green');
      emitter.to('green').emit('to-green');
      await got;
      emitter.socketsLeave('green');
      let received = 0;
      blue.on('to-green-again', () => received++);
      emitter.to('green').emit('to-green-again');
      const fence = next(blue, 'fence-2');
      emitter.emit('fence-2');
      await fence;
      assert.equal(received, 0);
    });

    test('serverSideEmit reaches the server', async () => {
      const heard = new Promise<unknown[]>((resolve) =>
        server.on('from-emitter', (...args: unknown[]) => resolve(args)),
      );
      emitter.serverSideEmit('from-emitter', 1, 'two');
      assert.deepEqual(await heard, [1, 'two']);
    });

    test('reaches the clients @socket.io/postgres-emitter 0.1.1 does not (its messages carry no namespace)', async () => {
      let official = 0;
      red.on('from-official', () => official++);
      // A listener of our own sees the official NOTIFY go out; ours is sent after it, so it arrives after it too.
      const watcher = new pg.Client({ connectionString: DATABASE_URL });
      await watcher.connect();
      try {
        await watcher.query(`LISTEN "${name}#/"`);
        const seen = new Promise<void>((resolve) =>
          watcher.on('notification', (message) => {
            if (message.payload?.includes('from-official') === true) resolve();
          }),
        );
        new OfficialEmitter(pool, '/', { channelPrefix: name, tableName: name }).emit('from-official');
        await seen;
      } finally {
        await watcher.end();
      }
      const ours = next(red, 'from-ours');
      emitter.emit('from-ours');
      await ours;
      assert.equal(official, 0);
    });

    test('disconnectSockets disconnects the matching sockets', async () => {
      const gone = next(blue, 'disconnect');
      emitter.in('blue').disconnectSockets();
      assert.equal((await gone)[0], 'io server disconnect');
    });
  });
}

test('a reserved event name and an acknowledgement throw at once with their codes', () => {
  const emitter = new Emitter({ query: () => Promise.resolve({ rows: [] }) });
  assert.throws(() => emitter.emit('connect'), { code: PostgresEmitterErrorCode.RESERVED_EVENT });
  assert.throws(() => emitter.serverSideEmit('x', () => {}), { code: PostgresEmitterErrorCode.ACK_UNSUPPORTED });
  assert.throws(() => new Emitter({} as never), { code: PostgresEmitterErrorCode.UNSUPPORTED_CLIENT });
  assert.throws(() => new Emitter({ query: () => Promise.resolve({ rows: [] }) }, { tableName: 'a b' }), {
    code: PostgresEmitterErrorCode.INVALID_OPTION,
  });
});
