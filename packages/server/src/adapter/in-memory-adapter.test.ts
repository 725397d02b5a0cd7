// Unit tests of the in-memory and session-aware adapters against a fake namespace (no network).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PacketType, type Packet } from '@switchboard/protocol';
import { ManualClock } from '../manual-clock.fixture.js';
import { InMemoryAdapter } from './in-memory-adapter.js';
import { SessionAwareAdapter } from './session-aware-adapter.js';
import type { AdapterNamespace, AdapterSocket, EncodedPacket, RecoveryOptions } from './types.js';

interface FakeSocket extends AdapterSocket {
  received: unknown[][];
}

function createNamespace(recovery?: RecoveryOptions): {
  nsp: AdapterNamespace;
  sockets: Map<string, FakeSocket>;
  encodings: () => number;
} {
  const sockets = new Map<string, FakeSocket>();
  let encodings = 0;
  let ackId = 0;
  const nsp: AdapterNamespace = {
    name: '/',
    sockets,
    recovery,
    encodePacket(_packet: Packet): EncodedPacket {
      encodings++;
      return [] as EncodedPacket;
    },
    nextAckId: () => ackId++,
    onServerSideEmit: () => {},
  };
  return { nsp, sockets, encodings: () => encodings };
}

function addSocket(
  adapter: InMemoryAdapter,
  sockets: Map<string, FakeSocket>,
  id: string,
  rooms: string[] = [],
): FakeSocket {
  const socket: FakeSocket = {
    id,
    handshake: {} as AdapterSocket['handshake'],
    data: undefined,
    received: [],
    get rooms() {
      return adapter.socketRooms(id) ?? new Set<string>();
    },
    join: (r) => adapter.addAll(id, new Set(Array.isArray(r) ? r : [r])),
    leave: (r) => adapter.del(id, r),
    disconnect: () => adapter.delAll(id),
    writeEncoded(packet) {
      socket.received.push(packet.data as unknown[]);
    },
    registerAck: () => {},
  };
  sockets.set(id, socket);
  void adapter.addAll(id, new Set([id, ...rooms]));
  return socket;
}

const event = (...data: unknown[]): Packet => ({ type: PacketType.EVENT, nsp: '/', data });

describe('InMemoryAdapter', () => {
  test('keeps rooms as Map<Room, Set<SocketId>> and deletes a room when its last member leaves', () => {
    const { nsp, sockets } = createNamespace();
    const adapter = new InMemoryAdapter(nsp);
    addSocket(adapter, sockets, 's1', ['r']);
    addSocket(adapter, sockets, 's2', ['r']);
    assert.deepEqual([...(adapter.rooms.get('r') ?? [])], ['s1', 's2']);
    void adapter.del('s1', 'r');
    adapter.delAll('s2');
    assert.equal(adapter.rooms.has('r'), false);
    assert.equal(adapter.sids.has('s2'), false);
  });

  test('a socket is in its own-id room without a Set per socket, and targeting its id reaches it', () => {
    const { nsp, sockets } = createNamespace();
    const adapter = new InMemoryAdapter(nsp);
    const a = addSocket(adapter, sockets, 'a');
    const b = addSocket(adapter, sockets, 'b');
    void b.join('a');
    assert.equal(adapter.rooms.has('b'), false);
    assert.deepEqual([...a.rooms], ['a']);
    adapter.broadcast(event('ev'), { rooms: new Set(['a']) });
    assert.deepEqual([a.received.length, b.received.length], [1, 1]);
    adapter.broadcast(event('ev'), { rooms: new Set(), except: new Set(['b']) });
    assert.deepEqual([a.received.length, b.received.length], [2, 1]);
  });

  test('broadcast encodes once and delivers to the union of rooms minus except, each socket once', () => {
    const { nsp, sockets, encodings } = createNamespace();
    const adapter = new InMemoryAdapter(nsp);
    const a = addSocket(adapter, sockets, 'a', ['r1', 'r2']);
    const b = addSocket(adapter, sockets, 'b', ['r2']);
    const c = addSocket(adapter, sockets, 'c', ['r2', 'x']);
    const d = addSocket(adapter, sockets, 'd');
    adapter.broadcast(event('ev'), { rooms: new Set(['r1', 'r2']), except: new Set(['x']) });
    assert.equal(encodings(), 1);
    assert.deepEqual(
      [a, b, c, d].map((s) => s.received.length),
      [1, 1, 0, 0],
    );
  });

  test('broadcastWithAck reports how many clients were sent the packet', () => {
    const { nsp, sockets } = createNamespace();
    const adapter = new InMemoryAdapter(nsp);
    addSocket(adapter, sockets, 'a');
    addSocket(adapter, sockets, 'b');
    let count = -1;
    adapter.broadcastWithAck(
      event('ev'),
      { rooms: new Set() },
      (n) => (count = n),
      () => {},
    );
    assert.equal(count, 2);
  });

  test('a socket that leaves during a broadcast does not break the iteration', () => {
    const { nsp, sockets } = createNamespace();
    const adapter = new InMemoryAdapter(nsp);
    const a = addSocket(adapter, sockets, 'a', ['r']);
    const b = addSocket(adapter, sockets, 'b', ['r']);
    adapter.disconnectSockets({ rooms: new Set(['r']) }, false);
    assert.equal(adapter.rooms.has('r'), false);
    assert.equal(a.rooms.size + b.rooms.size, 0);
  });

  test('serverSideEmit on one server calls a trailing ack with no responses', () => {
    const { nsp } = createNamespace();
    const adapter = new InMemoryAdapter(nsp);
    let got: unknown;
    adapter.serverSideEmit(['ev', (err: Error | null, responses: unknown[]) => (got = [err, responses])]);
    assert.deepEqual(got, [null, []]);
  });
});

