// ClusterAdapter on a transport that stores broadcasts (publishAndReturnOffset): with recovery on, the offset ends
// each replayable broadcast on the sending server (local deliveries keep the emit order even when the store answers
// out of order) and on the others (passed to onMessage); acknowledged-less volatile broadcasts carry none.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Server, type AdapterConstructor, type AdapterNamespace } from '@switchboard/server';
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
    await until(() => sender.events.length === 4 && receiver.events.length === 4, 'four events on both servers');
    assert.deepEqual(sender.events, expected);
    assert.deepEqual(receiver.events, expected);
  });
});
