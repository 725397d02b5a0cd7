// @ts-check
// Shared pieces of the soak scripts: server processes, waiting with a deadline, and the spread of a set of times.
import { fileURLToPath } from 'node:url';
import { Worker } from '../lib/ipc.mjs';
import { percentile } from '../lib/stats.mjs';

const SERVER_SCRIPT = fileURLToPath(new URL('./server.mjs', import.meta.url));

/**
 * Node flags that make a child load what this process loads: the TypeScript sources when this process runs with the
 * `switchboard-source` condition (the tests), the built dist/ otherwise (a long run after `npx tsc -b`).
 * @returns {string[]}
 */
export function childNodeArgs() {
  const fromSource = process.execArgv.some((arg) => arg.includes('switchboard-source'));
  return fromSource ? ['--conditions=switchboard-source', '--import', 'tsx'] : [];
}

/**
 * @typedef {{
 *   impl?: 'ours' | 'socketio',
 *   port?: number | undefined,
 *   recovery?: boolean,
 *   log?: string,
 *   pingIntervalMs?: number,
 *   pingTimeoutMs?: number,
 *   tickEveryMs?: number,
 *   tickBase?: number | undefined,
 * }} SoakServerOptions
 */

/**
 * Starts a soak server process (with --expose-gc) and resolves once it listens.
 * @param {SoakServerOptions} options
 * @returns {Promise<{ worker: Worker, port: number, pid: number }>}
 */
export async function startSoakServer(options) {
  const args = ['--impl', options.impl ?? 'ours', '--port', String(options.port ?? 0)];
  if (options.recovery) args.push('--recovery');
  if (options.log !== undefined) args.push('--log', options.log);
  if (options.pingIntervalMs !== undefined) args.push('--ping-interval', String(options.pingIntervalMs));
  if (options.pingTimeoutMs !== undefined) args.push('--ping-timeout', String(options.pingTimeoutMs));
  if (options.tickEveryMs !== undefined)
    args.push('--tick-every', String(options.tickEveryMs), '--tick-base', String(options.tickBase ?? 0));
  const worker = new Worker(`soak ${options.impl ?? 'ours'} server`, SERVER_SCRIPT, args, {
    nodeArgs: ['--expose-gc', ...childNodeArgs()],
    // Generous: from TypeScript sources on a loaded machine a cold start can take tens of seconds.
    readyTimeoutMs: 90_000,
  });
  const info = await worker.ready;
  return { worker, port: Number(info.port), pid: Number(info.pid) };
}

/**
 * Polls `check` every `everyMs` until it is true; false when `timeoutMs` passed first.
 * @param {() => boolean | Promise<boolean>} check
 * @param {number} timeoutMs
 * @param {number} [everyMs]
 */
export async function waitFor(check, timeoutMs, everyMs = 25) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Percentiles of `values` (ms) and a histogram with `bucketMs` wide buckets, for printing and for NOTES.md.
 * @param {readonly number[]} values
 * @param {number} bucketMs
 */
export function spread(values, bucketMs) {
  /** @type {Record<string, number>} */
  const histogram = {};
  for (const value of values) {
    const low = Math.floor(value / bucketMs) * bucketMs;
    const key = `${low}-${low + bucketMs}`;
    histogram[key] = (histogram[key] ?? 0) + 1;
  }
  const ordered = Object.fromEntries(Object.entries(histogram).sort(([a], [b]) => parseInt(a, 10) - parseInt(b, 10)));
  const at = (/** @type {number} */ p) => Math.round(percentile(values, p) * 10) / 10;
  return {
    count: values.length,
    min: at(0),
    p10: at(10),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: at(100),
    histogram: ordered,
  };
}

/**
 * A histogram as text lines: bucket, count and a bar scaled to the largest bucket.
 * @param {Record<string, number>} histogram
 * @returns {string}
 */
export function formatHistogram(histogram) {
  const largest = Math.max(1, ...Object.values(histogram));
  return Object.entries(histogram)
    .map(
      ([bucket, count]) =>
        `${bucket.padStart(13)} ms ${String(count).padStart(6)} ${'#'.repeat(Math.ceil((count / largest) * 40))}`,
    )
    .join('\n');
}
