// @switchboard/redis-streams-adapter across server processes, connection state recovery on: a client recovers its
// session and exactly the packets it missed, in order, on another node; after every node restarted; after its node
// was killed with SIGKILL; and in a cluster mixing one node on the official @socket.io/redis-streams-adapter.
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
const streamKeys: string[] = [];

function setups(
  label: string,
  kinds: NodeSetup['adapter']['kind'][] = ['switchboard-redis-streams', 'switchboard-redis-streams'],
): NodeSetup[] {
  const key = uniqueKey(label);
  streamKeys.push(`${key}-stream`);
  return kinds.map((kind, index) => ({
    name: String.fromCharCode(65 + index),
    adapter: { kind, key },
    recovery: true,
  }));
}

after(async () => {
  const client = createClient({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
  await client.connect();
  if (streamKeys.length > 0) await client.del(streamKeys);
  await client.quit();
});

async function waitForServers(nodes: ClusterNode[], count: number): Promise<void> {
  for (const node of nodes)
    await eventually(
      () => node.call<number>('serverCount'),
      (n) => n === count,
    );
}

/** Sends the client to `node` and resolves once it reconnected; returns whether its session was recovered. */
async function reconnect(client: ClientSocket, node: ClusterNode): Promise<boolean> {
  (client.io as unknown as { uri: string }).uri = node.url;
  const connected = new Promise<void>((resolve) => client.once('connect', () => resolve()));
  client.connect();
  await withTimeout(connected, 5000, 'reconnect');
  return client.recovered;
}

/** A roamer in room blue, on `node`, that saw one broadcast (so it holds an offset). */
async function roamerOn(cluster: TestCluster, node: ClusterNode): Promise<{ roamer: ClientSocket; log: EventLog }> {
  const roamer = await cluster.client(node, 'roamer');
  const log = new EventLog(roamer, true);
  await node.call('socketsJoin', { to: [roamer.id as string], rooms: ['blue'] });
  await node.call('emit', { event: 'seen', args: [0] });
  await log.drainUntil('seen');
  return { roamer, log };
}

/** Broadcasts `count` numbered events from `node` (to all, and to blue), one not addressed to the roamer. */
async function broadcastMissed(node: ClusterNode, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await node.call('emit', { to: i % 2 === 0 ? [] : ['blue'], event: 'missed', args: [i] });
  }
  await node.call('emit', { to: ['green'], event: 'not-for-roamer', args: [] });
}

function expectedMissed(from: number, count: number): [string, ...unknown[]][] {
  return Array.from({ length: count }, (_, i) => ['missed', from + i] as [string, ...unknown[]]);
}

describe(
  '@switchboard/redis-streams-adapter: connection state recovery across server processes',
  { timeout: SUITE_TIMEOUT_MS },
  () => {
    const clusters: TestCluster[] = [];
    after(async () => {
      await Promise.all(clusters.map((cluster) => cluster.close()));
    });

    it('gives a client that left node A its session and the 20 packets broadcast meanwhile, once and in order, on node B', async () => {
      const cluster = await startCluster(setups('sb-streams-roam'));
      clusters.push(cluster);
      const [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
      await waitForServers([a, b], 2);
      const { roamer, log } = await roamerOn(cluster, a);
      const id = roamer.id as string;
      const leftA = a.nextEvent('disconnect', ([socketId]) => socketId === id);
      roamer.io.engine.close();
      await leftA;
      // Half from each node, so the stream interleaves two writers.
      await broadcastMissed(a, 0, 10);
      await broadcastMissed(b, 10, 10);

      assert.equal(await reconnect(roamer, b), true);
      assert.equal(roamer.id, id);
      await b.call('emit', { event: 'after', args: [] });
      assert.deepEqual(await log.drainUntil('after'), [...expectedMissed(0, 20), ['after']]);
      const found = await a.call<{ id: string; rooms: string[]; data: unknown }[]>('fetchSockets', { to: [id] });
      assert.deepEqual(found, [{ id, rooms: ['blue', id].sort(), data: { name: 'roamer' } }]);
    });

    it('recovers a client on node B after its node A was killed with SIGKILL, with the 10 packets it missed, once and in order', async () => {
      const cluster = await startCluster(setups('sb-streams-kill'));
      clusters.push(cluster);
      const [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
      await waitForServers([a, b], 2);
      const { roamer, log } = await roamerOn(cluster, a);
      const id = roamer.id as string;
      const dropped = new Promise<void>((resolve) => roamer.once('disconnect', () => resolve()));
      await cluster.kill(a);
      await withTimeout(dropped, 5000, 'roamer drop');
      await broadcastMissed(b, 0, 10);

      assert.equal(await reconnect(roamer, b), true);
      assert.equal(roamer.id, id);
      await b.call('emit', { event: 'after', args: [] });
      assert.deepEqual(await log.drainUntil('after'), [...expectedMissed(0, 10), ['after']]);
    });

    it('recovers a client after every node was killed and started again, with the 10 packets the new nodes sent meanwhile', async () => {
      const nodeSetups = setups('sb-streams-restart');
      const first = await startCluster(nodeSetups);
      clusters.push(first);
      const [a, b] = first.nodes as [ClusterNode, ClusterNode];
      await waitForServers([a, b], 2);
      const { roamer, log } = await roamerOn(first, a);
      const id = roamer.id as string;
      const dropped = new Promise<void>((resolve) => roamer.once('disconnect', () => resolve()));
      await Promise.all([first.kill(a), first.kill(b)]);
      await withTimeout(dropped, 5000, 'roamer drop');

      const second = await startCluster(nodeSetups);
      clusters.push(second);
      const [a2, b2] = second.nodes as [ClusterNode, ClusterNode];
      await waitForServers([a2, b2], 2);
      await broadcastMissed(a2, 0, 10);

      assert.equal(await reconnect(roamer, b2), true);
      assert.equal(roamer.id, id);
      await b2.call('emit', { event: 'after', args: [] });
      assert.deepEqual(await log.drainUntil('after'), [...expectedMissed(0, 10), ['after']]);
    });

    it('mixes with a node on the official @socket.io/redis-streams-adapter: broadcasts cross both ways and a client recovers from one on the other', async () => {
      const cluster = await startCluster(setups('sb-streams-mixed', ['redis-streams', 'switchboard-redis-streams']));
      clusters.push(cluster);
      const [official, ours] = cluster.nodes as [ClusterNode, ClusterNode];
      await waitForServers([official, ours], 2);
      const onOfficial = new EventLog(await cluster.client(official, 'x'), true);
      const onOurs = new EventLog(await cluster.client(ours, 'y'), true);
      await official.call('emit', { event: 'hello-1', args: ['from official'] });
      assert.deepEqual(await onOurs.drainUntil('hello-1'), [['hello-1', 'from official']]);
      await onOfficial.drainUntil('hello-1');
      await ours.call('emit', { event: 'hello-2', args: ['from ours'] });
      assert.deepEqual(await onOfficial.drainUntil('hello-2'), [['hello-2', 'from ours']]);
      const fetched = await ours.call<{ id: string }[]>('fetchSockets');
      assert.equal(fetched.length, 2);

      // A session saved by the official adapter, restored by ours, with packets both wrote to the stream.
      const { roamer, log } = await roamerOn(cluster, official);
      const id = roamer.id as string;
      const leftOfficial = official.nextEvent('disconnect', ([socketId]) => socketId === id);
      roamer.io.engine.close();
      await leftOfficial;
      await broadcastMissed(official, 0, 5);
      await broadcastMissed(ours, 5, 5);
      assert.equal(await reconnect(roamer, ours), true);
      assert.equal(roamer.id, id);
      await ours.call('emit', { event: 'after', args: [] });
      assert.deepEqual(await log.drainUntil('after'), [...expectedMissed(0, 10), ['after']]);
    });
  },
);
