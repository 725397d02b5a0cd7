// Adapters written for socket.io on our server, in one process: socket.io-adapter's own in-memory Adapter (the base
// every official adapter extends), adapters that fail (counted, never fatal), and a synchronous restoreSession.
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { Adapter as SocketIoAdapter } from 'socket.io-adapter';
import {
  InMemoryAdapter,
  type AdapterNamespace,
  type BroadcastOptions,
  type Packet,
  type Session,
} from '@switchboard/server';
import { startServer, waitFor, within, type TestServer } from './server-kit.js';

/** Waits (bounded) for a value that changes without an event, such as a counter. */
async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("socket.io-adapter's in-memory Adapter on our server", () => {
  let server: TestServer;

  after(async () => {
    await server?.close();
  });

  it('broadcasts through client.writeToEngine, binary attachments included, and shows them to onAnyOutgoing', async () => {
    server = await startServer({ adapter: SocketIoAdapter });
    const outgoing: unknown[][] = [];
    server.io.on('connection', (socket) => socket.onAnyOutgoing((...args) => outgoing.push(args)));
    const client = server.client();
    await waitFor(client, 'connect');
    const received = waitFor(client, 'news');
    server.io.emit('news', 'text', Buffer.from([7, 8]));
    const [text, bytes] = (await received) as [string, Uint8Array];
    assert.deepEqual([text, [...new Uint8Array(bytes)]], ['text', [7, 8]]);
    assert.deepEqual(outgoing, [['news', 'text', Buffer.from([7, 8])]]);
  });

  it('collects broadcast acknowledgements registered with socket.acks.set', async () => {
    // Only this test's client: the previous one leaves (through the official adapter's disconnectSockets).
    server.io.disconnectSockets();
    const client = server.client();
    client.on('question', (ack: (answer: string) => void) => ack('yes'));
    await waitFor(client, 'connect');
    const answers = await within(server.io.timeout(3000).emitWithAck('question'), 4000, 'emitWithAck');
    assert.deepEqual(answers, ['yes']);
  });
});

/** A broadcast as socket.io-adapter up to 2.3 does it (socket.io-redis 6 extends that): `socket.packet(encoded, { preEncoded })`. */
class PreEncodedAdapter extends SocketIoAdapter {
  override broadcast(
    packet: Parameters<SocketIoAdapter['broadcast']>[0],
    opts: Parameters<SocketIoAdapter['broadcast']>[1],
  ): void {
    packet.nsp = this.nsp.name;
    // socket.io-adapter's `encoder` and `apply` are private in its types, public at run time.
    const self = this as unknown as {
      encoder: { encode(p: unknown): unknown[] };
      apply(o: typeof opts, fn: (s: { packet(p: unknown[], o: object): void }) => void): void;
    };
    const encoded = self.encoder.encode(packet);
    self.apply(opts, (socket) => socket.packet(encoded, { preEncoded: true }));
  }
}

describe('an adapter on socket.io-adapter 2.3 or older (socket.packet with preEncoded)', () => {
  let server: TestServer;

  after(async () => {
    await server?.close();
  });

  it('delivers its broadcasts, binary attachments included', async () => {
    server = await startServer({ adapter: PreEncodedAdapter });
    const client = server.client();
    await waitFor(client, 'connect');
    const received = waitFor(client, 'news');
    server.io.emit('news', 'text', Buffer.from([7, 8]));
    const [text, bytes] = (await within(received, 4000, 'news')) as [string, Uint8Array];
    assert.deepEqual([text, [...new Uint8Array(bytes)]], ['text', [7, 8]]);
  });
});

/** An adapter whose broadcast and serverSideEmit fail, by throwing or by returning a rejected promise. */
class FailingAdapter extends InMemoryAdapter {
  readonly #how: 'throw' | 'reject';

  constructor(nsp: AdapterNamespace, how: 'throw' | 'reject') {
    super(nsp);
    this.#how = how;
  }

  #fail(): void {
    const err = new Error('broker unreachable');
    if (this.#how === 'throw') throw err;
    // What ClusterAdapter's async methods do while typed as returning void.
    // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- that typing is what this fake reproduces
    return Promise.reject(err) as unknown as void;
  }

  override broadcast(_packet: Packet, _opts: BroadcastOptions): void {
    // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression -- the rejected promise must reach the caller, as ClusterAdapter's does
    return this.#fail();
  }

  override serverSideEmit(_packet: unknown[]): void {
    // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression -- the rejected promise must reach the caller, as ClusterAdapter's does
    return this.#fail();
  }
}

describe('adapter failures on the delivery and server-side-emit paths', () => {
  let server: TestServer | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  after(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('counts a broadcast whose adapter throws, and the server goes on serving', async () => {
    // An arrow function: called, not `new`ed (it has no prototype).
    server = await startServer({ adapter: (nsp) => new FailingAdapter(nsp, 'throw') });
    const client = server.client();
    await waitFor(client, 'connect');
    assert.equal(server.io.emit('news', 1), true);
    assert.equal(server.io.adapterFailureCount, 1);
    const direct = waitFor(client, 'direct');
    [...server.io.of('/').sockets.values()][0]?.emit('direct', 2);
    assert.deepEqual(await direct, [2]);
  });

  it('counts a broadcast whose adapter returns a rejected promise, and leaves no unhandled rejection', async () => {
    server = await startServer({ adapter: (nsp) => new FailingAdapter(nsp, 'reject') });
    server.io.to('room').emit('news', 1);
    await until(() => server?.io.adapterFailureCount === 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
  });

  it("rejects serverSideEmitWithAck with the adapter's error when its serverSideEmit throws, and counts it", async () => {
    server = await startServer({ adapter: (nsp) => new FailingAdapter(nsp, 'throw') });
    await assert.rejects(server.io.serverSideEmitWithAck('ping'), { message: 'broker unreachable' });
    assert.equal(server.io.adapterFailureCount, 1);
  });

  it("hands a server-side emit listener's exception to the application, never into the adapter", async (t) => {
    const rethrown: unknown[] = [];
    const queue = globalThis.queueMicrotask;
    // The user-code boundary rethrows from a microtask: caught here so the exception is observed, not fatal.
    t.mock.method(globalThis, 'queueMicrotask', (task: () => void) =>
      queue(() => {
        try {
          task();
        } catch (err) {
          rethrown.push(err);
        }
      }),
    );
    server = await startServer();
    server.io.on('peer-event', () => {
      throw new Error('listener bug');
    });
    const nsp = server.io.of('/') as unknown as { _onServerSideEmit(args: unknown[]): void };
    assert.doesNotThrow(() => nsp._onServerSideEmit(['peer-event', 1]));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      rethrown.map((err) => (err as Error).message),
      ['listener bug'],
    );
    assert.equal(server.io.adapterFailureCount, 0, 'application code failing is not an adapter failure');
  });
});

describe('connection state recovery with an adapter whose restoreSession answers null synchronously', () => {
  let server: TestServer;

  after(async () => {
    await server?.close();
  });

  it('answers the CONNECT of a client presenting an unknown session, as a new session', async () => {
    class SyncNullAdapter extends InMemoryAdapter {
      override restoreSession(): Promise<Session | null> | null {
        return null;
      }
    }
    server = await startServer({ adapter: SyncNullAdapter, connectionStateRecovery: {} });
    const client = server.client('/', { auth: { pid: 'unknown-pid', offset: 'unknown-offset' } });
    await waitFor(client, 'connect');
    assert.equal(client.recovered, false);
  });
});
