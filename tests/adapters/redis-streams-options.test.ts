// The streams adapter's streamCount, useShardedPubSub and onlyPlaintext options, each in a cluster mixing one node on
// the official @socket.io/redis-streams-adapter 0.3.1 (same option) with ours, on the real Redis: broadcasts cross
// both ways, and Redis holds what the official adapter would have written (streams, sharded channels, JSON entries).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createClient } from 'redis';
import type { Socket as ClientSocket } from 'socket.io-client';
import {
  EventLog,
  eventually,
  startCluster,
  uniqueKey,
  withTimeout,
  type ClusterNode,
  type NodeSetup,
  type TestCluster,
} from '../interop/adapter-cluster-kit.js';

const SUITE_TIMEOUT_MS = 120_000;
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const keys: string[] = [];
const clusters: TestCluster[] = [];

type Redis = ReturnType<typeof createClient>;

async function withRedis<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  try {
    return await use(redis);
  } finally {
    await redis.quit();
  }
}

after(async () => {
  await Promise.all(clusters.map((cluster) => cluster.close()));
  // Every stream and session key of these tests starts with its unique key.
  await withRedis(async (redis) => {
    for (const key of keys) {
      const found = await redis.keys(`${key}*`);
      if (found.length > 0) await redis.del(found);
    }
  });
});

/** An official node then ours (twice with `ioredisToo`, the second on ioredis), all with `options`. */
function mixedSetups(
  label: string,
  options: Record<string, unknown>,
  recovery: boolean,
  ioredisToo = false,
): NodeSetup[] {
  const key = uniqueKey(label);
  keys.push(key);
  const setups: NodeSetup[] = [
    { name: 'official', adapter: { kind: 'redis-streams', key, options }, recovery },
    { name: 'ours', adapter: { kind: 'switchboard-redis-streams', key, options }, recovery },
  ];
  if (ioredisToo)
    setups.push({
      name: 'ours-ioredis',
      adapter: { kind: 'switchboard-redis-streams', key, options, client: 'ioredis' },
      recovery,
    });
  return setups;
}

async function start(setups: NodeSetup[]): Promise<ClusterNode[]> {
  const cluster = await startCluster(setups);
  clusters.push(cluster);
  for (const node of cluster.nodes)
    await eventually(
      () => node.call<number>('serverCount'),
      (n) => n === setups.length,
      10_000,
    );
  return cluster.nodes;
}

function clusterOf(node: ClusterNode): TestCluster {
  const found = clusters.find((cluster) => cluster.nodes.includes(node));
  if (found === undefined) throw new Error(`no cluster holds ${node.name}`);
  return found;
}

/** One client per node, logging what it receives. */
async function clientsOn(nodes: ClusterNode[], stripOffsets: boolean): Promise<EventLog[]> {
  const logs: EventLog[] = [];
  for (const node of nodes)
    logs.push(new EventLog(await clusterOf(node).client(node, `on-${node.name}`), stripOffsets));
  return logs;
}

/** `from` broadcasts `event` to all; every log must receive exactly it. */
async function assertBroadcastReaches(from: ClusterNode, event: string, logs: EventLog[]): Promise<void> {
  await from.call('emit', { event, args: [`from ${from.name}`] });
  for (const log of logs)
    assert.deepEqual(await log.drainUntil(event), [[event, `from ${from.name}`]], `${event} from ${from.name}`);
}

