// deliverAfterPublish when Redis does not answer: this server's clients must keep getting broadcasts. While the
// client reconnects (Redis gone) they are served at once; while Redis hangs (SIGSTOP: the connection looks fine but
// nothing answers, as with a half-open connection) each waits at most 1 s. Classic and Streams adapters, node-redis
// and ioredis, on a private redis-server (the shared one is never stopped).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { io as connect, type Socket as ClientSocket } from '@switchboard/client';
import { createAdapter as createClassicAdapter } from '@switchboard/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@switchboard/redis-streams-adapter';
import { Server, type AdapterConstructor } from '@switchboard/server';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { freePort, PrivateRedis, uniqueKey } from './redis-cluster.js';

const MAX_WAIT_MS = 1000;

interface Fixture {
  readonly name: string;
  /** Builds the adapter over fresh clients of the private Redis, and says whether the publishing one is ready. */
  make(url: string): Promise<{ adapter: AdapterConstructor; ready: () => boolean; close: () => Promise<void> }>;
}

const quiet = () => {};

const fixtures: Fixture[] = [
  {
    name: 'classic adapter on node-redis',
    async make(url) {
      const pub = createClient({ url });
      const sub = pub.duplicate();
      pub.on('error', quiet);
      sub.on('error', quiet);
      await Promise.all([pub.connect(), sub.connect()]);
      const adapter = createClassicAdapter(pub, sub, { key: uniqueKey('local'), deliverAfterPublish: true });
      return {
        adapter,
        ready: () => pub.isReady,
        close: async () => {
          await Promise.all([pub.disconnect(), sub.disconnect()]).catch(quiet);
        },
      };
    },
  },
  {
    name: 'classic adapter on ioredis',
    async make(url) {
      const pub = new Redis(url, { lazyConnect: true });
      const sub = pub.duplicate();
      pub.on('error', quiet);
      sub.on('error', quiet);
      await Promise.all([pub.connect(), sub.connect()]);
      const adapter = createClassicAdapter(pub, sub, { key: uniqueKey('local'), deliverAfterPublish: true });
      return {
        adapter,
        ready: () => pub.status === 'ready',
        close: async () => {
          pub.disconnect();
          sub.disconnect();
          await Promise.resolve();
        },
      };
    },
  },
  {
    name: 'Streams adapter on node-redis (its default)',
    async make(url) {
      const client = createClient({ url });
      client.on('error', quiet);
      await client.connect();
      const adapter = createStreamsAdapter(client, { streamName: uniqueKey('local-stream') });
      return {
        adapter,
        ready: () => client.isReady,
        close: async () => {
          await client.disconnect().catch(quiet);
        },
      };
    },
  },
];

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves with the time it took `socket` to receive `event` after this call, or rejects after `timeoutMs`. */
function arrival(socket: ClientSocket, event: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
}

for (const fixture of fixtures) {
  describe(`deliverAfterPublish when Redis does not answer: ${fixture.name}`, { timeout: 60_000 }, () => {
    let redis: PrivateRedis;
    let io: Server;
    let client: ClientSocket;
    let ready: () => boolean;
    let closeClients: () => Promise<void>;

    before(async () => {
      redis = new PrivateRedis(await freePort());
      await redis.start();
      const made = await fixture.make(redis.url);
      ready = made.ready;
      closeClients = made.close;
      const http = createServer();
      io = new Server(http, { adapter: made.adapter });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
        transports: ['websocket'],
        forceNew: true,
      });
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    });

    after(async () => {
      client?.disconnect();
      await io?.close();
      await redis?.resume();
      await closeClients?.();
      await redis?.stop();
    });

    it('serves local clients once Redis answered the PUBLISH, well within the bound', async () => {
      const took = arrival(client, 'up', 5000);
      io.emit('up', 1);
      assert.ok((await took) < MAX_WAIT_MS / 2, 'a broadcast waited as if Redis had not answered');
    });

    it('waits at most 1 s for a PUBLISH that Redis never answers (Redis frozen), in emit order', async () => {
      await redis.pause();
      const order: number[] = [];
      client.on('frozen', (n: number) => void order.push(n));
      const first = arrival(client, 'frozen', MAX_WAIT_MS + 4000);
      io.emit('frozen', 0);
      io.local.emit('frozen', 1); // not published, but behind the one that waits
      io.emit('frozen', 2);
      const took = await first;
      await until('three frozen-time broadcasts', () => order.length === 3, 3000);
      client.off('frozen');
      await redis.resume();
      assert.deepEqual(order, [0, 1, 2]);
      assert.ok(took >= MAX_WAIT_MS * 0.8, `delivered after ${Math.round(took)} ms, before Redis could have answered`);
      assert.ok(took < MAX_WAIT_MS + 2500, `delivered after ${Math.round(took)} ms, far past the 1 s bound`);
    });

    it('serves local clients at once while the client reconnects (Redis gone)', async () => {
      await redis.stop();
      await until('the publishing client to notice Redis is gone', () => !ready());
      const took = arrival(client, 'down', 5000);
      io.emit('down', 1);
      assert.ok((await took) < MAX_WAIT_MS / 2, 'a broadcast waited for a Redis that is reconnecting');
      await redis.start();
      await until('the publishing client to reconnect', ready, 15_000);
    });
  });
}
