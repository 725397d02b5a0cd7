// @ts-check
// Request/response over Node's IPC channel between the runner and its server and load-generator processes.
import { spawn } from 'node:child_process';

/** Every worker dies on its own after this long, even if the runner hangs: each trial is bounded in time. */
const WORKER_LIFETIME_MS = 10 * 60_000;

/**
 * @typedef {{ id: number, cmd: string, args: Record<string, unknown> }} Request
 * @typedef {{ id: number, ok: true, result: unknown } | { id: number, ok: false, error: string }} Response
 * @typedef {{ type: 'ready', info: Record<string, unknown> }} Hello
 */

/**
 * A child process the runner drives with `request(cmd, args)`.
 */
export class Worker {
  /** @type {import('node:child_process').ChildProcess} */
  #child;
  #nextId = 1;
  /** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void, timer: NodeJS.Timeout }>} */
  #pending = new Map();
  /** @type {Promise<Record<string, unknown>>} */
  ready;
  #exited = false;
  name;

  /**
   * @param {string} name for error messages
   * @param {string} script path of the worker entry
   * @param {string[]} args
   * @param {{ nodeArgs?: string[], readyTimeoutMs?: number }} [options]
   */
  constructor(name, script, args, options = {}) {
    this.name = name;
    // The shell raises the open-file limit (10,000 sockets need more than the usual 1,024) and then execs node, which
    // keeps the IPC descriptor and the environment that carries its number.
    const raise = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"';
    this.#child = spawn('sh', ['-c', raise, process.execPath, ...(options.nodeArgs ?? []), script, ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name}: not ready within ${readyTimeoutMs} ms`)),
        readyTimeoutMs,
      );
      this.#child.on('message', (/** @type {Response | Hello} */ message) => {
        if ('type' in message && message.type === 'ready') {
          clearTimeout(timer);
          resolve(message.info);
          return;
        }
        if (!('id' in message)) return;
        const waiter = this.#pending.get(message.id);
        if (waiter === undefined) return;
        this.#pending.delete(message.id);
        clearTimeout(waiter.timer);
        if (message.ok) waiter.resolve(message.result);
        else waiter.reject(new Error(`${name}: ${message.error}`));
      });
      this.#child.on('exit', (code, signal) => {
        this.#exited = true;
        clearTimeout(timer);
        const error = new Error(`${name} exited (${signal ?? code})`);
        reject(error);
        for (const waiter of this.#pending.values()) {
          clearTimeout(waiter.timer);
          waiter.reject(error);
        }
        this.#pending.clear();
      });
    });
    this.ready.catch(() => {});
  }

  /**
   * Sends a command and waits for its answer, at most `timeoutMs`.
   * @param {string} cmd
   * @param {Record<string, unknown>} [args]
   * @param {number} [timeoutMs]
   * @returns {Promise<any>}
   */
  request(cmd, args = {}, timeoutMs = 60_000) {
    // A worker being stopped has its channel disconnected before it exits: sending then would throw.
    if (this.#exited || !this.#child.connected) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name}: "${cmd}" got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#child.send(/** @type {Request} */ ({ id, cmd, args }));
    });
  }

  /** Asks the worker to exit, and kills it if it has not within a few seconds. */
  async stop() {
    if (this.#exited) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    try {
      this.#child.disconnect();
    } catch {
      // already disconnected
    }
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Worker side: answers the runner's commands with `handlers` and exits when the runner goes away.
 * @param {Record<string, (args: any) => unknown>} handlers
 * @param {Record<string, unknown>} info sent with the ready message
 */
export function serve(handlers, info) {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('bench worker: must be started by bench/run.mjs (no IPC channel)');
  setTimeout(() => process.exit(3), WORKER_LIFETIME_MS).unref();
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (/** @type {Request} */ message) => {
    const handler = handlers[message.cmd];
    try {
      if (handler === undefined) throw new Error(`unknown command "${message.cmd}"`);
      const result = await handler(message.args);
      send(/** @type {Response} */ ({ id: message.id, ok: true, result: result ?? null }));
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      send(/** @type {Response} */ ({ id: message.id, ok: false, error: text }));
    }
  });
  send(/** @type {Hello} */ ({ type: 'ready', info }));
}

/**
 * Heap and RSS after repeated full collections, when the process runs with --expose-gc.
 * @returns {Promise<{ heapUsed: number, rss: number, external: number, gc: boolean }>}
 */
export async function measureMemory() {
  const gc = globalThis.gc;
  if (gc !== undefined) {
    // Several rounds with turns in between: finalizers and weak callbacks free more on the next pass.
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, rss: usage.rss, external: usage.external, gc: gc !== undefined };
}

/**
 * CPU time of this process between `start()` and the returned function's call, in microseconds, with wall time.
 * @returns {() => { cpuMicros: number, wallMs: number }}
 */
export function startCpuClock() {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    return { cpuMicros: used.user + used.system, wallMs: performance.now() - wall };
  };
}

/**
 * TCP connections an HTTP server still holds, upgraded ones included: a Socket.IO client leaves its namespace as soon
 * as its disconnect is read, before its WebSocket closing handshake and TCP teardown have run.
 * @param {import('node:net').Server} server
 * @returns {Promise<number>}
 */
export function tcpConnectionsOf(server) {
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}
