// The test's side of cluster-app.ts: starts the application (a primary and its workers) as a child process, runs
// commands on a worker, waits for what the application reports, and connects clients through the primary's port.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io as connectOurs, type Socket as OurSocket } from '@switchboard/client';
import { io as connectOfficial, type Socket as OfficialSocket } from 'socket.io-client';
import type { AppConfig, AppMessage } from './cluster-app.js';

const APP_SCRIPT = fileURLToPath(new URL('./cluster-app.ts', import.meta.url));
/** Generous: the primary and each worker compile the sources with tsx, on a machine shared with other runs. */
const START_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 8_000;

/** A failed command, with the worker's error code and how long it ran. */
export class AppCommandError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
    readonly elapsedMs: number,
  ) {
    super(message);
  }
}

export const DEFAULT_CONFIG: AppConfig = {
  workers: [
    { server: 'switchboard', adapter: 'switchboard' },
    { server: 'switchboard', adapter: 'switchboard' },
  ],
  primary: 'switchboard',
  loadBalancingMethod: 'round-robin',
  requestsTimeout: 1000,
  heartbeatInterval: 200,
  heartbeatTimeout: 1500,
  pingInterval: 20_000,
  respawn: true,
};

type Listener = (message: AppMessage) => void;

/** A running application. */
export class ClusterApp {
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #listeners = new Set<Listener>();
  readonly #pending = new Map<number, (message: AppMessage) => void>();
  #nextId = 1;

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.port = port;
    child.on('message', (message: AppMessage) => {
      if (message.kind === 'reply') {
        this.#pending.get(message.id)?.(message);
        this.#pending.delete(message.id);
      }
      for (const listener of [...this.#listeners]) listener(message);
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the application and waits until the primary listens and every worker is ready. */
  static async start(overrides: Partial<AppConfig> = {}): Promise<ClusterApp> {
    const config = { ...DEFAULT_CONFIG, ...overrides };
    const child = fork(APP_SCRIPT, [], {
      execArgv: ['--conditions=switchboard-source', '--import', 'tsx'],
      env: { ...process.env, CLUSTER_APP_CONFIG: JSON.stringify(config) },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      const ready = new Set<number>();
      let listening: number | undefined;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the cluster application did not start within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      const onMessage = (message: AppMessage): void => {
        if (message.kind === 'ready') listening = message.port;
        if (message.kind === 'worker-ready') ready.add(message.worker);
        if (listening !== undefined && ready.size === config.workers.length) {
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(listening);
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the cluster application exited with ${String(code)}`));
      });
    });
    return new ClusterApp(child, port);
  }

  /** Runs `op` on worker `worker` (or in the primary: kill, sessionCounts). */
  async call<T = unknown>(worker: number, op: string, ...args: unknown[]): Promise<T> {
    const id = this.#nextId++;
    const message = await new Promise<AppMessage>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({
          kind: 'reply',
          id,
          ok: false,
          code: 'NO_REPLY',
          message: `no reply to ${op} within ${CALL_TIMEOUT_MS} ms`,
          elapsedMs: CALL_TIMEOUT_MS,
        });
      }, CALL_TIMEOUT_MS);
      this.#pending.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.#child.send({ kind: 'command', id, worker, op, args });
    });
    if (message.kind !== 'reply') throw new Error('unexpected message');
    if (!message.ok) throw new AppCommandError(message.code, message.message, message.elapsedMs);
    return message.value as T;
  }

  /** The next message of that kind matching `predicate`, failing after `ms`. */
  next<K extends AppMessage['kind']>(
    kind: K,
    predicate: (m: Extract<AppMessage, { kind: K }>) => boolean,
    ms: number,
  ): Promise<Extract<AppMessage, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const listener: Listener = (message) => {
        if (message.kind !== kind || !predicate(message as Extract<AppMessage, { kind: K }>)) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(message as Extract<AppMessage, { kind: K }>);
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`no ${kind} message within ${ms} ms`));
      }, ms);
      this.#listeners.add(listener);
    });
  }

  /** Stops the primary (its workers go with it). */
  close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
      this.#child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.#child.disconnect();
    });
  }
}

/** The two client libraries the tests use, behind one shape. */
export type ClientKind = 'switchboard' | 'socket.io-client';
export type AnyClientSocket = OurSocket | OfficialSocket;

/** A client through the primary's port; `transports` as the client options spell them. */
export function connectClient(
  kind: ClientKind,
  url: string,
  transports: ('polling' | 'websocket')[],
  extra: Record<string, unknown> = {},
): AnyClientSocket {
  const opts = { transports, forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500, ...extra };
  return kind === 'switchboard' ? connectOurs(url, opts) : connectOfficial(url, opts);
}

/** Resolves with the first arguments of `event` on `socket`, or fails after `ms`. */
export function waitForEvent(socket: AnyClientSocket, event: string, ms: number): Promise<unknown[]> {
  const s = socket as unknown as {
    once(e: string, l: (...a: unknown[]) => void): void;
    off(e: string, l: (...a: unknown[]) => void): void;
  };
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args);
    };
    const timer = setTimeout(() => {
      s.off(event, listener);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    s.once(event, listener);
  });
}

/** Asks the server side of `socket` which worker serves it. */
export async function whoami(
  socket: AnyClientSocket,
  ms = 3000,
): Promise<{ worker: number; pid: number; transport: string }> {
  const s = socket as unknown as { timeout(ms: number): { emitWithAck(e: string): Promise<unknown> } };
  return (await s.timeout(ms).emitWithAck('whoami')) as { worker: number; pid: number; transport: string };
}

/** Waits until `socket` is connected (or fails after `ms`). */
export async function connected(socket: AnyClientSocket, ms: number): Promise<void> {
  if (socket.connected) return;
  // At least 45 s: on a fresh clone the workers' first requests compile TypeScript through tsx with a cold cache,
  // while the browser suites load both cores; a first connect took past 20 s on a fresh-clone CI run.
  await waitForEvent(socket, 'connect', Math.max(ms, 45_000));
}
