// @ts-check
// Server process of a trial: starts one implementation, then answers the runner's commands over IPC
// (connection count, memory after GC, CPU between markers, broadcast bursts).
import { parseArgs } from 'node:util';
import { measureMemory, serve, startCpuClock } from './lib/ipc.mjs';

const { values } = parseArgs({
  options: {
    impl: { type: 'string' },
    room: { type: 'boolean', default: false },
    echo: { type: 'boolean', default: false },
    'snapshot-dir': { type: 'string' },
  },
});
const behaviour = { room: values.room ?? false, echo: values.echo ?? false };

/** @returns {Promise<import('./servers/sio.mjs').BenchServer>} */
async function start() {
  switch (values.impl) {
    case 'ours': {
      const { startSioServer } = await import('./servers/sio.mjs');
      return startSioServer((await import('@switchboard/server')).Server, behaviour);
    }
    case 'socketio': {
      const { startSioServer } = await import('./servers/sio.mjs');
      return startSioServer((await import('socket.io')).Server, behaviour);
    }
    case 'ws':
    case 'ws-cork': {
      const { startWsServer } = await import('./servers/ws.mjs');
      return startWsServer(behaviour, { cork: values.impl === 'ws-cork' });
    }
    default:
      throw new Error(`unknown --impl "${values.impl}"`);
  }
}

const server = await start();
/** @type {ReturnType<typeof startCpuClock> | undefined} */
let stopCpuClock;

serve(
  {
    count: () => server.connections(),
    memory: async () => ({ ...(await measureMemory()), connections: server.connections() }),
    'cpu-start': () => {
      stopCpuClock = startCpuClock();
    },
    'cpu-stop': () => {
      if (stopCpuClock === undefined) throw new Error('cpu-stop before cpu-start');
      const used = stopCpuClock();
      stopCpuClock = undefined;
      return used;
    },
    /**
     * Sends `count` broadcasts: `perTurn` of them back to back in one event-loop turn, then yields a turn.
     * @param {{ kind: 'json' | 'binary', count: number, perTurn: number }} args
     */
    broadcast: async ({ kind, count, perTurn }) => {
      const startedAt = performance.timeOrigin + performance.now();
      const started = performance.now();
      let seq = 0;
      while (seq < count) {
        const end = Math.min(count, seq + perTurn);
        for (; seq < end; seq++) server.broadcast(kind, seq);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return { sent: seq, startedAt, sendMs: performance.now() - started };
    },
    /** Writes a heap snapshot (only with --profile) and answers its path. */
    'heap-snapshot': async () => {
      const dir = values['snapshot-dir'];
      if (dir === undefined) return null;
      const { writeHeapSnapshot } = await import('node:v8');
      return writeHeapSnapshot(`${dir}/${values.impl}-${Date.now()}.heapsnapshot`);
    },
    close: () => server.close(),
  },
  { port: server.port, pid: process.pid },
);
