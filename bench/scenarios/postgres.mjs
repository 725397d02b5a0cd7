// @ts-check
// Scenario 9, cross-node broadcast over PostgreSQL: three server processes on one PostgreSQL (LISTEN/NOTIFY), 1,000
// thin counting clients spread over them, broadcasts emitted on the first node and delivered by the other two. Ours
// on @switchboard/postgres-adapter, socket.io 4.8 on @socket.io/postgres-adapter 0.5, and ours on that official
// adapter (the compatibility path). Deliveries per second and CPU of the three servers per 1,000 deliveries, JSON
// (NOTIFY payloads) and 1 KiB binary (through the attachments table), bursty and one per turn; NOTIFY statements per
// broadcast; lost and out-of-order deliveries. Every window is bounded (timeoutMs); a lost delivery is counted, not
// waited for.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { assertConnected, split, startLoads, startServer, stopAll, waitUntil } from '../lib/trial.mjs';

const NODES = 3;
const BURST = 50;
const ROOM_EVERY = 2;
const WINDOW_TIMEOUT_MS = 30_000;

/** @typedef {{ id: string, kind: 'json' | 'binary', perTurn: number, label: string, full: number, quick: number }} Case */
/** @type {Case[]} */
const CASES = [
  { id: 'json.burst', kind: 'json', perTurn: BURST, label: 'postgres, bursty JSON to all', full: 200, quick: 50 },
  { id: 'json.turn', kind: 'json', perTurn: 1, label: 'postgres, one-per-turn JSON to all', full: 100, quick: 25 },
  {
    id: 'binary.burst',
    kind: 'binary',
    perTurn: BURST,
    label: 'postgres, bursty 1 KiB binary to all',
    full: 100,
    quick: 25,
  },
];

/** @type {import('./types.mjs').Metric[]} */
const metrics = [];
for (const c of CASES) {
  metrics.push(
    {
      id: `postgres.${c.id}.rate`,
      label: `${c.label}: deliveries per second`,
      unit: 'deliveries/s',
      better: 'higher',
      target: { op: '>=', value: 2 },
    },
    {
      id: `postgres.${c.id}.cpu`,
      label: `${c.label}: CPU of the 3 servers per 1,000 deliveries`,
      unit: 'µs',
      better: 'lower',
    },
  );
}
metrics.push(
  {
    id: 'postgres.statements',
    label: 'postgres: NOTIFY statements per broadcast, all cases',
    unit: 'statements',
    better: 'lower',
  },
  { id: 'postgres.lost', label: 'postgres: deliveries lost, all cases', unit: 'deliveries', better: 'lower' },
  {
    id: 'postgres.outOfOrder',
    label: 'postgres: deliveries out of order, all cases',
    unit: 'deliveries',
    better: 'lower',
  },
);

/** @type {import('./types.mjs').ScenarioDef} */
export const postgres = {
  name: 'postgres',
  title: 'cross-node broadcast over PostgreSQL',
  impls: ['ours', 'socketio', 'ours-compat'],
  metrics,
  async run(impl, { quick, log }) {
    const clients = quick ? 300 : 1_000;
    const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    // A fresh channel prefix and table per trial: runs and other users of the shared PostgreSQL never cross.
    const key = `bench_pg_${randomBytes(4).toString('hex')}`;
    /** @type {import('../lib/ipc.mjs').Worker[]} */
    const servers = [];
    /** @type {import('../lib/ipc.mjs').Worker[]} */
    const loads = [];
    try {
      const ports = [];
      for (let i = 0; i < NODES; i++) {
        const { server, port } = await startServer(impl, { postgres: { url, key } });
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
      const published = async () =>
        (await Promise.all(servers.map((s) => s.request('published')))).reduce((a, b) => a + b, 0);

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
        const publishedBefore = await published();
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
          statements: (await published()) - publishedBefore,
        };
      };

      // The adapters LISTEN asynchronously: the cluster is ready once one broadcast reaches every client.
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
      let statements = 0;
      for (const c of CASES) {
        await measure(c, quick ? 10 : 20);
        const count = quick ? c.quick : c.full;
        const result = await measure(c, count);
        if (result.missing > 0) log(`${impl} ${c.id}: ${result.missing} deliveries missing`);
        if (result.outOfOrder > 0) log(`${impl} ${c.id}: ${result.outOfOrder} deliveries out of order`);
        lost += result.missing;
        outOfOrder += result.outOfOrder;
        broadcasts += count;
        statements += result.statements;
        values[`postgres.${c.id}.rate`] = result.delivered / result.seconds;
        values[`postgres.${c.id}.cpu`] = result.cpuMicros / (result.delivered / 1000);
        log(
          `${impl} ${c.id}: ${Math.round(result.delivered / result.seconds)} deliveries/s in ${result.seconds.toFixed(2)} s, ${result.statements} NOTIFY statements`,
        );
      }
      values['postgres.statements'] = statements / broadcasts;
      values['postgres.lost'] = lost;
      values['postgres.outOfOrder'] = outOfOrder;
      return values;
    } finally {
      await stopAll(loads, undefined);
      await Promise.allSettled(servers.map((s) => s.stop()));
      const client = new pg.Client({ connectionString: url });
      await client
        .connect()
        .then(() => client.query(`DROP TABLE IF EXISTS ${key}`))
        .catch(() => {});
      await client.end().catch(() => {});
    }
  },
};
