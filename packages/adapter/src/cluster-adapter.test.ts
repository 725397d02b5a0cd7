// ClusterAdapter on an in-process bus (a real transport: bytes encoded, delivered on a later tick): options
// checked, malformed broker input dropped, requests settled by heartbeats or their timeout.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import notepack from 'notepack.io';
import { Server, type AdapterConstructor, type AdapterNamespace } from '@switchboard/server';
import {
  ClusterAdapter,
  decodeClusterMessage,
  encodeClusterMessage,
  type ClusterAdapterOptions,
  type ClusterMessage,
} from './index.js';
import { AdapterErrorCode } from './errors.js';

/** Delivers every published message to every other adapter on the bus, asynchronously, as a broker would. */
class Bus {
  readonly members = new Set<{ receive(raw: Uint8Array): void }>();
  /** Adapters that stopped hearing and speaking, as a killed server would. */
  readonly silenced = new Set<unknown>();

  deliver(raw: Uint8Array, from: unknown): void {
    if (this.silenced.has(from)) return;
    setImmediate(() => {
      for (const member of this.members) if (member !== from && !this.silenced.has(member)) member.receive(raw);
    });
  }
}

function busAdapter(bus: Bus, opts: ClusterAdapterOptions): AdapterConstructor {
  return class BusAdapter extends ClusterAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, opts);
      bus.members.add(this);
    }

    protected publish(message: ClusterMessage): void {
      bus.deliver(encodeClusterMessage(message), this);
    }

    receive(raw: Uint8Array): void {
      this.onMessage(decodeClusterMessage(raw));
    }
  };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not true after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ClusterAdapter', () => {
  const servers: Server[] = [];
  const start = (bus: Bus, opts: ClusterAdapterOptions): Server => {
    const server = new Server({ adapter: busAdapter(bus, opts) });
    servers.push(server);
    return server;
  };
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  test('refuses durations that are not numbers of milliseconds (requestsTimeout, heartbeatTimeout, localBatchMs) with ADAPTER_ERR_INVALID_OPTION', () => {
    const bus = new Bus();
    assert.throws(() => start(bus, { requestsTimeout: 0 }), {
      code: AdapterErrorCode.INVALID_OPTION,
      message: /requestsTimeout/,
    });
    assert.throws(() => start(bus, { heartbeatTimeout: Number.NaN }), {
      code: AdapterErrorCode.INVALID_OPTION,
      message: /heartbeatTimeout/,
    });
    assert.throws(() => start(bus, { localBatchMs: -1 }), {
      code: AdapterErrorCode.INVALID_OPTION,
      message: /localBatchMs must be a number of milliseconds >= 0/,
    });
    assert.doesNotThrow(() => start(bus, { localBatchMs: 0 }), 'localBatchMs 0 (no batching) was refused');
  });

  test('drops malformed messages from the broker and keeps working', async () => {
    const bus = new Bus();
    const opts = { heartbeatInterval: 50, heartbeatTimeout: 1000 };
    const first = start(bus, opts);
    const second = start(bus, opts);
    await until('the servers see each other', async () => (await first.of('/').adapter.serverCount()) === 2);
    const target = [...bus.members][1] as { receive(raw: Uint8Array): void };
    const garbage: Uint8Array[] = [
      Buffer.from([0xc1]), // a msgpack byte that is never used
      Buffer.from('{"uid":"x"'), // truncated JSON
      Buffer.from(JSON.stringify({ uid: 'x', nsp: '/', type: 3, data: { packet: 'no', opts: {} } })),
      Buffer.from(JSON.stringify({ uid: 'x', nsp: '/', type: 99 })),
      Buffer.from(JSON.stringify({ uid: 'x', nsp: '/', type: 11, data: { requestId: 'r', clientCount: -1 } })),
      Buffer.from(JSON.stringify({ uid: 'x', nsp: '/', type: 9, data: { packet: [] } })),
      notepack.encode({ uid: 1, nsp: '/', type: 2 }) as Buffer,
      notepack.encode([1, 2, 3]) as Buffer,
    ];
    for (const raw of garbage) assert.doesNotThrow(() => target.receive(raw));
    const heard = new Promise<unknown[]>((resolve) => second.on('note', (...args: unknown[]) => resolve(args)));
    first.serverSideEmit('note', 'still here');
    assert.deepEqual(await heard, ['still here']);
  });

  test('a request waiting on a server that goes silent ends when heartbeats declare it gone', async () => {
    const bus = new Bus();
    const opts = { heartbeatInterval: 50, heartbeatTimeout: 300, requestsTimeout: 5000 };
    const [asker, answerer, silent] = [start(bus, opts), start(bus, opts), start(bus, opts)];
    answerer.on('whoami', (callback: (answer: string) => void) => callback('answerer'));
    silent.on('whoami', () => bus.silenced.add([...bus.members][2]));
    await until('three servers', async () => (await asker.of('/').adapter.serverCount()) === 3);
    const startedAt = Date.now();
    assert.deepEqual(await asker.serverSideEmitWithAck('whoami'), ['answerer']);
    assert.ok(Date.now() - startedAt < 2000, 'ended by the heartbeat timeout, not the request timeout');
    assert.equal(await asker.of('/').adapter.serverCount(), 2);
  });

  test('a request a live server does not answer fails after requestsTimeout with ADAPTER_ERR_REQUEST_TIMEOUT', async () => {
    const bus = new Bus();
    const opts = { heartbeatInterval: 50, heartbeatTimeout: 5000, requestsTimeout: 300 };
    const [asker, mute] = [start(bus, opts), start(bus, opts)];
    mute.on('whoami', () => {});
    await until('two servers', async () => (await asker.of('/').adapter.serverCount()) === 2);
    const startedAt = Date.now();
    await assert.rejects(asker.serverSideEmitWithAck('whoami'), {
      code: AdapterErrorCode.REQUEST_TIMEOUT,
      message: /1 of 1 servers/,
    });
    assert.ok(Date.now() - startedAt >= 290);
  });

  test('a server that closes says so, and the others stop counting it at once', async () => {
    const bus = new Bus();
    const opts = { heartbeatInterval: 50, heartbeatTimeout: 60_000 };
    const [stays, leaves] = [start(bus, opts), start(bus, opts)];
    await until('two servers', async () => (await stays.of('/').adapter.serverCount()) === 2);
    await leaves.close();
    await until('one server', async () => (await stays.of('/').adapter.serverCount()) === 1, 1000);
  });
});

