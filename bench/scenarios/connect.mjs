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
import { median } from '../lib/stats.mjs';
import { connectBatches } from '../lib/connect-batches.mjs';
import { startLoads, startServer, stopAll } from '../lib/trial.mjs';

const MODES = /** @type {const} */ ([
  ['ws', 'websocket', false],
  ['upgrade', 'default', true],
]);

/** @type {import('./types.mjs').ScenarioDef} */
export const connect = {
  name: 'connect',
  title: 'connect rate',
  impls: ['ours', 'socketio', 'ws', 'ws-sio'],
  metrics: [
    { id: 'connect.ws.rate', label: 'WebSocket connects per second, warm', unit: 'conn/s', better: 'higher' },
    { id: 'connect.ws.cpu', label: 'server CPU per WebSocket connect, warm', unit: 'µs', better: 'lower', target: { op: '<=', value: 0.65 } },
    { id: 'connect.ws.disconnect', label: 'server CPU per WebSocket disconnect, warm', unit: 'µs', better: 'lower' },
    { id: 'connect.ws-cold.rate', label: 'WebSocket connects per second, cold', unit: 'conn/s', better: 'higher' },
    { id: 'connect.ws-cold.cpu', label: 'server CPU per WebSocket connect, cold', unit: 'µs', better: 'lower' },
    { id: 'connect.upgrade.rate', label: 'polling+upgrade connects per second, cold', unit: 'conn/s', better: 'higher' },
    { id: 'connect.upgrade.cpu', label: 'server CPU per polling+upgrade connect, cold', unit: 'µs', better: 'lower' },
  ],
  async run(impl, { quick }) {
    const total = quick ? 300 : 1_000;
    const warmup = quick ? 50 : 100;
    const warmAfter = quick ? 600 : 8_000;
    const warmBatches = quick ? 1 : 3;
    /** @type {Record<string, number>} */
    const values = {};
    for (const [mode, transports, waitUpgrade] of MODES) {
      // The ws floors have no polling transport.
      if ((impl === 'ws' || impl === 'ws-sio') && mode !== 'ws') continue;
      const { server, port } = await startServer(impl, {});
      /** @type {import('../lib/ipc.mjs').Worker[]} */
      let loads = [];
      try {
        loads = await startLoads(impl, port, 1);
        const [load] = /** @type {[import('../lib/ipc.mjs').Worker]} */ (loads);
        const connectArgs = { concurrency: 20, transports, waitUpgrade, timeoutMs: 20_000 };
        const { closeAll, unmeasured, measured } = connectBatches(server, load, connectArgs, total);
        // The first connections pay for lazy module loading on both sides: never measured.
        await unmeasured(warmup);
        const cold = await measured();
        const coldKey = mode === 'ws' ? 'ws-cold' : mode;
        values[`connect.${coldKey}.rate`] = cold.rate;
        values[`connect.${coldKey}.cpu`] = cold.cpu;
        if (mode === 'ws') {
          await closeAll();
          await unmeasured(warmAfter - warmup - total);
          /** @type {{ rate: number[], cpu: number[], disconnect: number[] }} */
          const warm = { rate: [], cpu: [], disconnect: [] };
          for (let i = 0; i < warmBatches; i++) {
            const { rate, cpu } = await measured();
            warm.rate.push(rate);
            warm.cpu.push(cpu);
            // The other half of a connection's cost: the client closes, the server reads that and tears down.
            await server.request('cpu-start');
            await closeAll();
            warm.disconnect.push((await server.request('cpu-stop')).cpuMicros / total);
          }
          values['connect.ws.rate'] = median(warm.rate);
          values['connect.ws.cpu'] = median(warm.cpu);
          values['connect.ws.disconnect'] = median(warm.disconnect);
        }
      } finally {
        await stopAll(loads, server);
      }
    }
    return values;
  },
};
