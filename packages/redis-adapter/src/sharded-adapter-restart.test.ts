// Redis restarted under a running cluster: the sharded adapter's subscriptions come back (the clients resubscribe
// when they reconnect), broadcasts resume, and nothing crashes or leaves a rejection unhandled. Uses a redis-server
// of its own on a free port, never the shared one.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { io, type Socket } from '@switchboard/client';
import { Server, type AdapterConstructor } from '@switchboard/server';
import { createShardedAdapter, type ShardedRedisClient } from './index.js';

const WAIT_MS = 5000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts redis-server and resolves once it says it accepts connections. */
function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start within ${WAIT_MS} ms: ${output}`)),
      WAIT_MS,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${String(code)}: ${output}`));
    });
  });
}

function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function listen(server: HttpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Emits from `from` every 100 ms until `to` hears it; the first emits may be lost while Redis is away. */
async function broadcastUntilHeard(from: Server, to: Socket, event: string, ms: number): Promise<number> {
  const startedAt = Date.now();
  let heard = false;
  const listener = (): void => {
    heard = true;
  };
  to.on(event, listener);
  try {
    while (!heard) {
      if (Date.now() - startedAt > ms) throw new Error(`"${event}" not heard within ${ms} ms`);
      from.emit(event);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    to.off(event, listener);
  }
  return Date.now() - startedAt;
}

interface ClientKind {
  name: string;
  connect(url: string): Promise<{ pub: ShardedRedisClient; sub: ShardedRedisClient; quit(): Promise<void> }>;
}

const kinds: ClientKind[] = [
  {
    name: 'node-redis v4',
    async connect(url) {
      const pub = createClient({ url, socket: { reconnectStrategy: () => 100 } });
      const sub = pub.duplicate();
      pub.on('error', () => {});
      sub.on('error', () => {});
      await Promise.all([pub.connect(), sub.connect()]);
      return {
        pub,
        sub,
        quit: async () => {
          await Promise.all([pub.disconnect().catch(() => {}), sub.disconnect().catch(() => {})]);
        },
      };
    },
  },
  {
    name: 'ioredis',
    async connect(url) {
      const pub = new Redis(url, { lazyConnect: true, retryStrategy: () => 100 });
      const sub = pub.duplicate();
      pub.on('error', () => {});
      sub.on('error', () => {});
      await Promise.all([pub.connect(), sub.connect()]);
      return {
        pub,
        sub,
        quit: () => {
          pub.disconnect();
          sub.disconnect();
          return Promise.resolve();
        },
      };
    },
  },
];

for (const kind of kinds) {
  describe(`sharded Redis adapter across a Redis restart (${kind.name})`, () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    const httpServers: HttpServer[] = [];
    const servers: Server[] = [];
    const sockets: Socket[] = [];
    const quits: (() => Promise<void>)[] = [];
    let redis: ChildProcess;
    let port: number;

    before(async () => {
      process.on('unhandledRejection', onUnhandled);
      port = await freePort();
      redis = await startRedis(port);
      const channelPrefix = `sb-restart-${randomBytes(4).toString('hex')}`;
      for (let i = 0; i < 2; i++) {
        const clients = await kind.connect(`redis://127.0.0.1:${port}`);
        quits.push(clients.quit);
        const adapter: AdapterConstructor = createShardedAdapter(clients.pub, clients.sub, {
          channelPrefix,
          requestsTimeout: 1000,
        });
        const httpServer = createServer();
        httpServers.push(httpServer);
        servers.push(new Server(httpServer, { adapter }));
        const socket = io(`http://127.0.0.1:${await listen(httpServer)}`, {
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
        });
        sockets.push(socket);
        await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
      }
    });

    after(async () => {
      process.off('unhandledRejection', onUnhandled);
      for (const socket of sockets) socket.disconnect();
      await Promise.all(servers.map((server) => server.close()));
      await Promise.all(quits.map((quit) => quit()));
      await stopRedis(redis);
    });

    test('broadcasts resume after Redis restarts, with no crash and no unhandled rejection', async () => {
      const [first, second] = servers as [Server, Server];
      const secondClient = sockets[1] as Socket;
      await broadcastUntilHeard(first, secondClient, 'before-restart', WAIT_MS);

      await stopRedis(redis);
      // While Redis is away, emitting and asking must not throw (publishes are queued or dropped).
      first.emit('during-outage');
      second.to('some-room').emit('during-outage');
      redis = await startRedis(port);

      const resumedAfterMs = await broadcastUntilHeard(first, secondClient, 'after-restart', WAIT_MS);
      assert.ok(resumedAfterMs < WAIT_MS);
      await broadcastUntilHeard(second, sockets[0] as Socket, 'after-restart-back', WAIT_MS);
      assert.equal(await first.of('/').adapter.serverCount(), 2);
      // A rejection surfaces on a later tick: wait one macrotask before looking.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    });
  });
}
