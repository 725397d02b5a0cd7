// @ts-check
// Leaks: many connect/disconnect cycles (WebSocket, polling, polling upgraded) with rooms joined and acknowledgements
// pending both ways when the connection ends (by the client, by closing its Engine.IO connection, or by the server's
// TCP socket being destroyed at random). Afterwards the server's heap after GC, its timers and handles and the
// listeners on its long-lived objects must be back where they were.
import { startSoakServer, waitFor } from './harness.mjs';

/**
 * @typedef {{
 *   impl: 'ours' | 'socketio',
 *   cycles: number,
 *   warmupCycles: number,
 *   concurrency: number,
 *   killEveryMs: number,
 *   deadlineMs: number,
 *   log?: (line: string) => void,
 * }} LeakOptions
 */

/** @type {Omit<LeakOptions, 'impl'>} */
export const LEAKS_LONG = {
  cycles: 20_000,
  warmupCycles: 1_000,
  concurrency: 50,
  killEveryMs: 100,
  deadlineMs: 600_000,
};

const TRANSPORTS = /** @type {const} */ ([['websocket'], ['polling'], ['polling', 'websocket']]);
const CYCLE_TIMEOUT_MS = 10_000;

/**
 * @typedef {{ memory: { heapUsed: number, rss: number }, resources: Record<string, number>, listeners: Record<string, number> }} Probe
 */

/**
 * Runs the cycles against one implementation's server (the client is always ours) and returns both probes.
 * @param {LeakOptions} options
 */
export async function runLeaks(options) {
  const log = options.log ?? (() => {});
  const { io } = await import('@switchboard/client');
  // Short heartbeats: a session whose TCP socket was destroyed mid-poll ends within seconds, not after 45 s.
  const server = await startSoakServer({ impl: options.impl, pingIntervalMs: 1_000, pingTimeoutMs: 1_000 });
  const url = `http://127.0.0.1:${server.port}`;
  const startedAt = performance.now();
  const outcomes = { ready: 0, cutShort: 0, timedOut: 0 };
  let next = 0;
  let killed = 0;

  /** One cycle: connect, join rooms, leave acknowledgements pending both ways, then end the connection. */
  const cycle = async (/** @type {number} */ n) => {
    const socket = io(url, {
      forceNew: true,
      reconnection: false,
      transports: [...(TRANSPORTS[n % TRANSPORTS.length] ?? ['websocket'])],
    });
    // The server's 'ask' is never answered; this listener takes the acknowledgement and drops it.
    socket.on('ask', () => {});
    const outcome = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timedOut'), CYCLE_TIMEOUT_MS);
      const end = (/** @type {string} */ how) => {
        clearTimeout(timer);
        resolve(how);
      };
      socket.once('ready', () => end('ready'));
      socket.once('connect_error', () => end('cutShort'));
      socket.once('disconnect', () => end('cutShort'));
      socket.once('connect', () => socket.emit('churn', n, () => {}));
    });
    outcomes[/** @type {keyof typeof outcomes} */ (outcome)]++;
    if (n % 2 === 0) socket.disconnect();
    else {
      // Closing the Engine.IO connection under the socket: the server sees a transport close, not a namespace leave.
      socket.io.engine?.close();
      socket.disconnect();
    }
  };

  /** Runs `count` cycles over `options.concurrency` loops, bounded by the deadline. */
  const runCycles = async (/** @type {number} */ count) => {
    const end = next + count;
    const loop = async () => {
      while (next < end && performance.now() - startedAt < options.deadlineMs) await cycle(next++);
    };
    await Promise.all(Array.from({ length: options.concurrency }, loop));
  };

  /** Waits until the server holds no connection at all, then probes it. */
  const settleAndProbe = async () => {
    const settled = await waitFor(
      async () => {
        const stats = await server.worker.request('stats');
        return stats.sockets === 0 && stats.engineClients === 0 && stats.tcp === 0;
      },
      30_000,
      100,
    );
    const stats = await server.worker.request('stats');
    /** @type {Probe} */
    const probe = await server.worker.request('probe');
    return { settled, stats, probe };
  };

  try {
    const fresh = await settleAndProbe();
    await runCycles(options.warmupCycles);
    const before = await settleAndProbe();
    log(
      `leaks ${options.impl}: warmed up with ${options.warmupCycles} cycles, heap ${mb(before.probe.memory.heapUsed)} MB`,
    );
    const killer = setInterval(() => {
      server.worker.request('killTransports', { count: 1 }).then(
        (/** @type {{ killed: number }} */ r) => void (killed += r.killed),
        () => {},
      );
    }, options.killEveryMs);
    const cyclesAt = performance.now();
    try {
      await runCycles(options.cycles);
    } finally {
      clearInterval(killer);
    }
    const cyclesMs = performance.now() - cyclesAt;
    const after = await settleAndProbe();
    log(
      `leaks ${options.impl}: ${options.cycles} cycles in ${Math.round(cyclesMs)} ms, heap ${mb(after.probe.memory.heapUsed)} MB`,
    );
    return {
      impl: options.impl,
      cycles: next - options.warmupCycles,
      cyclesPerSecond: Math.round(((next - options.warmupCycles) / cyclesMs) * 1000),
      outcomes,
      transportsKilled: killed,
      settled: after.settled,
      statsAfter: after.stats,
      heapFreshMB: mb(fresh.probe.memory.heapUsed),
      heapBeforeMB: mb(before.probe.memory.heapUsed),
      heapAfterMB: mb(after.probe.memory.heapUsed),
      heapGrowthMB: mb(after.probe.memory.heapUsed - before.probe.memory.heapUsed),
      rssBeforeMB: mb(before.probe.memory.rss),
      rssAfterMB: mb(after.probe.memory.rss),
      resourcesBefore: before.probe.resources,
      resourcesAfter: after.probe.resources,
      resourcesGrown: grown(before.probe.resources, after.probe.resources),
      listenersBefore: before.probe.listeners,
      listenersAfter: after.probe.listeners,
      listenersGrown: grown(before.probe.listeners, after.probe.listeners),
    };
  } finally {
    await server.worker.stop();
  }
}

/** @param {number} bytes */
function mb(bytes) {
  return Math.round((bytes / 2 ** 20) * 100) / 100;
}

/**
 * Entries of `after` above their count in `before`: what the cycles left behind.
 * @param {Record<string, number>} before
 * @param {Record<string, number>} after
 */
function grown(before, after) {
  /** @type {Record<string, number>} */
  const result = {};
  for (const [key, count] of Object.entries(after))
    if (count > (before[key] ?? 0)) result[key] = count - (before[key] ?? 0);
  return result;
}
