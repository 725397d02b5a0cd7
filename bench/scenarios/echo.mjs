// @ts-check
// Scenario 4, echo with ack: 100 WebSocket clients emit at a fixed aggregate rate (open loop) and the server
// acknowledges with the same data; round-trip p50/p99 from each message's scheduled send time, server CPU per
// message, and the highest rate sustained (every ack back, 95% of the offered rate, p99 under 50 ms). First with each
// implementation's own client library (the stack a user runs), then at 20k/s with a thin wire-level client that is the
// same for every Socket.IO server, so those rows measure the server alone; last, round trips with one message in
// flight (the server's own latency, without the generator's ticks and bursts).
import { assertConnected, startLoads, startServer, stopAll, waitUntil } from '../lib/trial.mjs';

const CLIENTS = 100;
const RATES = /** @type {const} */ ([5_000, 20_000]);
/** Offered rates tried, in order, after the fixed ones, while each is sustained. */
const SEARCH_RATES = [30_000, 40_000, 50_000, 60_000, 80_000, 100_000];
const SUSTAINED_P99_MS = 50;

/** @type {import('./types.mjs').Metric[]} */
const metrics = [];
for (const rate of RATES) {
  const k = `${rate / 1000}k`;
  metrics.push(
    { id: `echo.${k}.p50`, label: `echo-ack at ${k}/s, own client: round trip p50`, unit: 'ms', better: 'lower' },
    { id: `echo.${k}.p99`, label: `echo-ack at ${k}/s, own client: round trip p99`, unit: 'ms', better: 'lower' },
    {
      id: `echo.${k}.cpu`,
      label: `echo-ack at ${k}/s, own client: server CPU per message`,
      unit: 'µs',
      better: 'lower',
    },
  );
}
// The targets are about the server, so they are judged on the thin-client rows, where the load side is identical.
metrics.push(
  {
    id: 'echo.thin.p50',
    label: 'echo-ack at 20k/s, thin client (server only): round trip p50',
    unit: 'ms',
    better: 'lower',
  },
  {
    id: 'echo.thin.p99',
    label: 'echo-ack at 20k/s, thin client (server only): round trip p99',
    unit: 'ms',
    better: 'lower',
    target: { op: '<=', value: 0.6 },
  },
  {
    id: 'echo.thin.cpu',
    label: 'echo-ack at 20k/s, thin client (server only): server CPU per message',
    unit: 'µs',
    better: 'lower',
    target: { op: '<=', value: 0.85 },
  },
);
metrics.push({
  id: 'echo.thin.gc',
  label: 'echo-ack at 20k/s, thin client (server only): server GC pauses in the window',
  unit: 'ms',
  better: 'lower',
});
metrics.push(
  {
    id: 'echo.rtt.p50',
    label: 'echo-ack, one message in flight, thin client: round trip p50',
    unit: 'ms',
    better: 'lower',
  },
  {
    id: 'echo.rtt.p99',
    label: 'echo-ack, one message in flight, thin client: round trip p99',
    unit: 'ms',
    better: 'lower',
  },
);
metrics.push({
  id: 'echo.20k.loadLag',
  label: 'echo-ack at 20k/s, own client: load generator event-loop delay p99',
  unit: 'ms',
  better: 'lower',
});
metrics.push({
  id: 'echo.maxRate',
  label: 'echo-ack, own client: highest sustained rate',
  unit: 'acks/s',
  better: 'higher',
});
metrics.push({ id: 'echo.outOfOrder', label: 'acks out of order, all echo runs', unit: 'acks', better: 'lower' });

/**
 * @param {{ lost: number, achievedRate: number, offered: number, p99Ms: number }} result
 */
function isSustained(result) {
  return result.lost === 0 && result.achievedRate >= 0.95 * result.offered && result.p99Ms <= SUSTAINED_P99_MS;
}

