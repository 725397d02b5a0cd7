// @ts-check
// Scenario 3, broadcast fan-out: clients in one room receive ~100-byte JSON and 1 KiB binary broadcasts, sent
// bursty (many per event-loop turn) and one per turn. Thin counting clients, identical for every server, count every
// delivery; deliveries per second run from the first send to the last delivery, and the server's CPU is measured
// from the first send until every client has everything.
import { split, startLoads, startServer, stopAll, waitUntil } from '../lib/trial.mjs';

/** The bursty cases send this many broadcasts back to back before yielding the event loop. */
const BURST = 50;

const CASES = /** @type {const} */ ([
  { id: 'json.burst', kind: 'json', perTurn: BURST, label: 'bursty JSON', full: 400, quick: 100 },
  { id: 'json.turn', kind: 'json', perTurn: 1, label: 'one-per-turn JSON', full: 200, quick: 50 },
  { id: 'binary.burst', kind: 'binary', perTurn: BURST, label: 'bursty 1 KiB binary', full: 150, quick: 50 },
  { id: 'binary.turn', kind: 'binary', perTurn: 1, label: 'one-per-turn 1 KiB binary', full: 150, quick: 50 },
]);

/** @type {Record<string, import('../lib/stats.mjs').Target>} */
const TARGETS = {
  'broadcast.json.burst.cpu': { op: '<=', value: 0.5 },
  'broadcast.json.burst.rate': { op: '>=', value: 1.5 },
  'broadcast.binary.burst.cpu': { op: '<=', value: 0.5 },
  'broadcast.binary.turn.cpu': { op: '<=', value: 0.5 },
  'broadcast.json.turn.rate': { op: '>=', value: 1.0 },
};

/** @type {import('./types.mjs').Metric[]} */
const metrics = [];
for (const c of CASES) {
  for (const [suffix, label, unit, better] of /** @type {const} */ ([
    ['rate', `${c.label}: deliveries per second`, 'deliveries/s', 'higher'],
    ['cpu', `${c.label}: server CPU per 1,000 deliveries`, 'µs', 'lower'],
  ])) {
    const id = `broadcast.${c.id}.${suffix}`;
    const target = TARGETS[id];
    metrics.push(target === undefined ? { id, label, unit, better } : { id, label, unit, better, target });
  }
}
metrics.push({
  id: 'broadcast.lost',
  label: 'deliveries lost, all broadcast cases',
  unit: 'deliveries',
  better: 'lower',
});
metrics.push({
  id: 'broadcast.outOfOrder',
  label: 'deliveries out of order, all broadcast cases',
  unit: 'deliveries',
  better: 'lower',
});

/** @type {import('./types.mjs').ScenarioDef} */
export const broadcast = {
  name: 'broadcast',
  title: 'broadcast fan-out',
  impls: ['ours', 'socketio', 'ws', 'ws-cork'],
  metrics,
  async run(impl, { quick, log }) {
    const clients = quick ? 500 : 1_000;
    const { server, port } = await startServer(impl, { room: true });
    /** @type {import('../lib/ipc.mjs').Worker[]} */
    let loads = [];
    try {
      loads = await startLoads(impl, port, 2, { client: 'counting' });
      const parts = split(clients, loads.length);
      await Promise.all(
        loads.map((load, i) =>
          load.request('connect', {
            n: parts[i],
            concurrency: 50,
            transports: 'websocket',
            waitUpgrade: false,
            timeoutMs: 20_000,
          }),
        ),
      );
      if (!(await waitUntil(async () => (await server.request('count')) === clients, 10_000))) {
        throw new Error(`the room holds ${await server.request('count')} of ${clients} clients`);
      }
      /** @type {Record<string, number>} */
      const values = {};
      let lost = 0;
      let outOfOrder = 0;
      /**
       * @param {typeof CASES[number]} c
       * @param {number} count
       */
      const measure = async (c, count) => {
        await Promise.all(
          loads.map((load) => load.request('expect', { kind: c.kind, target: count, timeoutMs: 60_000 })),
        );
        await server.request('cpu-start');
        const done = Promise.all(loads.map((load) => load.request('done', {}, 90_000)));
        const sent = await server.request('broadcast', { kind: c.kind, count, perTurn: c.perTurn }, 90_000);
        const received = await done;
        const cpu = await server.request('cpu-stop');
        const delivered = received.reduce((sum, r) => sum + r.received, 0);
        const missing = received.reduce((sum, r) => sum + r.lost + r.mismatched, 0);
        const outOfOrder = received.reduce((sum, r) => sum + r.outOfOrder, 0);
        const lastAt = Math.max(...received.map((r) => r.doneAt));
        return { delivered, missing, outOfOrder, seconds: (lastAt - sent.startedAt) / 1000, cpuMicros: cpu.cpuMicros };
      };
      for (const c of CASES) {
        // Warm-up round of the same shape, so JIT and socket buffers are in steady state when measured.
        await measure(c, quick ? 10 : 50);
        const result = await measure(c, quick ? c.quick : c.full);
        if (result.missing > 0) log(`${impl} ${c.label}: ${result.missing} deliveries missing`);
        if (result.outOfOrder > 0) log(`${impl} ${c.label}: ${result.outOfOrder} deliveries out of order`);
        lost += result.missing;
        outOfOrder += result.outOfOrder;
        values[`broadcast.${c.id}.rate`] = result.delivered / result.seconds;
        values[`broadcast.${c.id}.cpu`] = result.cpuMicros / (result.delivered / 1000);
      }
      values['broadcast.lost'] = lost;
      values['broadcast.outOfOrder'] = outOfOrder;
      return values;
    } finally {
      await stopAll(loads, server);
    }
  },
};
