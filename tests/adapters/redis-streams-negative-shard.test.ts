// streamCount with a namespace whose hash is negative: @socket.io/redis-streams-adapter 0.3.1 writes `/notifications`
// (3 streams) to `<streamName>--2`, a stream it never reads. Ours writes the same stream, so both agree on where the
// namespace lives, and reads it too: our nodes get the official node's broadcasts and each other's. In this process:
// two of our servers and one socket.io 4.8 server, on the real Redis.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAdapter as createOfficialAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server as OfficialServer } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Server } from '@switchboard/server';
import { createAdapter } from '@switchboard/redis-streams-adapter';
import { uniqueKey } from './redis-cluster.js';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const NSP = '/notifications';

interface Emitter {
  emit(event: string, ...args: unknown[]): unknown;
}

describe('streams adapter: a namespace routed to a negative stream index (streamCount 3)', { timeout: 60_000 }, () => {
  const key = uniqueKey('streams-negative');
  const opts = {
    streamName: `${key}-stream`,
    channelPrefix: key,
    sessionKeyPrefix: `${key}-session:`,
    streamCount: 3,
    blockTimeInMs: 500,
  };
  const redisClients: ReturnType<typeof createClient>[] = [];
  const closers: (() => unknown)[] = [];
  let ours: Server;
  let oursToo: Server;
  let official: OfficialServer;
  let client: ClientSocket;

  async function redis(): Promise<ReturnType<typeof createClient>> {
    const c = createClient({ url });
    c.on('error', () => {});
    await c.connect();
    redisClients.push(c);
    return c;
  }

  async function listen(http: ReturnType<typeof createServer>): Promise<string> {
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  before(async () => {
    const httpOurs = createServer();
    ours = new Server(httpOurs, { adapter: createAdapter(await redis(), opts) });
    const oursUrl = await listen(httpOurs);
    const httpOursToo = createServer();
    oursToo = new Server(httpOursToo, { adapter: createAdapter(await redis(), opts) });
    await listen(httpOursToo);
    official = new OfficialServer(createServer(), { adapter: createOfficialAdapter(await redis(), opts) });
    for (const server of [ours, oursToo]) server.of(NSP);
    official.of(NSP);
    closers.push(
      () => ours.close(),
      () => oursToo.close(),
      () => official.close(),
    );
    client = connect(`${oursUrl}${NSP}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
  });

  after(async () => {
    client?.disconnect();
    for (const close of closers) await Promise.resolve(close()).catch(() => {});
    const cleaner = await redis();
    const found = await cleaner.keys(`${key}*`);
    if (found.length > 0) await cleaner.del(found);
    await Promise.allSettled(redisClients.map((c) => c.quit()));
  });

  /** Emits from `from` until the client got `event` (a fresh node's reader starts a moment after it). */
  async function emitUntilReceived(from: Emitter, event: string): Promise<unknown[]> {
    const received = new Promise<unknown[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within 5000 ms`)), 5000);
      client.once(event, (...args: unknown[]) => {
        clearTimeout(timer);
        resolve(args);
      });
    });
    let done = false;
    void received.finally(() => (done = true)).catch(() => {});
    for (let i = 0; i < 50 && !done; i++) {
      from.emit(event, 'hello');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return received;
  }

  it("delivers the official node's broadcasts to our clients, read from the stream the official writes them to", async () => {
    assert.deepEqual(await emitUntilReceived(official.of(NSP), 'from-official'), ['hello']);
    const inNegative = await redisClients[0]?.xLen(`${key}-stream--2`);
    assert.ok((inNegative ?? 0) >= 1, `entries in ${key}-stream--2: ${String(inNegative)}`);
  });

  it("delivers another of our nodes' broadcasts through the same stream", async () => {
    assert.deepEqual(await emitUntilReceived(oursToo.of(NSP) as unknown as Emitter, 'from-ours'), ['hello']);
    const lengths = await Promise.all([0, 1, 2].map((i) => redisClients[0]!.xLen(`${key}-stream-${i}`)));
    assert.deepEqual(lengths, [0, 0, 0]);
  });
});
