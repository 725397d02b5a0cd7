// @ts-check
// Scenario 2, connect rate: clients opened with a bounded number of handshakes in flight, over WebSocket only and
// over the default polling-then-upgrade path (done when upgraded); connections per second, and the server's own CPU
// time per connection between markers around a measured batch. Besides raw ws accepting a WebSocket, ws-sio shows the
// floor of a Socket.IO connect: raw ws that also sends the open packet and answers CONNECT (one more frame each way).
//
// A connect runs code that a server executes once per connection, so V8 takes thousands of connects to compile it:
// in the first batch after start (cold), about a quarter of every server's CPU is spent on its compiler threads
// (perf, 2026-12-04), and the cost per connect keeps falling batch after batch until about the sixth batch of 1,000
// (see bench/README.md, "connect"). Over WebSocket the same server process then goes on to `warmAfter` connections in
// unmeasured batches, and `warmBatches` more batches are measured, each followed by its measured disconnect: the warm
// rows are the medians of those, the per-connection cost of a server that has been running a while. A disconnect
// costs a server about as much as a connect.
//
// A measured batch takes well under a second, and this machine has slow stretches of several seconds that slow every
// process alike. So the WebSocket servers of all implementations run side by side (each with its own load process,
// idle while another is measured), and their batches alternate: warming, then each measured batch of one
// implementation next to the same batch of the others, the order rotating from batch to batch. A slow stretch then
// falls on all implementations instead of on one implementation's round. Polling+upgrade is measured cold, in a
// process per implementation as before.
import { median } from '../lib/stats.mjs';
import { connectBatches } from '../lib/connect-batches.mjs';
import { startLoads, startServer, stopAll } from '../lib/trial.mjs';

/**
 * @typedef {import('../lib/args.mjs').Impl} Impl
 * @typedef {{ concurrency: number, transports: string, waitUpgrade: boolean, timeoutMs: number }} ConnectArgs
 * @typedef {{ impl: Impl, server: import('../lib/ipc.mjs').Worker, loads: import('../lib/ipc.mjs').Worker[] }} Trial
 */

/** @param {string} transports @param {boolean} waitUpgrade @returns {ConnectArgs} */
const connectArgs = (transports, waitUpgrade) => ({ concurrency: 20, transports, waitUpgrade, timeoutMs: 20_000 });

/**
 * Starts a server and one load process for each of `impls`, runs `body` with them, and stops them all.
 * @template T
 * @param {Impl[]} impls
 * @param {(trials: Trial[]) => Promise<T>} body
 * @returns {Promise<T>}
 */
async function withTrials(impls, body) {
  /** @type {Trial[]} */
  const trials = [];
  try {
    for (const impl of impls) {
      const { server, port } = await startServer(impl, {});
      /** @type {Trial} */
      const trial = { impl, server, loads: [] };
      trials.push(trial);
      trial.loads = await startLoads(impl, port, 1);
    }
    return await body(trials);
  } finally {
    for (const { loads, server } of trials) await stopAll(loads, server);
  }
}

/**
 * One round of every implementation.
 * @param {Impl[]} impls
 * @param {import('./types.mjs').RunContext} context
 * @returns {Promise<Partial<Record<Impl, Record<string, number>>>>}
 */
