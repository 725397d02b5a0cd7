// Unit tests of Namespace on a fake runtime: connection middlewares, dynamic children, connection state recovery.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PacketType } from '@switchboard/protocol';
import { createTestRuntime } from './runtime.fixture.js';
import type { Socket } from './socket.js';

describe('Namespace middlewares', () => {
  test('run in registration order, each after the previous called next, before connection', () => {
    const { runtime, connect } = createTestRuntime();
    const nsp = runtime.namespaces.of('/');
    const order: string[] = [];
    nsp.use((_socket, next) => {
      order.push('first');
      next();
    });
    nsp.use((socket, next) => {
      order.push(`second connected=${String(socket.connected)}`);
      next();
    });
    nsp.on('connection', () => order.push('connection'));
    connect().conn.receive('0');
    assert.deepEqual(order, ['first', 'second connected=false', 'connection']);
  });

  test('a refusal stops the chain and answers CONNECT_ERROR with the message and data', () => {
    const { runtime, connect } = createTestRuntime();
    const nsp = runtime.namespaces.of('/');
    let laterRan = false;
    nsp.use((_socket, next) => next(Object.assign(new Error('unauthorized'), { data: { retry: false } })));
    nsp.use((_socket, next) => {
      laterRan = true;
      next();
    });
    const { conn } = connect();
    conn.receive('0');
    assert.equal(laterRan, false);
    assert.deepEqual(conn.packetsOf(PacketType.CONNECT_ERROR)[0]?.data, {
      message: 'unauthorized',
      data: { retry: false },
    });
    assert.equal(nsp.sockets.size, 0);
  });

  test('a middleware that throws refuses with "Server error" and hands the exception to the boundary', () => {
    const { runtime, userCode, connect } = createTestRuntime();
    const thrown = new Error('bug in middleware');
    runtime.namespaces.of('/').use(() => {
      throw thrown;
    });
    const { conn } = connect();
    conn.receive('0');
    assert.deepEqual(conn.packetsOf(PacketType.CONNECT_ERROR)[0]?.data, { message: 'Server error' });
    assert.deepEqual(userCode.errors, [thrown]);
  });

  test('a second next() from the same middleware is ignored', () => {
    const { runtime, connect } = createTestRuntime();
    const nsp = runtime.namespaces.of('/');
    let connections = 0;
    nsp.use((_socket, next) => {
      next();
      next(new Error('late'));
    });
    nsp.on('connection', () => connections++);
    const { conn } = connect();
    conn.receive('0');
    assert.equal(connections, 1);
    assert.equal(conn.packetsOf(PacketType.CONNECT_ERROR).length, 0);
  });

  test('a throwing connection listener does not keep the next listener from the socket', () => {
    const { runtime, userCode, connect } = createTestRuntime();
    const nsp = runtime.namespaces.of('/');
    const seen: string[] = [];
    nsp.on('connection', () => {
      throw new Error('listener bug');
    });
    nsp.on('connection', (socket: Socket) => seen.push(socket.id));
    connect().conn.receive('0');
    assert.equal(seen.length, 1);
    assert.equal(userCode.errors.length, 1);
  });
});

describe('Namespace connection state recovery', () => {
  /** Connects, returns the socket and the private session id the CONNECT reply carried. */
  function join(fixture: ReturnType<typeof createTestRuntime>, auth?: object) {
    const { conn } = fixture.connect();
    let socket: Socket | undefined;
    fixture.runtime.namespaces.of('/').once('connection', (s: Socket) => (socket = s));
    conn.receive(auth === undefined ? '0' : `0${JSON.stringify(auth)}`);
    return { conn, socket: () => socket };
  }

  test('restores id, rooms and data, and replays the events missed while away', async () => {
    const fixture = createTestRuntime({ recovery: { maxDisconnectionDuration: 60_000 } });
    const nsp = fixture.runtime.namespaces.of('/');
    const first = join(fixture);
    const socket = first.socket();
    assert.ok(socket !== undefined);
    const pid = (first.conn.packetsOf(PacketType.CONNECT)[0]?.data as { pid?: string }).pid;
    assert.equal(typeof pid, 'string');
    void socket.join('room-1');
    socket.data = { user: 'ada' };
    nsp.emit('before', 1);
    const offset = (first.conn.packetsOf(PacketType.EVENT)[0]?.data as unknown[]).at(-1) as string;
    first.conn.drop('transport close');
    nsp.to('room-1').emit('missed', 2);

    const second = join(fixture, { pid, offset });
    await new Promise((resolve) => setImmediate(resolve)); // the adapter's restoreSession answers on a promise
    const restored = second.socket();
    assert.ok(restored !== undefined);
    assert.equal(restored.recovered, true);
    assert.equal(restored.id, socket.id);
    assert.ok(restored.rooms.has('room-1'));
    assert.deepEqual(restored.data, { user: 'ada' });
    const events = second.conn.packetsOf(PacketType.EVENT).map((packet) => (packet.data as unknown[]).slice(0, 2));
    assert.deepEqual(events, [['missed', 2]]);
  });

  test('a session older than maxDisconnectionDuration is not restored', async () => {
    const fixture = createTestRuntime({ recovery: { maxDisconnectionDuration: 1000 } });
    const first = join(fixture);
    const pid = (first.conn.packetsOf(PacketType.CONNECT)[0]?.data as { pid: string }).pid;
    fixture.runtime.namespaces.of('/').emit('x');
    const offset = (first.conn.packetsOf(PacketType.EVENT)[0]?.data as unknown[]).at(-1) as string;
    first.conn.drop('ping timeout');
    fixture.clock.advance(1001);
    const second = join(fixture, { pid, offset });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(second.socket()?.recovered, false);
    assert.notEqual(second.socket()?.id, first.socket()?.id);
  });

  test('a client that left on purpose has no session to restore', async () => {
    const fixture = createTestRuntime({ recovery: {} });
    const first = join(fixture);
    const pid = (first.conn.packetsOf(PacketType.CONNECT)[0]?.data as { pid: string }).pid;
    fixture.runtime.namespaces.of('/').emit('x');
    const offset = (first.conn.packetsOf(PacketType.EVENT)[0]?.data as unknown[]).at(-1) as string;
    first.conn.receive('1');
    const second = join(fixture, { pid, offset });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(second.socket()?.recovered, false);
  });

  test('middlewares are skipped for a recovered session unless skipMiddlewares is false', async () => {
    for (const skipMiddlewares of [true, false]) {
      const fixture = createTestRuntime({ recovery: { skipMiddlewares } });
      const nsp = fixture.runtime.namespaces.of('/');
      let runs = 0;
      nsp.use((_socket, next) => {
        runs++;
        next();
      });
      const first = join(fixture);
      const pid = (first.conn.packetsOf(PacketType.CONNECT)[0]?.data as { pid: string }).pid;
      nsp.emit('x');
      const offset = (first.conn.packetsOf(PacketType.EVENT)[0]?.data as unknown[]).at(-1) as string;
      first.conn.drop();
      const second = join(fixture, { pid, offset });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(second.socket()?.recovered, true);
      assert.equal(runs, skipMiddlewares ? 1 : 2, `skipMiddlewares: ${String(skipMiddlewares)}`);
    }
  });
});
