// @switchboard/redis-streams-adapter under faults, two servers in this process: a stream entry that cannot be used
// is skipped and counted while later messages still arrive (the official adapter re-reads such an entry forever),
// and a Redis restart (a private redis-server, never the shared one) costs neither a crash nor the reader.
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Server } from '@switchboard/server';
import { createAdapter, type RedisStreamsAdapter } from '@switchboard/redis-streams-adapter';
import { freePort, PrivateRedis, uniqueKey } from './redis-cluster.js';

type RedisV4 = ReturnType<typeof createClient>;

interface Node {
  io: Server;
  http: HttpServer;
  redis: RedisV4;
  url: string;
}

async function startNode(url: string, key: string): Promise<Node> {
  const redis = createClient({ url, socket: { reconnectStrategy: () => 100 } });
  redis.on('error', () => {}); // the restart test breaks the connection on purpose
  await redis.connect();
  const http = createServer();
  const io = new Server(http, {
    adapter: createAdapter(redis, {
      streamName: `${key}-stream`,
      channelPrefix: key,
      sessionKeyPrefix: `${key}-session:`,
      blockTimeInMs: 500,
    }),
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { io, http, redis, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function stopNode(node: Node | undefined): Promise<void> {
  if (node === undefined) return;
  await node.io.close();
  await node.redis.quit().catch(() => {});
}

function adapterOf(node: Node): RedisStreamsAdapter {
  return node.io.of('/').adapter as unknown as RedisStreamsAdapter;
}

function nextEvent(client: ClientSocket, event: string, timeoutMs = 5000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    client.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

async function connectClient(url: string): Promise<ClientSocket> {
  const client = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await nextEvent(client, 'connect');
  return client;
}

/** Emits from `from` until `client` got the event (the stream reader of a fresh node starts a moment later). */
async function emitUntilReceived(
  from: Node,
  client: ClientSocket,
  event: string,
  timeoutMs: number,
): Promise<unknown[]> {
  const received = nextEvent(client, event, timeoutMs);
  let stop = false;
  void received.finally(() => (stop = true)).catch(() => {});
  for (let i = 0; i < Math.ceil(timeoutMs / 100) && !stop; i++) {
    from.io.emit(event, i);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return received;
}

describe('@switchboard/redis-streams-adapter: a bad stream entry', { timeout: 30_000 }, () => {
  const key = uniqueKey('streams-bad-entry');
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  let a: Node | undefined;
  let b: Node | undefined;
  let client: ClientSocket | undefined;

  before(async () => {
    [a, b] = await Promise.all([startNode(url, key), startNode(url, key)]);
    client = await connectClient(a.url);
  });

  after(async () => {
    client?.disconnect();
    const cleaner = a?.redis;
    await cleaner?.del(`${key}-stream`);
    await Promise.all([stopNode(a), stopNode(b)]);
  });

  it('is skipped and counted once, and the messages written after it still arrive', async () => {
    const [nodeA, nodeB, socket] = [a as Node, b as Node, client as ClientSocket];
    await emitUntilReceived(nodeB, socket, 'before', 5000);
    // A broadcast without its packet: it decodes, but is no message of the cluster format. socket.io's adapter
    // throws on it before moving its offset, and reads it again forever.
    const badId = await nodeB.redis.xAdd(`${key}-stream`, '*', {
      uid: 'intruder',
      nsp: '/',
      type: '3',
      data: '{"opts":{"rooms":[]}}',
    });
    nodeB.io.emit('later', 'still here');
    assert.deepEqual(await nextEvent(socket, 'later'), ['still here']);
    const stats = adapterOf(nodeA).stats;
    assert.equal(stats.skippedEntries, 1);
    assert.equal(stats.lastSkipped?.id, badId);
    assert.equal(stats.lastSkipped?.error.code, 'ADAPTER_ERR_BAD_ENTRY');
  });
});

describe('@switchboard/redis-streams-adapter: Redis restarted mid-run', { timeout: 40_000 }, () => {
  const key = uniqueKey('streams-restart');
  let redis: PrivateRedis | undefined;
  let a: Node | undefined;
  let b: Node | undefined;
  let client: ClientSocket | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    redis = new PrivateRedis(await freePort());
    await redis.start();
    [a, b] = await Promise.all([startNode(redis.url, key), startNode(redis.url, key)]);
    client = await connectClient(a.url);
  });

  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    client?.disconnect();
    await Promise.all([stopNode(a), stopNode(b)]);
    await redis?.stop();
  });

  it('resumes reading the stream after Redis restarted: broadcasts cross again, no crash, no unhandled rejection', async () => {
    const [nodeA, nodeB, socket, server] = [a as Node, b as Node, client as ClientSocket, redis as PrivateRedis];
    await emitUntilReceived(nodeB, socket, 'before', 5000);
    await server.stop();
    await server.start();
    await emitUntilReceived(nodeB, socket, 'after-restart', 15_000);
    assert.ok(adapterOf(nodeA).stats.readErrors >= 1, 'the reader saw the connection break');
    assert.equal(adapterOf(nodeA).stats.skippedEntries, 0);
    assert.deepEqual(unhandled, []);
  });
});
