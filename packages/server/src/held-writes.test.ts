// HeldWrites and HeldBroadcast without a server: one connection's writes in the order they were made, whatever
// order the held broadcasts are released in, and a queue that stays usable under steady load and failing writes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Packet } from '@switchboard/protocol';
import { HeldBroadcast } from './adapter/held-broadcast.js';
import type { AdapterNamespace, AdapterSocket, EncodedPacket } from './adapter/types.js';
import { HeldWrites } from './held-writes.js';

/** One connection with one socket in namespace "/", writing what it is given to `log`. */
function connection(): {
  held: HeldWrites;
  nsp: AdapterNamespace;
  log: unknown[];
  write: (what: unknown) => void;
  socket: AdapterSocket;
} {
  const held = new HeldWrites();
  const log: unknown[] = [];
  const sockets = new Map<string, AdapterSocket>();
  const socket = {
    id: 's1',
    writeEncoded(packet: Packet) {
      const [, value] = packet.data as [string, unknown];
      if (value === 'throw') throw new Error('an outgoing listener failed');
      log.push(value);
    },
    reserveWrite(broadcast: HeldBroadcast) {
      held.reserve(broadcast, socket);
    },
    releaseWrites() {
      held.drain();
    },
  } as unknown as AdapterSocket;
  sockets.set('s1', socket);
  const nsp = {
    name: '/',
    sockets,
    encodePacket: (packet: Packet) => [packet] as unknown as EncodedPacket,
  } as unknown as AdapterNamespace;
  // A direct write, as the Client makes one: straight out unless the connection holds.
  const write = (what: unknown) => {
    if (held.holding) held.defer(() => log.push(what));
    else log.push(what);
  };
  return { held, nsp, log, write, socket };
}

function hold(nsp: AdapterNamespace, socket: AdapterSocket, value: unknown): HeldBroadcast {
  const broadcast = new HeldBroadcast(nsp, { type: 2, nsp: '/', data: ['ev', value] }, {});
  broadcast.add(socket);
  return broadcast;
}

describe('HeldWrites', () => {
  test('writes leave in the order they were made, whatever order the broadcasts are released in', () => {
    const { nsp, log, write, socket, held } = connection();
    write('before');
    const first = hold(nsp, socket, 'b1');
    write('w1');
    const second = hold(nsp, socket, 'b2');
    write('w2');
    assert.ok(held.holding);
    second.release();
    assert.deepEqual(log, ['before'], 'a later broadcast or write overtook one still held');
    first.release();
    assert.deepEqual(log, ['before', 'b1', 'w1', 'b2', 'w2']);
    assert.ok(!held.holding, 'the connection still holds after everything went out');
    write('after');
    assert.deepEqual(log.at(-1), 'after');
  });

  test('a held broadcast skips a socket that left its namespace meanwhile, and release is idempotent', () => {
    const { nsp, log, socket } = connection();
    const broadcast = hold(nsp, socket, 'b1');
    (nsp.sockets as Map<string, AdapterSocket>).delete('s1');
    broadcast.release();
    broadcast.release();
    assert.deepEqual(log, []);
    assert.ok(broadcast.released);
    assert.throws(() => broadcast.add(socket), /after release/);
  });

  test('a write that throws does not stall the writes behind it', () => {
    const { nsp, log, write, socket } = connection();
    const failing = hold(nsp, socket, 'throw');
    write('w1');
    failing.release();
    assert.deepEqual(log, ['w1']);
  });

  test('a connection that always has a broadcast held keeps its order over thousands of writes', () => {
    const { nsp, log, write, socket, held } = connection();
    let previous = hold(nsp, socket, 0);
    const expected: unknown[] = [];
    for (let i = 1; i < 3000; i++) {
      write(`w${String(i)}`);
      const next = hold(nsp, socket, i);
      previous.release();
      expected.push(i - 1, `w${String(i)}`);
      previous = next;
    }
    assert.ok(held.holding);
    previous.release();
    expected.push(2999);
    assert.deepEqual(log, expected);
  });
});
