// ClusterAdapter on a transport that stores broadcasts (publishAndReturnOffset): with recovery on, the offset ends
// each replayable broadcast on the sending server (local deliveries keep the emit order even when the store answers
// out of order) and on the others (passed to onMessage); acknowledged-less volatile broadcasts carry none.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import {
  Server,
  type AdapterConstructor,
  type AdapterNamespace,
  type Socket as ServerSocket,
} from '@switchboard/server';
import { ClusterAdapter, type ClusterMessage } from './index.js';

/** A store that keeps messages in order but answers the first publish last (delays 60, 40, 20 ms...). */
class Store {
  readonly members = new Set<StoredAdapter>();
  #next = 0;
  #pending = 0;

  append(message: ClusterMessage, from: StoredAdapter): Promise<string> {
    const offset = `offset-${this.#next++}`;
    for (const member of this.members) if (member !== from) setImmediate(() => member.receive(message, offset));
    const delayMs = Math.max(0, 60 - 20 * this.#pending++);
    return new Promise((resolve) => setTimeout(() => resolve(offset), delayMs));
  }
}

interface StoredAdapter {
  receive(message: ClusterMessage, offset: string): void;
}

function storedAdapter(store: Store): AdapterConstructor {
  return class extends ClusterAdapter implements StoredAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, { heartbeatInterval: 0 });
      store.members.add(this);
    }

    protected publish(message: ClusterMessage): Promise<void> {
      return store.append(message, this).then(() => {});
    }

    protected override publishAndReturnOffset(message: ClusterMessage): Promise<string> {
      return store.append(message, this);
    }

    receive(message: ClusterMessage, offset: string): void {
      this.onMessage(structuredClone(message), offset);
    }
  };
}