describe('cluster message codec', () => {
  test('encodes as msgpack with notepack.io, byte for byte what socket.io adapters send', () => {
    const message: ClusterMessage = { uid: 'ab', nsp: '/', type: 2 };
    assert.equal(encodeClusterMessage(message).toString('hex'), '83a3756964a26162a36e7370a12fa474797065' + '02');
  });

  test('round-trips binary payloads as Buffers', () => {
    const bytes = new Uint8Array([0, 255, 7]);
    const message: ClusterMessage = {
      uid: 'u',
      nsp: '/',
      type: 9,
      data: { packet: ['ev', bytes, { deep: Buffer.from([1]) }] },
    };
    const decoded = decodeClusterMessage(encodeClusterMessage(message)) as {
      data: { packet: [string, Buffer, { deep: Buffer }] };
    };
    assert.deepEqual([...decoded.data.packet[1]], [0, 255, 7]);
    assert.ok(Buffer.isBuffer(decoded.data.packet[2].deep));
  });

  test('reads the JSON messages @socket.io/redis-adapter sends when there is no binary', () => {
    const json = '{"uid":"u","nsp":"/","type":9,"data":{"packet":["ev",1]}}';
    assert.deepEqual(decodeClusterMessage(Buffer.from(json)), JSON.parse(json));
  });

  test('returns undefined for bytes that do not decode', () => {
    assert.equal(decodeClusterMessage(Buffer.from([0xc1])), undefined);
    assert.equal(decodeClusterMessage(Buffer.from('{oops')), undefined);
  });
});
