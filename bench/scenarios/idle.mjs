// @ts-check
// Scenario 1, idle memory: N WebSocket clients held open; server heap and RSS per connection after GC, and the
// client library's heap per connection, each against a baseline taken before any client connected.
import { assertConnected, split, startLoads, startServer, stopAll, waitUntil } from '../lib/trial.mjs';

const KB = 1024;

/** @type {import('./types.mjs').ScenarioDef} */
export const idle = {
  name: 'idle',
  title: 'idle memory',
  impls: ['ours', 'socketio', 'ws'],
  // 10,000 connections take about a minute per trial here (loopback connects run at ~150-250/s on this box), and heap
  // per connection moves by a few percent between runs: one round keeps the full suite near 15 minutes.
  maxRounds: 1,
  metrics: [
    {
      id: 'idle.serverHeap',
      label: 'server heap per idle connection',
      unit: 'KB',
      better: 'lower',
      target: { op: '<=', value: 0.5 },
    },
    { id: 'idle.serverRss', label: 'server RSS per idle connection', unit: 'KB', better: 'lower' },
    { id: 'idle.clientHeap', label: 'client heap per connection', unit: 'KB', better: 'lower' },
  ],
  async run(impl, { quick, log }) {
    const total = quick ? 1_000 : 10_000;
    const { server, port } = await startServer(impl, {});
    /** @type {import('../lib/ipc.mjs').Worker[]} */
    let loads = [];
    try {
      loads = await startLoads(impl, port, 2);
      const serverBefore = await server.request('memory');
      const baseSnapshot = await server.request('heap-snapshot', {}, 120_000);
      if (baseSnapshot !== null) log(`${impl}: baseline heap snapshot ${baseSnapshot}`);
      const clientsBefore = await Promise.all(loads.map((load) => load.request('memory')));
      const parts = split(total, loads.length);
      const connected = await Promise.all(
        loads.map((load, i) =>
          load.request(
            'connect',
            { n: parts[i], concurrency: 250, transports: 'websocket', waitUpgrade: false, timeoutMs: 30_000 },
            180_000,
          ),
        ),
      );
      assertConnected(connected, total);
      // The server may count a connection a moment after the client saw its handshake answer.
      if (!(await waitUntil(async () => (await server.request('count')) === total, 10_000))) {
        throw new Error(`server counts ${await server.request('count')} connections, expected ${total}`);
      }
      const serverAfter = await server.request('memory');
      const snapshot = await server.request('heap-snapshot', {}, 120_000);
      if (snapshot !== null) log(`${impl}: heap snapshot ${snapshot}`);
      const clientsAfter = await Promise.all(loads.map((load) => load.request('memory')));
      const clientHeap = clientsAfter.reduce((sum, after, i) => sum + after.heapUsed - clientsBefore[i].heapUsed, 0);
      return {
        'idle.serverHeap': (serverAfter.heapUsed - serverBefore.heapUsed) / total / KB,
        'idle.serverRss': (serverAfter.rss - serverBefore.rss) / total / KB,
        'idle.clientHeap': clientHeap / total / KB,
      };
    } finally {
      await stopAll(loads, server);
    }
  },
};
