// @ts-check
// Scenario 10, cross-node broadcast over Redis Streams: three server processes on one Redis, 1,000 thin counting
// clients spread over them, broadcasts emitted on the first node and delivered by the other two after an XADD and an
// XREAD. Ours on @switchboard/redis-streams-adapter, socket.io 4.8 on @socket.io/redis-streams-adapter 0.3, and ours
// on that official adapter (the compatibility path). Deliveries per second and CPU of the three servers per 1,000
// deliveries, JSON and 1 KiB binary (base64 msgpack entries), bursty and one per turn; stream entries per broadcast
// (XINFO STREAM entries-added, exact whatever the trimming); lost and out-of-order deliveries. Every window is bounded
// (timeoutMs); a lost delivery is counted, not waited for.
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { measureWindow, runCases, startCrossNode } from '../lib/cross-node.mjs';
import { stopAll } from '../lib/trial.mjs';

const NODES = 3;
const BURST = 50;
const ROOM_EVERY = 2;
const WINDOW_TIMEOUT_MS = 30_000;

/** @type {import('../lib/cross-node.mjs').Case[]} */
const CASES = [
  { id: 'json.burst', kind: 'json', perTurn: BURST, label: 'streams, bursty JSON to all', full: 200, quick: 50 },
  { id: 'json.turn', kind: 'json', perTurn: 1, label: 'streams, one-per-turn JSON to all', full: 100, quick: 25 },
  {
    id: 'binary.burst',
    kind: 'binary',
    perTurn: BURST,
    label: 'streams, bursty 1 KiB binary to all',
    full: 100,
    quick: 25,
  },
];

/** @type {import('./types.mjs').Metric[]} */
const metrics = [];
for (const c of CASES) {
  metrics.push(
    { id: `streams.${c.id}.rate`, label: `${c.label}: deliveries per second`, unit: 'deliveries/s', better: 'higher' },
    {
      id: `streams.${c.id}.cpu`,
      label: `${c.label}: CPU of the 3 servers per 1,000 deliveries`,
      unit: 'µs',
      better: 'lower',
    },
  );
}
metrics.push(
  {
    id: 'streams.entries',
    label: 'streams: stream entries per broadcast, all cases',
    unit: 'entries',
    better: 'lower',
  },
  { id: 'streams.lost', label: 'streams: deliveries lost, all cases', unit: 'deliveries', better: 'lower' },
  {
    id: 'streams.outOfOrder',
    label: 'streams: deliveries out of order, all cases',
    unit: 'deliveries',
    better: 'lower',
  },
);

/**
 * Entries ever added to `stream` (Redis >= 7.0), unlike XLEN unaffected by MAXLEN trimming; 0 before the first.
 * @param {ReturnType<typeof createClient>} redis
 * @param {string} stream
 */
async function entriesAdded(redis, stream) {
  if ((await redis.exists(stream)) === 0) return 0;
  const info = /** @type {unknown[]} */ (await redis.sendCommand(['XINFO', 'STREAM', stream]));
  const at = info.indexOf('entries-added');
  return at === -1 ? Number.NaN : Number(info[at + 1]);
}

/** @type {import('./types.mjs').ScenarioDef} */
export const streams = {
  name: 'streams',
  title: 'cross-node broadcast over Redis Streams',
  impls: ['ours', 'socketio', 'ours-compat'],
  metrics,
  async run(impl, { quick, log }) {
    const clients = quick ? 300 : 1_000;
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    // A fresh stream and channel prefix per trial: runs and other users of the shared Redis never cross.
    const key = `bench_streams_${randomBytes(4).toString('hex')}`;
    const stream = `${key}-stream`;
    const redis = createClient({ url });
    redis.on('error', (error) => log(`redis client: ${String(error)}`));
    await redis.connect();
    /** @type {import('../lib/ipc.mjs').Worker[]} */
    const servers = [];
    /** @type {import('../lib/ipc.mjs').Worker[]} */
    const loads = [];
    try {
      await startCrossNode(
        { impl, nodes: NODES, clients, roomEvery: ROOM_EVERY, serverOptions: { streams: { url, key } } },
        servers,
        loads,
      );
      const cluster = { servers, loads, units: () => entriesAdded(redis, stream) };
      /** @type {Parameters<typeof runCases>[0]['measure']} */
      const measure = (c, count, timeoutMs = WINDOW_TIMEOUT_MS) => measureWindow(cluster, c, count, timeoutMs);
      return await runCases({
        prefix: 'streams',
        unitsKey: 'entries',
        unitsLabel: 'stream entries',
        cases: CASES,
        quick,
        impl,
        log,
        measure,
      });
    } finally {
      await stopAll(loads, undefined);
      await Promise.allSettled(servers.map((s) => s.stop()));
      await redis.del(stream).catch(() => 0);
      await redis.quit().catch(() => {});
    }
  },
};