async function runRound(impls, { quick, log }) {
  const total = quick ? 300 : 1_000;
  const warmup = quick ? 50 : 100;
  const warmAfter = quick ? 600 : 8_000;
  const warmBatches = quick ? 1 : 3;
  /** @type {Partial<Record<Impl, Record<string, number>>>} */
  const values = Object.fromEntries(impls.map((impl) => [impl, {}]));
  /** @param {Impl} impl @param {string} id @param {number} value */
  const set = (impl, id, value) => {
    const own = values[impl];
    if (own !== undefined) own[id] = value;
  };

  // The ws floors have no polling transport.
  for (const impl of impls.filter((name) => name !== 'ws' && name !== 'ws-sio')) {
    await withTrials([impl], async ([trial]) => {
      if (trial === undefined || trial.loads[0] === undefined) throw new Error(`no ${impl} trial`);
      const { unmeasured, measured } = connectBatches(
        trial.server,
        trial.loads[0],
        connectArgs('default', true),
        total,
      );
      // The first connections pay for lazy module loading on both sides: never measured.
      await unmeasured(warmup);
      const cold = await measured();
      set(impl, 'connect.upgrade.rate', cold.rate);
      set(impl, 'connect.upgrade.cpu', cold.cpu);
    });
  }

  await withTrials(impls, async (trials) => {
    const batches = trials.map((trial) => {
      if (trial.loads[0] === undefined) throw new Error(`no ${trial.impl} load`);
      return {
        impl: trial.impl,
        server: trial.server,
        ...connectBatches(trial.server, trial.loads[0], connectArgs('websocket', false), total),
      };
    });
    /** The implementations in the order of the `i`th batch: rotated, so that none always follows the same other. */
    const rotation = (/** @type {number} */ i) =>
      batches.map((_, k) => /** @type {(typeof batches)[number]} */ (batches[(k + i) % batches.length]));
    for (const { impl, unmeasured, measured, closeAll } of batches) {
      await unmeasured(warmup);
      const cold = await measured();
      set(impl, 'connect.ws-cold.rate', cold.rate);
      set(impl, 'connect.ws-cold.cpu', cold.cpu);
      await closeAll();
    }
    for (let done = warmup + total, i = 0; done < warmAfter; done += total, i++) {
      for (const { unmeasured } of rotation(i)) await unmeasured(Math.min(total, warmAfter - done));
    }
    /** @type {Map<Impl, { rate: number[], cpu: number[], disconnect: number[] }>} */
    const warm = new Map(batches.map(({ impl }) => [impl, { rate: [], cpu: [], disconnect: [] }]));
    for (let i = 0; i < warmBatches; i++) {
      /** @type {string[]} */
      const line = [];
      for (const { impl, server, measured, closeAll } of rotation(i)) {
        const own = warm.get(impl);
        if (own === undefined) continue;
        const { rate, cpu } = await measured();
        own.rate.push(rate);
        own.cpu.push(cpu);
        // The other half of a connection's cost: the client closes, the server reads that and tears down.
        await server.request('cpu-start');
        await closeAll();
        const disconnect = (await server.request('cpu-stop')).cpuMicros / total;
        own.disconnect.push(disconnect);
        line.push(`${impl} ${cpu.toFixed(0)}/${disconnect.toFixed(0)}`);
      }
      log(`connect, warm batch ${i + 1}: µs per connect/disconnect ${line.join(', ')}`);
    }
    for (const [impl, { rate, cpu, disconnect }] of warm) {
      set(impl, 'connect.ws.rate', median(rate));
      set(impl, 'connect.ws.cpu', median(cpu));
      set(impl, 'connect.ws.disconnect', median(disconnect));
    }
  });
  return values;
}

/** @type {import('./types.mjs').ScenarioDef} */
export const connect = {
  name: 'connect',
  title: 'connect rate',
  impls: ['ours', 'socketio', 'ws', 'ws-sio'],
  metrics: [
    { id: 'connect.ws.rate', label: 'WebSocket connects per second, warm', unit: 'conn/s', better: 'higher' },
    {
      id: 'connect.ws.cpu',
      label: 'server CPU per WebSocket connect, warm',
      unit: 'µs',
      better: 'lower',
      target: { op: '<=', value: 0.65 },
    },
    { id: 'connect.ws.disconnect', label: 'server CPU per WebSocket disconnect, warm', unit: 'µs', better: 'lower' },
    { id: 'connect.ws-cold.rate', label: 'WebSocket connects per second, cold', unit: 'conn/s', better: 'higher' },
    { id: 'connect.ws-cold.cpu', label: 'server CPU per WebSocket connect, cold', unit: 'µs', better: 'lower' },
    {
      id: 'connect.upgrade.rate',
      label: 'polling+upgrade connects per second, cold',
      unit: 'conn/s',
      better: 'higher',
    },
    { id: 'connect.upgrade.cpu', label: 'server CPU per polling+upgrade connect, cold', unit: 'µs', better: 'lower' },
  ],
  runRound,
  async run(impl, context) {
    return (await runRound([impl], context))[impl] ?? {};
  },
};
