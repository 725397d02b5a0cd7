// The classic Redis adapter when things go wrong: malformed messages on its channels, a node killed with SIGKILL
// while a request waits on it, and Redis itself restarted under the running cluster.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encode } from '@msgpack/msgpack';
import type { Socket } from '@switchboard/client';
import { createClient } from 'redis';
import { waitFor } from '../testkit/index.js';
import {
  connectClient,
  eventually,
  freePort,
  NodeCommandError,
  PrivateRedis,
  startNodes,
  uniqueKey,
  waitForServerCount,
  SUITE_TIMEOUT_MS,
  type ClusterNode,
} from './redis-cluster.js';

const REQUESTS_TIMEOUT_MS = 600;

// One cluster for the whole file (starting nodes is the slow part): A on node-redis v4, B on ioredis, C on node-redis
// v5, on a private redis-server. The tests run in order, each on the state the previous one left: bad messages, a
// Redis restart, then node C frozen and killed.
describe('classic Redis adapter when things go wrong', { timeout: SUITE_TIMEOUT_MS }, () => {
  const key = uniqueKey('failures');
  let redis: PrivateRedis;
  let nodes: ClusterNode[] = [];
  const clients: Socket[] = [];
  let raw: ReturnType<typeof createClient>;
  const node = (i: number): ClusterNode => nodes[i] as ClusterNode;

  before(
    async () => {
      redis = new PrivateRedis(await freePort());
      await redis.start();
      raw = createClient({ url: redis.url });
      // The last test restarts Redis: this client's reconnection errors are expected.
      raw.on('error', () => {});
      const defaults = {
        impl: 'switchboard' as const,
        client: 'node-redis' as const,
        redisUrl: redis.url,
        key,
        requestsTimeout: REQUESTS_TIMEOUT_MS,
      };
      nodes = await startNodes(
        [{ name: 'A' }, { name: 'B', client: 'ioredis' }, { name: 'C', client: 'node-redis-v5' }],
        defaults,
        { DEBUG: 'switchboard:redis-adapter' },
      );
      await raw.connect();
      await waitForServerCount(nodes, 3);
      for (const n of nodes) clients.push(await connectClient(n.url, n.config.name));
    },
    { timeout: SUITE_TIMEOUT_MS },
  );

  after(async () => {
    for (const socket of clients) socket.disconnect();
    await Promise.all([...nodes.map((n) => n.stop()), raw?.isOpen ? raw.disconnect() : undefined]);
    await redis?.stop();
  });

  it('logs malformed messages from Redis at debug level, ignores them and keeps serving', async () => {
    const garbage: [string, Buffer | string][] = [
      [`${key}#/#`, Buffer.from([0xc1, 0x00])], // 0xc1 is never used in msgpack
      [`${key}#/#`, Buffer.from(encode(['uid', { type: 2, data: 'not an array' }, { rooms: [] }]))],
      [`${key}#/#`, Buffer.from(encode(['uid', { type: 2, data: ['ev'] }, { rooms: 'x' }]))],
      [`${key}-request#/#`, '{"type":5,"requestId":'],
      [`${key}-request#/#`, '{"type":5,"requestId":"r1","opts":{"rooms":7}}'],
      [
        `${key}-request#/#`,
        Buffer.from(encode({ type: 7, requestId: 'r2', packet: { type: 9 }, opts: { rooms: [] } })),
      ],
      [`${key}-request#/#`, '{"type":6,"data":"not an array"}'],
      [`${key}-request#/#`, '[1,2,3]'],
      [`${key}-response#/#`, Buffer.from([0xff, 0xfe])],
    ];
    for (const [channel, message] of garbage) await raw.publish(channel, message);
    await eventually('every node logged the malformed broadcasts and messages', () =>
      nodes.every(
        (n) => n.stderr.includes('ignoring a malformed broadcast') && n.stderr.includes('ignoring a malformed message'),
      ),
    );
    const heard = Promise.all(clients.map((socket) => waitFor(socket, 'still-serving')));
    await node(0).call('emit', { event: 'still-serving' });
    await heard;
    for (const n of nodes) assert.ok(n.alive, `node ${n.config.name} is alive`);
  });

  /** Broadcasts from `from` until the client of the other node hears one (bounded: 60 tries over at most 12 s). */
  async function broadcastUntilHeard(from: ClusterNode, listener: Socket, event: string): Promise<void> {
    let heard = false;
    listener.once(event, () => (heard = true));
    for (let attempt = 0; attempt < 60 && !heard; attempt++) {
      await from.call('emit', { event });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(heard, `${listener.id ?? ''} never heard ${event}`);
  }

  it('resubscribes after Redis restarts: broadcasts resume from node-redis v4, ioredis and v5 nodes, all counted, none crashes', async () => {
    const heard = waitFor(clients[1] as Socket, 'before-restart');
    await node(0).call('emit', { event: 'before-restart' });
    await heard;
    await redis.stop();
    await redis.start();
    await broadcastUntilHeard(node(0), clients[1] as Socket, 'after-restart-from-node-redis-v4');
    await broadcastUntilHeard(node(1), clients[2] as Socket, 'after-restart-from-ioredis');
    await broadcastUntilHeard(node(2), clients[0] as Socket, 'after-restart-from-node-redis-v5');
    await waitForServerCount(nodes, 3, 10_000);
    for (const n of nodes) {
      assert.ok(n.alive, `node ${n.config.name} is alive`);
      assert.deepEqual(n.unhandled, [], `node ${n.config.name} reported no unhandled rejection or exception`);
    }
  });

  it('ends a fetchSockets waiting on a node killed with SIGKILL after requestsTimeout with ADAPTER_ERR_REQUEST_TIMEOUT', async () => {
    // Frozen, node C stays subscribed (it is counted) but answers nothing; it is killed while the request waits.
    await node(2).kill('SIGSTOP');
    const startedAt = Date.now();
    const fetching = node(0)
      .call('fetchSockets')
      .then(
        () => assert.fail('fetchSockets resolved without node C'),
        (err: unknown) => ({ err, elapsedMs: Date.now() - startedAt }),
      );
    // A's commands run in order on one connection: once this answers, the fetch counted C and published.
    assert.equal(await node(0).call('serverCount'), 3);
    await node(2).kill('SIGKILL');
    const { err, elapsedMs } = await fetching;
    assert.ok(err instanceof NodeCommandError);
    assert.equal(err.code, 'ADAPTER_ERR_REQUEST_TIMEOUT');
    assert.ok(elapsedMs >= REQUESTS_TIMEOUT_MS, `ended after ${elapsedMs} ms`);
  });

  it('counts one server less once the killed node is gone, and the others keep serving', async () => {
    await waitForServerCount([node(0), node(1)], 2);
    const fetched = await node(1).call<{ data: { name: string } }[]>('fetchSockets');
    assert.deepEqual(fetched.map((s) => s.data.name).sort(), ['A', 'B']);
    const heard = Promise.all(clients.slice(0, 2).map((socket) => waitFor(socket, 'after-kill')));
    await node(1).call('emit', { event: 'after-kill' });
    await heard;
    assert.deepEqual([...node(0).unhandled, ...node(1).unhandled], []);
  });
});
