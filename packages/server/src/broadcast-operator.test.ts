// Unit tests of broadcasting on a fake runtime and a manual clock: targeting, and acks collected per client.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PacketType } from '@switchboard/protocol';
import { createTestRuntime, type FakeConnection } from './runtime.fixture.js';
import type { Socket } from './socket.js';

function withClients(count: number) {
  const fixture = createTestRuntime();
  const nsp = fixture.runtime.namespaces.of('/');
  const clients: { conn: FakeConnection; socket: Socket }[] = [];
  for (let i = 0; i < count; i++) {
    let socket: Socket | undefined;
    nsp.once('connection', (s: Socket) => (socket = s));
    const { conn } = fixture.connect();
    conn.receive('0');
    assert.ok(socket !== undefined);
    clients.push({ conn, socket });
  }
  return { ...fixture, nsp, clients };
}

/** The client answers the last EVENT it received, with `args`. */
function answer(conn: FakeConnection, ...args: unknown[]): void {
  const id = conn.packetsOf(PacketType.EVENT).at(-1)?.id;
  assert.equal(typeof id, 'number');
  conn.receive(`3${String(id)}${JSON.stringify(args)}`);
}

describe('BroadcastOperator targeting', () => {
  test('to(room).except(room) reaches the members of one room who are not in the other', () => {
    const { nsp, clients } = withClients(3);
    const [a, b, c] = clients;
    assert.ok(a && b && c);
    void a.socket.join(['news']);
    void b.socket.join(['news', 'muted']);
    nsp.to('news').except('muted').emit('headline', 'x');
    assert.deepEqual(
      clients.map(({ conn }) => conn.packetsOf(PacketType.EVENT).length),
      [1, 0, 0],
    );
  });

  test('socket.broadcast reaches everyone but the sender', () => {
    const { clients } = withClients(3);
    clients[0]?.socket.broadcast.emit('hi');
    assert.deepEqual(
      clients.map(({ conn }) => conn.packetsOf(PacketType.EVENT).length),
      [0, 1, 1],
    );
  });
});

describe('BroadcastOperator acknowledgements', () => {
  test('collects one response per client, then calls back with null and the responses', () => {
    const { nsp, clients } = withClients(2);
    const results: unknown[][] = [];
    nsp.timeout(1000).emit('question', (err: Error | null, responses: unknown[]) => results.push([err, responses]));
    const [a, b] = clients;
    assert.ok(a && b);
    answer(a.conn, 'a');
    assert.equal(results.length, 0, 'not complete with one response of two');
    answer(b.conn, 'b');
    // The server count comes from a promise (a cluster adapter asks the others).
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      assert.deepEqual(results, [[null, ['a', 'b']]]);
    });
  });

  test('the timeout, on the runtime clock, reports ACK_TIMEOUT with the responses that did arrive', async () => {
    const { nsp, clients, clock } = withClients(2);
    const results: unknown[][] = [];
    nsp.timeout(1000).emit('question', (err: Error | null, responses: unknown[]) => results.push([err, responses]));
    answer(clients[0]!.conn, 'only one');
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(999);
    assert.equal(results.length, 0);
    clock.advance(1);
    assert.equal(results.length, 1);
    assert.equal((results[0]?.[0] as { code?: string }).code, 'SIO_ERR_ACK_TIMEOUT');
    assert.deepEqual(results[0]?.[1], ['only one']);
  });

  test('a broadcast with acks to nobody completes at once with no responses', async () => {
    const { nsp } = withClients(0);
    const answer = nsp.timeout(1000).emitWithAck('question');
    assert.deepEqual(await answer, []);
  });

  test('an ack callback without timeout(ms) is refused with a typed error', () => {
    const { nsp } = withClients(1);
    assert.throws(() => nsp.emit('question', () => {}), { code: 'SIO_ERR_BROADCAST_ACK_UNSUPPORTED' });
  });

  test('fetchSockets returns a local socket as it is, not wrapped', async () => {
    const { nsp, clients } = withClients(1);
    const [found] = await nsp.fetchSockets();
    assert.equal(found, clients[0]?.socket);
  });

  test('a RemoteSocket (details from another server) answers its ack as a single value, not a list', async () => {
    const { nsp, clients } = withClients(1);
    const local = clients[0];
    assert.ok(local !== undefined);
    // What a cluster adapter returns for a socket it learned about from another server: details only.
    nsp.adapter.fetchSockets = () =>
      Promise.resolve([
        { id: local.socket.id, handshake: local.socket.handshake, rooms: new Set([local.socket.id]), data: {} },
      ]);
    const [remote] = await nsp.fetchSockets();
    assert.ok(remote !== undefined && (remote as unknown) !== local.socket);
    const results: unknown[][] = [];
    remote.timeout(1000).emit('question', (err: Error | null, response: unknown) => results.push([err, response]));
    answer(local.conn, 'single');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(results, [[null, 'single']]);
  });
});