describe('SessionAwareAdapter', () => {
  const recovery = { maxDisconnectionDuration: 60_000, skipMiddlewares: true };

  test('appends an offset to broadcast events without ack and replays the missed ones for the session rooms', async () => {
    const { nsp, sockets } = createNamespace(recovery);
    const adapter = new SessionAwareAdapter(nsp);
    const a = addSocket(adapter, sockets, 'a', ['news']);
    adapter.broadcast(event('ev', 0), { rooms: new Set() });
    const offset = (a.received[0] as unknown[])[2] as string;
    assert.equal(typeof offset, 'string');
    adapter.persistSession({ sid: 'a', pid: 'p', rooms: ['a', 'news'], data: { x: 1 } });
    adapter.delAll('a');
    adapter.broadcast(event('ev', 1), { rooms: new Set(['news']) });
    adapter.broadcast(event('ev', 2), { rooms: new Set(['other']) });
    adapter.broadcast(event('ev', 3), { rooms: new Set(), except: new Set(['news']) });
    adapter.broadcast(event('ev', 4), { rooms: new Set(), flags: { volatile: true } });
    adapter.broadcast(event('ev', 5), { rooms: new Set() });
    const session = await adapter.restoreSession('p', offset);
    assert.deepEqual(
      session?.missedPackets.map((p) => p.slice(0, 2)),
      [
        ['ev', 1],
        ['ev', 5],
      ],
    );
    assert.deepEqual(session?.data, { x: 1 });
    assert.equal(await adapter.restoreSession('p', offset), null, 'a session is restored at most once');
    adapter.close();
  });

  test('refuses an offset it does not know', async () => {
    const { nsp } = createNamespace(recovery);
    const adapter = new SessionAwareAdapter(nsp);
    adapter.persistSession({ sid: 'a', pid: 'p', rooms: [], data: {} });
    assert.equal(await adapter.restoreSession('p', 'never-sent'), null);
    adapter.close();
  });

  test('refuses a session older than maxDisconnectionDuration, and sweeps old sessions and packets', async () => {
    const clock = new ManualClock(1_000_000);
    const { nsp, sockets } = createNamespace({ maxDisconnectionDuration: 1000, skipMiddlewares: true });
    const adapter = new SessionAwareAdapter(nsp, clock);
    const a = addSocket(adapter, sockets, 'a');
    adapter.broadcast(event('ev', 0), { rooms: new Set() });
    const offset = (a.received[0] as unknown[])[2] as string;
    adapter.persistSession({ sid: 'a', pid: 'late', rooms: ['a'], data: {} });
    adapter.persistSession({ sid: 'a', pid: 'in-time', rooms: ['a'], data: {} });
    clock.advance(999);
    assert.notEqual(await adapter.restoreSession('in-time', offset), null);
    clock.advance(2);
    assert.equal(await adapter.restoreSession('late', offset), null);
    // After the sweep, the packet itself is gone: even a fresh session cannot resume from that offset.
    adapter.persistSession({ sid: 'a', pid: 'fresh', rooms: ['a'], data: {} });
    clock.advance(60_000);
    assert.equal(await adapter.restoreSession('fresh', offset), null);
    adapter.close();
  });
});
