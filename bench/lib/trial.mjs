// @ts-check
// Building blocks of one trial: a fresh server process and load-generator processes for one implementation.
import { fileURLToPath } from 'node:url';
import { Worker } from './ipc.mjs';

const SERVER_SCRIPT = fileURLToPath(new URL('../server.mjs', import.meta.url));
const LOAD_SCRIPT = fileURLToPath(new URL('../load.mjs', import.meta.url));

/**
 * @typedef {import('./args.mjs').Impl} Impl
 * @typedef {{ server: Worker, port: number, loads: Worker[] }} Trial
 */

/**
 * Starts the server of `impl` (with --expose-gc, so it can report memory after a full collection).
 * @param {Impl} impl
 * @param {{ room?: boolean, echo?: boolean, cluster?: { redisUrl: string, key: string }, postgres?: { url: string, key: string }, streams?: { url: string, key: string } }} behaviour cluster: a node
 *   on a Redis adapter, whose clients join the room when their query asks
 * @returns {Promise<{ server: Worker, port: number }>}
 */
export async function startServer(impl, behaviour) {
  const args = ['--impl', impl];
  if (behaviour.room) args.push('--room');
  if (behaviour.echo) args.push('--echo');
  if (behaviour.cluster !== undefined)
    args.push('--redis-url', behaviour.cluster.redisUrl, '--redis-key', behaviour.cluster.key);
  // postgres: a node on a PostgreSQL adapter instead (the postgres scenario).
  if (behaviour.postgres !== undefined)
    args.push('--pg-url', behaviour.postgres.url, '--pg-key', behaviour.postgres.key);
  // streams: a node on a Redis Streams adapter (the streams scenario).
  if (behaviour.streams !== undefined)
    args.push('--streams-url', behaviour.streams.url, '--streams-key', behaviour.streams.key);
  // BENCH_SERVER_NODE_ARGS adds Node/V8 flags to every server process (e.g. `--trace-gc-nvp` while profiling).
  const nodeArgs = ['--expose-gc', ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const profileDir = profileDirectory();
  if (profileDir !== undefined) {
    args.push('--profile-dir', profileDir);
  }
  const server = new Worker(`${impl} server`, SERVER_SCRIPT, args, { nodeArgs });
  const info = await server.ready;
  return { server, port: Number(info.port) };
}

/**
 * Where servers write CPU profiles and heap snapshots, when the runner was given --profile.
 * @returns {string | undefined}
 */
export function profileDirectory() {
  return process.env.BENCH_PROFILE_DIR || undefined;
}

/**
 * Starts `count` load-generator processes for `impl` against `port` with the given kind of client (see load.mjs).
 * @param {Impl} impl
 * @param {number} port
 * @param {number} count
 * @param {{ client?: 'lib' | 'thin' | 'counting' }} [options]
 * @returns {Promise<Worker[]>}
 */
export async function startLoads(impl, port, count, options = {}) {
  const args = ['--impl', impl, '--port', String(port)];
  args.push('--client', options.client ?? 'lib');
  const nodeArgs = ['--expose-gc'];
  // With --profile the load side is profiled whole (client libraries are measured too, e.g. the echo round trip).
  const profileDir = profileDirectory();
  if (profileDir !== undefined)
    nodeArgs.push(
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
      `--cpu-prof-name=${impl}-load-${Date.now()}-${count}.cpuprofile`,
    );
  const loads = Array.from({ length: count }, (_, i) => {
    const perLoad =
      profileDir === undefined
        ? nodeArgs
        : nodeArgs.map((a) => a.replace(/-(\d+)\.cpuprofile$/, `-${i + 1}.cpuprofile`));
    return new Worker(`${impl} load ${i + 1}`, LOAD_SCRIPT, args, { nodeArgs: perLoad });
  });
  await Promise.all(loads.map((load) => load.ready));
  return loads;
}

/**
 * Stops every worker given, clients first so the server sees orderly disconnects.
 * @param {import('./ipc.mjs').Worker[]} loads
 * @param {import('./ipc.mjs').Worker | undefined} server
 */
export async function stopAll(loads, server) {
  await Promise.allSettled(loads.map((load) => load.stop()));
  if (server !== undefined) await server.stop();
}

/**
 * Splits `total` into `parts` near-equal integers.
 * @param {number} total
 * @param {number} parts
 * @returns {number[]}
 */
export function split(total, parts) {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/**
 * Polls `check` every 20 ms until it returns true or `timeoutMs` passes; resolves to whether it became true.
 * @param {() => Promise<boolean>} check
 * @param {number} timeoutMs
 */
export async function waitUntil(check, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/**
 * Throws when a connect step left clients unconnected: a trial with missing clients measures something else.
 * @param {{ connected: number, failed: number, firstError?: string }[]} results
 * @param {number} expected
 */
export function assertConnected(results, expected) {
  const connected = results.reduce((sum, r) => sum + r.connected, 0);
  if (connected !== expected) {
    const error = results.find((r) => r.firstError !== undefined)?.firstError ?? 'unknown';
    throw new Error(`only ${connected} of ${expected} clients connected (first error: ${error})`);
  }
}
