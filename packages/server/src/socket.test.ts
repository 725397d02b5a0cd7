// Unit tests of Socket on a fake runtime and a manual clock: acks both ways, ack timeouts, listener exceptions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PacketType } from '@switchboard/protocol';
import { isSwitchboardError } from '@switchboard/protocol';
import { createTestRuntime, type FakeConnection } from './runtime.fixture.js';
import type { Socket } from './socket.js';

function connected(options?: Parameters<typeof createTestRuntime>[0]) {
  const fixture = createTestRuntime(options);
  let socket: Socket | undefined;
  fixture.runtime.namespaces.of('/').on('connection', (s: Socket) => (socket = s));
  const { conn } = fixture.connect();
  conn.receive('0');
  assert.ok(socket !== undefined);
  return { ...fixture, conn, socket };
}

/** The ack id of the last EVENT the server wrote. */
function lastAckId(conn: FakeConnection): number {
  const id = conn.packetsOf(PacketType.EVENT).at(-1)?.id;
  assert.equal(typeof id, 'number');
  return id as number;
}

describe('Socket acknowledgements from the client', () => {
  test('calls the emit callback with the arguments of the client ACK', () => {
    const { conn, socket } = connected();
    const answers: unknown[][] = [];
    socket.emit('question', 1, (...args: unknown[]) => answers.push(args));
    conn.receive(`3${lastAckId(conn)}["yes",2]`);
    assert.deepEqual(answers, [['yes', 2]]);
  });

  test('with timeout(ms), an answer in time gets null first', () => {
    const { conn, socket, clock } = connected();
    const answers: unknown[][] = [];
    socket.timeout(1000).emit('question', (...args: unknown[]) => answers.push(args));
    clock.advance(999);
    conn.receive(`3${lastAckId(conn)}["late but in time"]`);
    clock.advance(10_000);
    assert.deepEqual(answers, [[null, 'late but in time']]);
  });

  test('with timeout(ms), no answer in time gets an ACK_TIMEOUT error, and a later answer is ignored', () => {
    const { conn, socket, clock } = connected();
    const answers: unknown[][] = [];
    socket.timeout(1000).emit('question', (...args: unknown[]) => answers.push(args));
    const id = lastAckId(conn);
    clock.advance(1000);
    conn.receive(`3${id}["too late"]`);
    assert.equal(answers.length, 1);
    const [err] = answers[0] ?? [];
    assert.ok(isSwitchboardError(err));
    assert.equal((err as { code: string }).code, 'SIO_ERR_ACK_TIMEOUT');
  });

  test('emitWithAck with a timeout rejects on the runtime clock, not on wall time', async () => {
    const { socket, clock } = connected();
    const answer = socket.timeout(50).emitWithAck('question');
    clock.advance(50);
    await assert.rejects(answer, { code: 'SIO_ERR_ACK_TIMEOUT' });
  });

  test('a disconnection fails acks that have a timeout and drops plain ones', () => {
    const { conn, socket } = connected();
    const answers: string[] = [];
    socket
      .timeout(1000)
      .emit('a', (err: Error | null) => answers.push(`timed: ${(err as { code?: string } | null)?.code}`));
    socket.emit('b', () => answers.push('plain'));
    conn.drop();
    assert.deepEqual(answers, ['timed: SIO_ERR_SOCKET_DISCONNECTED']);
  });

  test('refuses a new ack past maxPendingAcks with a typed error', () => {
    const { socket } = connected({ limits: { maxPendingAcks: 1 } });
    socket.emit('a', () => {});
    assert.throws(() => socket.emit('b', () => {}), { code: 'SIO_ERR_TOO_MANY_PENDING_ACKS' });
  });
});

describe('Socket acknowledgements to the client', () => {
  test('a handler answers once through its ack; a second call writes nothing', () => {
    const { conn, socket } = connected();
    socket.on('question', (value: number, ack: (answer: number) => void) => {
      ack(value * 2);
      ack(0);
    });
    conn.receive('27["question",21]');
    assert.deepEqual(conn.packetsOf(PacketType.ACK), [{ type: PacketType.ACK, nsp: '/', id: 7, data: [42] }]);
  });

  test('an ack called after the socket left writes nothing', () => {
    const { conn, socket } = connected();
    let ack: ((answer: string) => void) | undefined;
    socket.on('question', (callback: (answer: string) => void) => (ack = callback));
    conn.receive('23["question"]');
    conn.receive('1');
    ack?.('too late');
    assert.equal(conn.packetsOf(PacketType.ACK).length, 0);
  });
});

describe('Socket listeners and packet middlewares', () => {
  test('a throwing event handler is reported to the boundary and the next packet is still handled', () => {
    const { conn, socket, userCode } = connected();
    const seen: number[] = [];
    socket.on('n', (n: number) => {
      if (n === 1) throw new Error('handler bug');
      seen.push(n);
    });
    conn.receive('2["n",1]');
    conn.receive('2["n",2]');
    assert.deepEqual(seen, [2]);
    assert.equal(userCode.errors.length, 1);
  });

  test('packet middlewares run in order; next(err) stops the event and emits error', () => {
    const { conn, socket } = connected();
    const order: string[] = [];
    socket.use((_event, next) => {
      order.push('first');
      next();
    });
    socket.use(([name], next) => {
      order.push('second');
      next(name === 'forbidden' ? new Error('nope') : undefined);
    });
    socket.on('error', (err: Error) => order.push(`error: ${err.message}`));
    socket.on('allowed', () => order.push('allowed'));
    socket.on('forbidden', () => order.push('forbidden'));
    conn.receive('2["allowed"]');
    conn.receive('2["forbidden"]');
    assert.deepEqual(order, ['first', 'second', 'allowed', 'first', 'second', 'error: nope']);
  });

  test('a client sending a reserved event name loses its connection', () => {
    const { conn } = connected();
    conn.receive('2["disconnect"]');
    assert.equal(conn.readyState, 'closed');
  });
});
