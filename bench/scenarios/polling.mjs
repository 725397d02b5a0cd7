// @ts-check
// Scenario 5, polling only: 50 clients on the HTTP long-polling transport, each emitting its next echo when the
// previous ack arrives; echoes per second and server CPU per echo.
import { assertConnected, startLoads, startServer, stopAll, waitUntil } from '../lib/trial.mjs';

const CLIENTS = 50;

/** @type {import('./types.mjs').ScenarioDef} */
export const polling = {
  name: 'polling',
  title: 'polling only',
  impls: ['ours', 'socketio'],
  metrics: [
    { id: 'polling.rate', label: 'polling echoes per second', unit: 'echoes/s', better: 'higher' },
    {
      id: 'polling.cpu',
      label: 'server CPU per polling echo',
      unit: 'µs',
      better: 'lower',
      target: { op: '<=', value: 0.7 },
    },
  ],
  async run(impl, { quick }) {
    const durationMs = quick ? 2_000 : 6_000;
    const { server, port } = await startServer(impl, { echo: true });
    /** @type {import('../lib/ipc.mjs').Worker[]} */
    let loads = [];
    try {
      loads = await startLoads(impl, port, 1);
      const [load] = /** @type {[import('../lib/ipc.mjs').Worker]} */ (loads);
      const connectArgs = { n: CLIENTS, concurrency: 10, transports: 'polling', waitUpgrade: false, timeoutMs: 20_000 };
      assertConnected([await load.request('connect', connectArgs)], CLIENTS);
      await waitUntil(async () => (await server.request('count')) === CLIENTS, 10_000);
      await load.request('echo-loop', { durationMs: 1_000 });
      await server.request('cpu-start');
      const result = await load.request('echo-loop', { durationMs }, durationMs + 30_000);
      const cpu = await server.request('cpu-stop');
      return { 'polling.rate': result.rate, 'polling.cpu': cpu.cpuMicros / Math.max(1, result.echoes) };
    } finally {
      await stopAll(loads, server);
    }
  },
};