describe('ClusterAdapter with publishAndReturnOffset', () => {
  const closers: (() => unknown)[] = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  async function serverWithClient(store: Store): Promise<{ io: Server; client: ClientSocket; events: unknown[][] }> {
    const http = createServer();
    const io = new Server(http, { adapter: storedAdapter(store), connectionStateRecovery: {} });
    closers.push(() => io.close());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
      transports: ['websocket'],
      forceNew: true,
    });
    closers.push(() => client.disconnect());
    const events: unknown[][] = [];
    client.onAny((...args: unknown[]) => void events.push(args));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no connect within 3000 ms')), 3000);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return { io, client, events };
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 3000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`${what}: not true after 3000 ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  test('appends each stored offset and delivers locally in emit order, here and on the other server', async () => {
    const store = new Store();
    const sender = await serverWithClient(store);
    const receiver = await serverWithClient(store);
    sender.io.emit('n', 0);
    sender.io.emit('n', 1);
    sender.io.volatile.emit('v', 2); // not replayable: no offset, still after the two before it
    sender.io.emit('n', 3);
    const expected = [
      ['n', 0, 'offset-0'],
      ['n', 1, 'offset-1'],
      ['v', 2],
      ['n', 3, 'offset-3'],
    ];
    await until(
      () => sender.events.some((e) => e[1] === 3) && receiver.events.some((e) => e[1] === 3),
      'the last event on both servers',
    );
    // A volatile packet may be dropped when the client's connection is busy, as socket.io drops it; the sending server
    // writes its four in one go once the stores answered, so there it usually is. When it arrives, it has no offset
    // and keeps its place.
    for (const [where, events] of [
      ['sending server', sender.events],
      ['other server', receiver.events],
    ] as const) {
      const volatile = events.length === 4 ? [expected[2]] : [];
      assert.deepEqual(events, [...expected.slice(0, 2), ...volatile, expected[3]], where);
    }
  });
});

/** A transport whose publishes all wait for `open()`, then answer in one go (as replies arriving in one read do). */
class GatedStore {
  readonly members = new Set<GatedAdapter>();
  #waiting: (() => void)[] = [];
  failNext = false;

  publish(message: ClusterMessage, from: GatedAdapter): Promise<void> {
    for (const member of this.members) if (member !== from) setImmediate(() => member.receive(message));
    if (this.failNext) {
      this.failNext = false;
      return new Promise((_resolve, reject) => this.#waiting.push(() => reject(new Error('store down'))));
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  open(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const answer of waiting) answer();
  }
}

interface GatedAdapter {
  receive(message: ClusterMessage): void;
}

function gatedAdapter(store: GatedStore): AdapterConstructor {
  return class extends ClusterAdapter implements GatedAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, { heartbeatInterval: 0, deliverAfterPublish: true });
      store.members.add(this);
    }

    protected publish(message: ClusterMessage): Promise<void> {
      return store.publish(message, this);
    }

    receive(message: ClusterMessage): void {
      this.onMessage(structuredClone(message));
    }
  };
}

describe('ClusterAdapter with deliverAfterPublish', () => {
  const closers: (() => unknown)[] = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  async function serverWithClient(
    store: GatedStore,
  ): Promise<{ io: Server; events: unknown[][]; client: ClientSocket; socket: ServerSocket }> {
    const http = createServer();
    const io = new Server(http, { adapter: gatedAdapter(store) });
    io.of('/b'); // a second namespace, for the test of writes across namespaces
    closers.push(() => io.close());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
      transports: ['websocket'],
      forceNew: true,
    });
    closers.push(() => client.disconnect());
    const events: unknown[][] = [];
    client.onAny((...args: unknown[]) => void events.push(args));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no connect within 3000 ms')), 3000);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const socket = io.of('/').sockets.get(client.id ?? '');
    assert.ok(socket !== undefined, 'the server does not know the connected client');
    return { io, events, client, socket };
  }

  async function settle(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  test('local clients get nothing until the store answers, then everything in emit order, without offsets', async () => {
    const store = new GatedStore();
    const sender = await serverWithClient(store);
    const receiver = await serverWithClient(store);
    sender.io.emit('n', 0);
    sender.io.local.emit('l', 1); // not published, but still behind the one waiting before it
    sender.io.emit('n', 2);
    await settle(100);
    assert.deepEqual(sender.events, [], 'a local client got a broadcast before its store answered');
    assert.deepEqual(receiver.events, [
      ['n', 0],
      ['n', 2],
    ]);
    store.open();
    await settle(100);
    assert.deepEqual(sender.events, [
      ['n', 0],
      ['l', 1],
      ['n', 2],
    ]);
  });

  test('a failed publish still reaches the local clients, in order', async () => {
    const store = new GatedStore();
    const sender = await serverWithClient(store);
    store.failNext = true;
    sender.io.emit('n', 0);
    sender.io.emit('n', 1);
    store.open();
    await settle(100);
    assert.deepEqual(sender.events, [
      ['n', 0],
      ['n', 1],
    ]);
  });

  test('a burst whose stores answer together leaves in one flush per client', async () => {
    const store = new GatedStore();
    const sender = await serverWithClient(store);
    const flushes: number[] = [];
    sender.io.engine.on('flush', (_session: unknown, packets: unknown[]) => void flushes.push(packets.length));
    for (let i = 0; i < 50; i++) sender.io.emit('n', i);
    await settle(50);
    assert.deepEqual(flushes, [], 'something was flushed before the store answered');
    store.open();
    await settle(100);
    assert.equal(sender.events.length, 50);
    assert.deepEqual(
      sender.events.map((args) => args[1]),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.deepEqual(flushes, [50], `the burst left in ${String(flushes.length)} flushes: ${flushes.join(', ')}`);
  });

  test('what the application writes to a client after a waiting broadcast reaches it after that broadcast', async () => {
    const store = new GatedStore();
    const sender = await serverWithClient(store);
    sender.io.emit('n', 0);
    sender.socket.emit('direct', 1);
    sender.socket.volatile.emit('volatile', 2); // the connection is not writable now: dropped, as socket.io would
    sender.io.emit('n', 3);
    sender.socket.emit('direct', 4);
    await settle(50);
    assert.deepEqual(sender.events, [], 'a direct emit overtook a broadcast waiting for its store');
    store.open();
    await settle(100);
    assert.deepEqual(sender.events, [
      ['n', 0],
      ['direct', 1],
      ['n', 3],
      ['direct', 4],
    ]);
    const events: unknown[][] = sender.events; // read again below, past the narrowing of the assertion above
    sender.socket.emit('direct', 5); // nothing waits any more: straight out
    await settle(50);
    assert.deepEqual(events.at(-1), ['direct', 5]);
  });

  test('a waiting broadcast reaches the sockets in its rooms when it was emitted, not when it is delivered', async () => {
    const store = new GatedStore();
    const sender = await serverWithClient(store);
    await sender.socket.join('leaving');
    sender.io.to('joining').emit('joining', 0);
    sender.io.to('leaving').emit('leaving', 1);
    await sender.socket.join('joining');
    await sender.socket.leave('leaving');
    store.open();
    await settle(100);
    assert.deepEqual(sender.events, [['leaving', 1]]);
  });

  test('writes on another namespace of the same connection wait too, and a socket gone meanwhile gets nothing', async () => {
    const store = new GatedStore();
    const sender = await serverWithClient(store);
    const other = sender.client.io.socket('/b');
    const order: string[] = [];
    sender.client.onAny((event: string) => void order.push(event));
    other.onAny((event: string) => void order.push(event));
    await new Promise<void>((resolve) => other.once('connect', () => resolve()));
    const otherSocket = sender.io.of('/b').sockets.get(other.id ?? '');
    assert.ok(otherSocket !== undefined);
    sender.io.emit('first', 0);
    otherSocket.emit('on-b', 1);
    await settle(50);
    assert.equal(order.length, 0, `a write on /b overtook a broadcast on / waiting for its store: ${order.join()}`);
    store.open();
    await settle(100);
    assert.deepEqual(order, ['first', 'on-b']);

    // A socket that leaves its namespace while a broadcast waits is not written to.
    sender.io.emit('after-leave', 2);
    sender.socket.disconnect();
    store.open();
    await settle(100);
    assert.ok(!order.includes('after-leave'), 'a socket that left its namespace still got the broadcast');
    other.disconnect();
  });
});