/** @type {import('./types.mjs').ScenarioDef} */
export const echo = {
  name: 'echo',
  title: 'echo with ack',
  impls: ['ours', 'socketio', 'ws'],
  metrics,
  async run(impl, { quick, log }) {
    const durationMs = quick ? 2_000 : 4_000;
    const { server, port } = await startServer(impl, { echo: true });
    /** @type {import('../lib/ipc.mjs').Worker[]} */
    let loads = [];
    try {
      /** @param {'lib' | 'thin'} client */
      const openClients = async (client) => {
        await stopAll(loads, undefined);
        await waitUntil(async () => (await server.request('count')) === 0, 10_000);
        loads = await startLoads(impl, port, 1, { client });
        const [load] = /** @type {[import('../lib/ipc.mjs').Worker]} */ (loads);
        const connectArgs = {
          n: CLIENTS,
          concurrency: 20,
          transports: 'websocket',
          waitUpgrade: false,
          timeoutMs: 20_000,
        };
        assertConnected([await load.request('connect', connectArgs)], CLIENTS);
        await waitUntil(async () => (await server.request('count')) === CLIENTS, 10_000);
        // Warm-up at a gentle rate (JIT on both sides, socket buffers grown), then a second at the highest fixed rate:
        // a load process fresh from the gentle one shows a transient for a few hundred ms after the rate steps up, and
        // the thin client is a fresh process while raw ws keeps its warmed one (bench/README, 2026-12-05 01:35).
        await load.request('echo', { rate: 2_000, durationMs: 1_000, drainMs: 5_000 });
        await load.request('echo', { rate: RATES[RATES.length - 1] ?? 20_000, durationMs: 1_000, drainMs: 5_000 });
        return load;
      };
      // Per client, acks must return in the order the messages were sent, in every run of every step.
      let outOfOrder = 0;
      /** @param {import('../lib/ipc.mjs').Worker} load @param {number} rate @param {number} ms */
      const step = async (load, rate, ms) => {
        await server.request('cpu-start');
        const result = await load.request('echo', { rate, durationMs: ms, drainMs: 10_000 }, ms + 30_000);
        const cpu = await server.request('cpu-stop');
        const k = `${rate / 1000}k`;
        if (result.lost > 0) log(`${impl} echo at ${k}/s: ${result.lost} acks missing`);
        if (result.outOfOrder > 0) log(`${impl} echo at ${k}/s: ${result.outOfOrder} acks out of order`);
        outOfOrder += result.outOfOrder;
        if (result.loadLagP99Ms > 20) {
          log(
            `${impl} echo at ${k}/s: the load generator lagged (event-loop delay p99 ${result.loadLagP99Ms.toFixed(0)} ms)`,
          );
        }
        return { ...result, cpuPerMessage: cpu.cpuMicros / Math.max(1, result.acked), gcPauseMs: cpu.gcPauseMs };
      };

      /** @type {Record<string, number>} */
      const values = {};
      let load = await openClients('lib');
      let maxRate = 0;
      for (const rate of RATES) {
        const result = await step(load, rate, durationMs);
        const k = `${rate / 1000}k`;
        values[`echo.${k}.p50`] = result.p50Ms;
        values[`echo.${k}.p99`] = result.p99Ms;
        values[`echo.${k}.cpu`] = result.cpuPerMessage;
        if (rate === 20_000) {
          values['echo.20k.loadLag'] = result.loadLagP99Ms;
          values['echo.thin.gc'] = result.gcPauseMs;
        }
        if (isSustained(result)) maxRate = rate;
      }
      if (maxRate === RATES[RATES.length - 1]) {
        for (const rate of SEARCH_RATES) {
          if (!isSustained(await step(load, rate, quick ? 1_000 : 1_500))) break;
          maxRate = rate;
        }
      }
      values['echo.maxRate'] = maxRate;

      // The ws floor's own client already is the thinnest possible; Socket.IO servers get the thin client.
      if (impl !== 'ws') load = await openClients('thin');
      const thin = impl === 'ws' ? undefined : await step(load, 20_000, durationMs);
      values['echo.thin.p50'] = thin?.p50Ms ?? values['echo.20k.p50'] ?? NaN;
      values['echo.thin.p99'] = thin?.p99Ms ?? values['echo.20k.p99'] ?? NaN;
      values['echo.thin.cpu'] = thin?.cpuPerMessage ?? values['echo.20k.cpu'] ?? NaN;
      values['echo.thin.gc'] = thin?.gcPauseMs ?? values['echo.thin.gc'] ?? NaN;
      // The server's latency alone: one message in flight, nothing queued behind it, no generator tick to wait for.
      const single = await load.request(
        'echo-rtt',
        { count: quick ? 1_000 : 3_000, warmup: 500, timeoutMs: 20_000 },
        40_000,
      );
      values['echo.rtt.p50'] = single.p50Ms;
      values['echo.rtt.p99'] = single.p99Ms;
      values['echo.outOfOrder'] = outOfOrder;
      return values;
    } finally {
      await stopAll(loads, server);
    }
  },
};
