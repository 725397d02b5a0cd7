// socket.io's own @socket.io/redis-streams-adapter on two of our server nodes, connection state recovery on: the
// cluster suite, and a client that drops from node A recovering its session and missed packets on node B.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import type { Socket as ClientSocket } from 'socket.io-client';
import { describeAdapterCluster } from './adapter-cluster-suite.js';
import {
  EventLog,
  eventually,
  startCluster,
  uniqueKey,
  withTimeout,
  type ClusterNode,
  type NodeSetup,
  type TestCluster,
} from './adapter-cluster-kit.js';

function streamsSetups(label: string): NodeSetup[] {
  const key = uniqueKey(label);
  return [
    { name: 'A', adapter: { kind: 'redis-streams', key }, recovery: true },
    { name: 'B', adapter: { kind: 'redis-streams', key }, recovery: true },
  ];
}

/** Deletes the test's stream from the shared Redis (session keys expire by themselves). */
async function deleteStream(setups: NodeSetup[]): Promise<void> {
  const client = createClient({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
  await client.connect();
  try {
    await client.del(`${(setups[0] as NodeSetup).adapter.key}-stream`);
  } finally {
    await client.quit();
  }
}

describeAdapterCluster('@socket.io/redis-streams-adapter on two Switchboard nodes (recovery on)', {
  setups: () => streamsSetups('streams'),
  prepare: (setups) => Promise.resolve(() => deleteStream(setups)),
});

describe(
  '@socket.io/redis-streams-adapter: connection state recovery across two Switchboard nodes',
  { timeout: 90_000 },
  () => {
    let cluster: TestCluster;
    let a: ClusterNode;
    let b: ClusterNode;
    const setups = streamsSetups('recovery');

    before(async () => {
      cluster = await startCluster(setups);
      [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
      await eventually(
        () => a.call<number>('serverCount'),
        (count) => count === 2,
      );
    });

    after(async () => {
      await cluster?.close();
      await deleteStream(setups);
    });

    it('restores id, rooms, data and the missed packets of a client that left node A, when it reconnects to node B', async () => {
      const roamer: ClientSocket = await cluster.client(a, 'roamer');
      const witness = new EventLog(await cluster.client(b, 'witness'), true);
      const roamerLog = new EventLog(roamer, true);
      const id = roamer.id as string;
      await a.call('socketsJoin', { to: [id], rooms: ['blue'] });
      await eventually(
        () => b.call<{ id: string }[]>('fetchSockets', { to: ['blue'] }),
        (found) => found.length === 1,
      );
      // The client keeps the offset of the last broadcast it saw: it needs one before it drops.
      await a.call('emit', { event: 'seen', args: [0] });
      await roamerLog.drainUntil('seen');

      const leftA = a.nextEvent('disconnect', ([socketId]) => socketId === id);
      roamer.io.engine.close();
      assert.equal((await leftA)[1], 'transport close');

      // Missed: one broadcast from each node (B's sent once the witness saw A's, so the stream holds them in that
      // order), and one for a room the roamer is not in.
      await a.call('emit', { event: 'missed', args: ['from A'] });
      await witness.drainUntil('missed');
      await b.call('emit', { to: ['green'], event: 'not-for-roamer', args: [] });
      await b.call('emit', { event: 'missed', args: ['from B'] });
      await witness.drainUntil('missed');

      const arrivedB = b.nextEvent('connection', ([socketId]) => socketId === id);
      (roamer.io as unknown as { uri: string }).uri = b.url;
      const reconnected = new Promise<void>((resolve) => roamer.once('connect', () => resolve()));
      roamer.connect();
      await withTimeout(reconnected, 5000, 'roamer reconnect');
      assert.deepEqual(await arrivedB, [id, true]);
      assert.equal(roamer.recovered, true);
      assert.equal(roamer.id, id);
      await b.call('emit', { event: 'after', args: [] });
      assert.deepEqual(await roamerLog.drainUntil('after'), [['missed', 'from A'], ['missed', 'from B'], ['after']]);
      const found = await b.call<{ id: string; rooms: string[]; data: unknown }[]>('fetchSockets', { to: [id] });
      assert.deepEqual(found, [{ id, rooms: ['blue', id].sort(), data: { name: 'roamer' } }]);
    });
  },
);
