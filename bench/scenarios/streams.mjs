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
import { assertConnected, split, startLoads, startServer, stopAll, waitUntil } from '../lib/trial.mjs';

const NODES = 3;
const BURST = 50;
const ROOM_EVERY = 2;
const WINDOW_TIMEOUT_MS = 30_000;

/** @typedef {{ id: string, kind: 'json' | 'binary', perTurn: number, label: string, full: number, quick: number }} Case */
/** @type {Case[]} */
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
      const ports = [];
      for (let i = 0; i < NODES; i++) {
        const { server, port } = await startServer(impl, { streams: { url, key } });
        servers.push(server);
        ports.push(port);
      }
      for (const port of ports) loads.push(...(await startLoads(impl, port, 1, { client: 'counting' })));
      const parts = split(clients, NODES);
      assertConnected(
        await Promise.all(
          loads.map((load, i) =>
            load.request('connect', {
              n: parts[i],
              concurrency: 50,
              transports: 'websocket',
              waitUpgrade: false,
              timeoutMs: 20_000,
              roomEvery: ROOM_EVERY,
            }),
          ),
        ),
        clients,
      );
      const placed = async () =>
        (await Promise.all(servers.map((s) => s.request('count')))).every((n, i) => n === parts[i]);
      if (!(await waitUntil(placed, 10_000))) throw new Error('the nodes do not hold the clients the loads opened');
      const emitter = /** @type {import('../lib/ipc.mjs').Worker} */ (servers[0]);

      /**
       * One window: sends `count` broadcasts from the first node, waits for every delivery or the timeout.
       * @param {{ kind: 'json' | 'binary', perTurn: number }} c
       * @param {number} count
       * @param {number} [timeoutMs]
       */
      const measure = async (c, count, timeoutMs = WINDOW_TIMEOUT_MS) => {
        await Promise.all(
          loads.map((load) =>
            load.request('expect', { kind: c.kind, target: count, timeoutMs, scope: 'all', latency: false }),
          ),
        );
        const entriesBefore = await entriesAdded(redis, stream);
        await Promise.all(servers.map((s) => s.request('cpu-start')));
        const done = Promise.all(loads.map((load) => load.request('done', {}, timeoutMs + 30_000)));
        const sent = await emitter.request(
          'broadcast',
          { kind: c.kind, count, perTurn: c.perTurn, to: 'all', times: false },
          90_000,
        );
        const received = await done;
        const cpus = await Promise.all(servers.map((s) => s.request('cpu-stop')));
        return {
          delivered: received.reduce((sum, r) => sum + r.received, 0),
          missing: received.reduce((sum, r) => sum + r.lost + r.mismatched, 0),
          outOfOrder: received.reduce((sum, r) => sum + r.outOfOrder, 0),
          seconds: (Math.max(...received.map((r) => r.doneAt)) - sent.startedAt) / 1000,
          cpuMicros: cpus.reduce((sum, u) => sum + u.cpuMicros, 0),
          entries: (await entriesAdded(redis, stream)) - entriesBefore,
        };
      };

      // The readers start at the stream's end once connected: the cluster is ready once one broadcast reaches all.
      let ready = false;
      for (let attempt = 0; attempt < 10 && !ready; attempt++) {
        ready = (await measure({ kind: 'json', perTurn: 1 }, 1, 2_000)).missing === 0;
      }
      if (!ready) throw new Error('a broadcast from the first node did not reach every client in 10 attempts');

      /** @type {Record<string, number>} */
      const values = {};
      let lost = 0;
      let outOfOrder = 0;
      let broadcasts = 0;
      let entries = 0;
      for (const c of CASES) {
        await measure(c, quick ? 10 : 20);
        const count = quick ? c.quick : c.full;
        const result = await measure(c, count);
        if (result.missing > 0) log(`${impl} ${c.id}: ${result.missing} deliveries missing`);
        if (result.outOfOrder > 0) log(`${impl} ${c.id}: ${result.outOfOrder} deliveries out of order`);
        lost += result.missing;
        outOfOrder += result.outOfOrder;
        broadcasts += count;
        entries += result.entries;
        values[`streams.${c.id}.rate`] = result.delivered / result.seconds;
        values[`streams.${c.id}.cpu`] = result.cpuMicros / (result.delivered / 1000);
        log(
          `${impl} ${c.id}: ${Math.round(result.delivered / result.seconds)} deliveries/s in ${result.seconds.toFixed(2)} s, ${result.entries} stream entries`,
        );
      }
      values['streams.entries'] = entries / broadcasts;
      values['streams.lost'] = lost;
      values['streams.outOfOrder'] = outOfOrder;
      return values;
    } finally {
      await stopAll(loads, undefined);
      await Promise.allSettled(servers.map((s) => s.stop()));
      await redis.del(stream).catch(() => 0);
      await redis.quit().catch(() => {});
    }
  },
};