describe('streams adapter option streamCount, mixed with the official adapter', { timeout: SUITE_TIMEOUT_MS }, () => {
  // '/' hashes to 47, so with 3 streams both adapters must use `${streamName}-2`.
  const setups = mixedSetups('sb-streams-count', { streamCount: 3 }, true);
  const key = (setups[0] as NodeSetup).adapter.key;
  let nodes: ClusterNode[] = [];

  it('writes the namespace to the stream the official adapter picks, and broadcasts cross both ways', async () => {
    nodes = await start(setups);
    const [official, ours] = nodes as [ClusterNode, ClusterNode];
    const logs = await clientsOn([official, ours], true);
    await assertBroadcastReaches(official, 'hello-1', logs);
    await assertBroadcastReaches(ours, 'hello-2', logs);
    const lengths = await withRedis((redis) =>
      Promise.all(
        [`${key}-stream`, `${key}-stream-0`, `${key}-stream-1`, `${key}-stream-2`].map((name) => redis.xLen(name)),
      ),
    );
    assert.deepEqual(lengths.slice(0, 3), [0, 0, 0]);
    assert.ok((lengths[3] as number) >= 2, `entries in ${key}-stream-2: ${String(lengths[3])}`);
  });

  it('recovers on our node a client that left the official one, from the sharded stream both wrote to', async () => {
    const [official, ours] = nodes as [ClusterNode, ClusterNode];
    const cluster = clusterOf(official);
    const roamer: ClientSocket = await cluster.client(official, 'roamer');
    const log = new EventLog(roamer, true);
    const id = roamer.id as string;
    await official.call('emit', { event: 'seen', args: [] });
    await log.drainUntil('seen');
    const left = official.nextEvent('disconnect', ([socketId]) => socketId === id);
    roamer.io.engine.close();
    await left;
    // Two nodes emit: their order on the stream is the order of their XADDs, so the second waits for the first.
    const stream = `${key}-stream-2`;
    const before = await withRedis((redis) => redis.xLen(stream));
    await official.call('emit', { event: 'missed', args: [1] });
    const deadline = Date.now() + 5000;
    while ((await withRedis((redis) => redis.xLen(stream))) === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await ours.call('emit', { event: 'missed', args: [2] });

    (roamer.io as unknown as { uri: string }).uri = ours.url;
    const connected = new Promise<void>((resolve) => roamer.once('connect', () => resolve()));
    roamer.connect();
    await withTimeout(connected, 5000, 'roamer reconnect');
    assert.equal(roamer.recovered, true);
    await ours.call('emit', { event: 'after', args: [] });
    assert.deepEqual(await log.drainUntil('after'), [['missed', 1], ['missed', 2], ['after']]);
  });
});

describe(
  'streams adapter option useShardedPubSub, mixed with the official adapter',
  { timeout: SUITE_TIMEOUT_MS },
  () => {
    const setups = mixedSetups('sb-streams-sharded', { useShardedPubSub: true }, false, true);
    const key = (setups[0] as NodeSetup).adapter.key;
    let nodes: ClusterNode[] = [];

    it('subscribes every node with SSUBSCRIBE only, so serverCount (PUBSUB SHARDNUMSUB) counts all three', async () => {
      nodes = await start(setups);
      const channel = `${key}#/#`;
      const [classic, sharded] = await withRedis((redis) =>
        Promise.all([
          redis.sendCommand<unknown[]>(['PUBSUB', 'NUMSUB', channel]),
          redis.sendCommand<unknown[]>(['PUBSUB', 'SHARDNUMSUB', channel]),
        ]),
      );
      assert.deepEqual([Number(classic[1]), Number(sharded[1])], [0, 3]);
    });

    it('answers requests across official and ours (node-redis and ioredis): fetchSockets and serverSideEmitWithAck', async () => {
      const logs = await clientsOn(nodes, false);
      for (const node of nodes) {
        const found = await node.call<{ id: string }[]>('fetchSockets');
        assert.equal(found.length, 3, `sockets seen from ${node.name}`);
        const answers = await node.call<string[]>('serverSideEmitWithAck', { event: 'peer-hello', args: ['asked'] });
        const others = nodes.filter((other) => other !== node).map((other) => `${other.name}:asked`);
        assert.deepEqual(answers, others.sort(), `answers to ${node.name}`);
      }
      for (const node of nodes) await assertBroadcastReaches(node, `hello-from-${node.name}`, logs);
    });
  },
);

describe('streams adapter option onlyPlaintext, mixed with the official adapter', { timeout: SUITE_TIMEOUT_MS }, () => {
  const setups = mixedSetups('sb-streams-plaintext', { onlyPlaintext: true }, false);
  const key = (setups[0] as NodeSetup).adapter.key;

  it('stores JSON entries only, and a Buffer sent anyway reaches the other node as JSON makes it, whichever node sent it', async () => {
    const [official, ours] = (await start(setups)) as [ClusterNode, ClusterNode];
    const [onOfficial, onOurs] = (await clientsOn([official, ours], false)) as [EventLog, EventLog];
    await assertBroadcastReaches(official, 'hello-1', [onOfficial, onOurs]);
    await assertBroadcastReaches(ours, 'hello-2', [onOfficial, onOurs]);

    const asJson = { type: 'Buffer', data: [1, 2, 3] };
    for (const [from, local, remote] of [
      [official, onOfficial, onOurs],
      [ours, onOurs, onOfficial],
    ] as const) {
      await from.call('emitSamples');
      await local.drainUntil('samples'); // delivered in-process, as real binary
      const [[event, bytes, text]] = (await remote.drainUntil('samples')) as [[string, unknown, string]];
      assert.deepEqual([event, bytes, text.length], ['samples', asJson, 20_000], `samples from ${from.name}`);
    }
    const entries = await withRedis((redis) => redis.xRange(`${key}-stream`, '-', '+'));
    const broadcasts = entries.filter((entry) => entry.message['type'] === '3');
    assert.equal(broadcasts.length, 4);
    assert.ok(
      broadcasts.every((entry) => entry.message['data']?.startsWith('{')),
      'every broadcast entry is JSON',
    );
  });
});
