// @ts-check
// Server process of a trial: starts one implementation, then answers the runner's commands over IPC
// (connection count, memory after GC, CPU between markers, broadcast bursts).
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { measureMemory, serve, startCpuClock } from './lib/ipc.mjs';

const { values } = parseArgs({
  options: {
    impl: { type: 'string' },
    room: { type: 'boolean', default: false },
    echo: { type: 'boolean', default: false },
    // A cluster node: a Redis adapter on channels under --redis-key; clients join the room when their query asks.
    'redis-url': { type: 'string' },
    'redis-key': { type: 'string' },
    // Or a PostgreSQL adapter, on channels and a table named --pg-key.
    'pg-url': { type: 'string' },
    'pg-key': { type: 'string' },
    // Or a Redis Streams adapter, on a stream, channels and session keys under --streams-key.
    'streams-url': { type: 'string' },
    'streams-key': { type: 'string' },
    'profile-dir': { type: 'string' },
  },
});
const cluster =
  values['redis-key'] !== undefined || values['pg-key'] !== undefined || values['streams-key'] !== undefined;
const behaviour = { room: values.room ?? false, echo: values.echo ?? false, roomByQuery: cluster };
/** @type {import('./servers/redis.mjs').ClusterAdapter | undefined} */
let clusterAdapter;

/**
 * The Redis adapter of a cluster node: ours on our own adapter, socket.io and ours-compat on socket.io's.
 * @param {'ours' | 'official'} kind
 */
async function adapterOptions(kind) {
  if (!cluster) return {};
  if (values['pg-key'] !== undefined) {
    const { createPostgresClusterAdapter } = await import('./servers/postgres.mjs');
    clusterAdapter = await createPostgresClusterAdapter(
      kind,
      values['pg-url'] ?? 'postgres://postgres@127.0.0.1:5432/test',
      values['pg-key'],
    );
    return { adapter: clusterAdapter.factory };
  }
  if (values['streams-key'] !== undefined) {
    const { createStreamsClusterAdapter } = await import('./servers/streams.mjs');
    clusterAdapter = await createStreamsClusterAdapter(
      kind,
      values['streams-url'] ?? 'redis://127.0.0.1:6379',
      values['streams-key'],
    );
    return { adapter: clusterAdapter.factory };
  }
  const { createClusterAdapter } = await import('./servers/redis.mjs');
  clusterAdapter = await createClusterAdapter(
    kind,
    values['redis-url'] ?? 'redis://127.0.0.1:6379',
    values['redis-key'] ?? '',
  );
  return { adapter: clusterAdapter.factory };
}

/** @returns {Promise<import('./servers/sio.mjs').BenchServer>} */
async function start() {
  switch (values.impl) {
    case 'ours': {
      const { startSioServer } = await import('./servers/sio.mjs');
      return startSioServer((await import('@switchboard/server')).Server, behaviour, await adapterOptions('ours'));
    }
    case 'ours-compat': {
      const { startSioServer } = await import('./servers/sio.mjs');
      return startSioServer((await import('@switchboard/server')).Server, behaviour, await adapterOptions('official'));
    }
    case 'socketio': {
      const { startSioServer } = await import('./servers/sio.mjs');
      return startSioServer((await import('socket.io')).Server, behaviour, await adapterOptions('official'));
    }
    case 'ws':
    case 'ws-cork':
    case 'ws-sio': {
      const { startWsServer } = await import('./servers/ws.mjs');
      return startWsServer(behaviour, { cork: values.impl === 'ws-cork', handshake: values.impl === 'ws-sio' });
    }
    default:
      throw new Error(`unknown --impl "${values.impl}"`);
  }
}

const server = await start();
/** @type {ReturnType<typeof startCpuClock> | undefined} */
let stopCpuClock;
/**
 * Why a tail is long: the server's own event-loop delay and its GC pauses during the measured window.
 * @type {{ loop: import('node:perf_hooks').IntervalHistogram, gcMs: number, gcCount: number, observer: PerformanceObserver } | undefined}
 */
let stalls;
const profiler = values['profile-dir'] === undefined ? undefined : await startProfilerSession();

/**
 * With --profile-dir, the window between the runner's markers (not start-up or warm-up) is also recorded by V8 and
 * written for bench/profile-summary.mjs: its CPU as <impl>-<pid>-<n>.cpuprofile, or, with BENCH_PROFILE_KIND=alloc,
 * every allocation it made (sampled, including objects already collected) as <impl>-<pid>-<n>.heapprofile. CPU is
 * sampled every BENCH_PROFILE_INTERVAL_US microseconds (default 100).
 */
