// @ts-check
// Scenario 2, connect rate: clients opened with a bounded number of handshakes in flight, over WebSocket only and
// over the default polling-then-upgrade path (done when upgraded); connections per second, and the server's own CPU
// time per connection between markers around the measured batch. Besides raw ws accepting a WebSocket, ws-sio shows the
// floor of a Socket.IO connect: raw ws that also sends the open packet and answers CONNECT (one more frame each way).
import { assertConnected, startLoads, startServer, stopAll, waitUntil } from '../lib/trial.mjs';

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
    { id: 'connect.ws.rate', label: 'WebSocket connects per second', unit: 'conn/s', better: 'higher' },
    { id: 'connect.ws.cpu', label: 'server CPU per WebSocket connect', unit: 'µs', better: 'lower', target: { op: '<=', value: 0.65 } },
    { id: 'connect.upgrade.rate', label: 'polling+upgrade connects per second', unit: 'conn/s', better: 'higher' },
    { id: 'connect.upgrade.cpu', label: 'server CPU per polling+upgrade connect', unit: 'µs', better: 'lower' },
  ],
  async run(impl, { quick }) {
    const total = quick ? 300 : 1_000;
    const warmup = quick ? 50 : 100;
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
        // Warm-up: the first connections pay for lazy module loading and JIT compilation on both sides.
        assertConnected([await load.request('connect', { ...connectArgs, n: warmup }, 120_000)], warmup);
        await load.request('close');
        await waitUntil(async () => (await server.request('count')) === 0, 10_000);
        await server.request('cpu-start');
        const result = await load.request('connect', { ...connectArgs, n: total }, 300_000);
        // The server finishes its side of the last handshakes after the client saw them complete.
        await waitUntil(async () => (await server.request('count')) >= total, 10_000);
        const cpu = await server.request('cpu-stop');
        assertConnected([result], total);
        values[`connect.${mode}.rate`] = (total * 1000) / result.wallMs;
        values[`connect.${mode}.cpu`] = cpu.cpuMicros / total;
      } finally {
        await stopAll(loads, server);
      }
    }
    return values;
  },
};
