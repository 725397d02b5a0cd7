// @ts-check
// Scenario 2, connect rate: clients opened with a bounded number of handshakes in flight, over WebSocket only and
// over the default polling-then-upgrade path (done when upgraded); connections per second, and the server's own CPU
// time per connection between markers around a measured batch. Besides raw ws accepting a WebSocket, ws-sio shows the
// floor of a Socket.IO connect: raw ws that also sends the open packet and answers CONNECT (one more frame each way).
//
// A connect runs code that a server executes once per connection, so V8 takes thousands of connects to compile it:
// in the first batch after start (cold), about a quarter of every server's CPU is spent on its compiler threads
// (perf, 2026-12-04). Over WebSocket a second batch is measured once the same server process has accepted
// `warmAfter` connections (warm): the per-connection cost of a server that has been running a while. The warm batch is
// then closed by its clients, measured too: a disconnect costs a server about as much as a connect.
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
    const warmAfter = quick ? 600 : 3_000;
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
        /** Closes the load side's connections and waits until the server has torn down every one of them. */
        const closeAll = async () => {
          await load.request('close');
          // Not only gone from the namespace: their TCP teardown must not run inside the next measured window.
          if (!(await waitUntil(async () => (await server.request('tcp')) === 0, 30_000))) {
            throw new Error(`the server still holds ${await server.request('tcp')} TCP connections`);
          }
        };
        /** Opens `n` connections unmeasured, then closes them. */
        const unmeasured = async (/** @type {number} */ n) => {
          assertConnected([await load.request('connect', { ...connectArgs, n }, 300_000)], n);
          await closeAll();
        };
        /** Opens `total` connections between the server's CPU markers. */
        const measured = async (/** @type {string} */ key) => {
          await server.request('cpu-start');
          const result = await load.request('connect', { ...connectArgs, n: total }, 300_000);
          // The server finishes its side of the last handshakes after the client saw them complete.
          await waitUntil(async () => (await server.request('count')) >= total, 10_000);
          const cpu = await server.request('cpu-stop');
          assertConnected([result], total);
          values[`connect.${key}.rate`] = (total * 1000) / result.wallMs;
          values[`connect.${key}.cpu`] = cpu.cpuMicros / total;
        };
        // The first connections pay for lazy module loading on both sides: never measured.
        await unmeasured(warmup);
        await measured(mode === 'ws' ? 'ws-cold' : mode);
        if (mode === 'ws') {
          await closeAll();
          await unmeasured(warmAfter - warmup - total);
          await measured('ws');
          // The other half of a connection's cost: the client closes, the server reads that and tears down.
          await server.request('cpu-start');
          await closeAll();
          values['connect.ws.disconnect'] = (await server.request('cpu-stop')).cpuMicros / total;
        }
      } finally {
        await stopAll(loads, server);
      }
    }
    return values;
  },
};