async function startProfilerSession() {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  /** @param {string} method @param {object} [params] */
  const post = (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  const alloc = process.env.BENCH_PROFILE_KIND === 'alloc';
  await post(alloc ? 'HeapProfiler.enable' : 'Profiler.enable');
  // V8 samples every 1,000 µs by default: a thousand connects then leave too few samples to tell functions apart.
  if (!alloc)
    await post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 100) });
  let count = 0;
  return {
    start: () =>
      alloc
        ? post('HeapProfiler.startSampling', {
            samplingInterval: 128,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
          })
        : post('Profiler.start'),
    async stop() {
      const { profile } = /** @type {{ profile: unknown }} */ (
        await post(alloc ? 'HeapProfiler.stopSampling' : 'Profiler.stop')
      );
      const { writeFile } = await import('node:fs/promises');
      const path = `${values['profile-dir']}/${values.impl}-${process.pid}-${++count}.${alloc ? 'heapprofile' : 'cpuprofile'}`;
      await writeFile(path, JSON.stringify(profile));
      return path;
    },
  };
}

serve(
  {
    count: () => server.connections(),
    published: () => clusterAdapter?.published() ?? 0,
    tcp: () => server.tcpConnections(),
    memory: async () => ({ ...(await measureMemory()), connections: server.connections() }),
    'cpu-start': async () => {
      await profiler?.start();
      const loop = monitorEventLoopDelay({ resolution: 1 });
      const observer = new PerformanceObserver((list) => {
        if (stalls === undefined) return;
        for (const entry of list.getEntries()) {
          stalls.gcMs += entry.duration;
          stalls.gcCount++;
        }
      });
      observer.observe({ entryTypes: ['gc'] });
      loop.enable();
      stalls = { loop, gcMs: 0, gcCount: 0, observer };
      stopCpuClock = startCpuClock();
    },
    'cpu-stop': async () => {
      if (stopCpuClock === undefined) throw new Error('cpu-stop before cpu-start');
      const used = { ...stopCpuClock(), loopDelayP99Ms: NaN, gcPauseMs: NaN, gcCount: 0 };
      stopCpuClock = undefined;
      if (stalls !== undefined) {
        stalls.loop.disable();
        stalls.observer.disconnect();
        Object.assign(used, {
          loopDelayP99Ms: stalls.loop.percentile(99) / 1e6,
          gcPauseMs: stalls.gcMs,
          gcCount: stalls.gcCount,
        });
        stalls = undefined;
      }
      const profile = await profiler?.stop();
      return profile === undefined ? used : { ...used, profile };
    },
    /**
     * Sends `count` broadcasts: `perTurn` of them back to back in one event-loop turn, then yields a turn; or, with
     * `ratePerSec`, one every 1/rate seconds on a fixed schedule. `to` is the room (default) or every client; with
     * `times` the answer carries the wall-clock time each broadcast left (for cross-process latencies).
     * @param {{ kind: 'json' | 'binary', count: number, perTurn: number, to?: 'room' | 'all', ratePerSec?: number, times?: boolean }} args
     */
    broadcast: async ({ kind, count, perTurn, to = 'room', ratePerSec, times = false }) => {
      const startedAt = performance.timeOrigin + performance.now();
      const started = performance.now();
      const sentAt = times ? new Array(count) : undefined;
      let seq = 0;
      while (seq < count) {
        const end = ratePerSec === undefined ? Math.min(count, seq + perTurn) : seq + 1;
        for (; seq < end; seq++) {
          if (sentAt !== undefined) sentAt[seq] = performance.timeOrigin + performance.now();
          server.broadcast(kind, seq, to);
        }
        if (ratePerSec === undefined || seq === count) await new Promise((resolve) => setImmediate(resolve));
        else {
          const dueMs = started + (seq * 1000) / ratePerSec - performance.now();
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueMs)));
        }
      }
      return { sent: seq, startedAt, sendMs: performance.now() - started, sentAt };
    },
    /** Writes a heap snapshot (only with --profile) and answers its path. */
    'heap-snapshot': async () => {
      const dir = values['profile-dir'];
      if (dir === undefined) return null;
      const { writeHeapSnapshot } = await import('node:v8');
      return writeHeapSnapshot(`${dir}/${values.impl}-${Date.now()}.heapsnapshot`);
    },
    close: async () => {
      await server.close();
      await clusterAdapter?.close();
    },
  },
  { port: server.port, pid: process.pid },
);
