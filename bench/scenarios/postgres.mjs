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
import { measureWindow, runCases, startCrossNode } from '../lib/cross-node.mjs';
import { stopAll } from '../lib/trial.mjs';

const NODES = 3;
const BURST = 50;
const ROOM_EVERY = 2;
const WINDOW_TIMEOUT_MS = 30_000;

/** @type {import('../lib/cross-node.mjs').Case[]} */
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
      await startCrossNode(
        { impl, nodes: NODES, clients, roomEvery: ROOM_EVERY, serverOptions: { postgres: { url, key } } },
        servers,
        loads,
      );
      const cluster = {
        servers,
        loads,
        units: async () => (await Promise.all(servers.map((s) => s.request('published')))).reduce((a, b) => a + b, 0),
      };
      /** @type {Parameters<typeof runCases>[0]['measure']} */
      const measure = (c, count, timeoutMs = WINDOW_TIMEOUT_MS) => measureWindow(cluster, c, count, timeoutMs);
      return await runCases({
        prefix: 'postgres',
        unitsKey: 'statements',
        unitsLabel: 'NOTIFY statements',
        cases: CASES,
        quick,
        impl,
        log,
        measure,
      });
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
