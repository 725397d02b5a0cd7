// Two server nodes as child processes sharing one of socket.io's own adapters (Redis, Postgres, node:cluster...),
// driven over IPC (adapter-node.ts is the node), with official clients spread over them.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';

/** Which of socket.io's adapters a node uses; `key` is unique per test (Redis key/channel prefix, table name...). */
export interface AdapterSetup {
  kind:
    | 'redis'
    | 'redis-ioredis'
    | 'redis-sharded'
    | 'redis-streams'
    | 'switchboard-redis-streams'
    | 'postgres'
    | 'switchboard-postgres'
    | 'cluster';
  key: string;
  /** Extra options for the streams adapters (streamCount, useShardedPubSub, onlyPlaintext), the same on both. */
  options?: Record<string, unknown>;
  /** The Redis client of the streams adapters: node-redis v4 by default. */
  client?: 'node-redis' | 'ioredis';
}

/** What a node process is started with. */
export interface NodeSetup {
  name: string;
  adapter: AdapterSetup;
  /** The server: ours by default, or the official socket.io 4.8 (mixed clusters). */
  implementation?: 'switchboard' | 'socket.io';
  recovery?: boolean;
  /** Under node:cluster: which worker (set by the primary). */
  worker?: number;
}

/** A command from the test to a node. */
export interface KitCommand {
  kind: 'command';
  id: number;
  op: string;
  args: Record<string, unknown>;
  worker?: number;
}

/** What a node sends back: ready (with its port), a reply to a command, or an event it observed. */
export type KitMessage =
  | { kind: 'ready'; port: number; worker?: number }
  | { kind: 'reply'; id: number; ok: true; result: unknown; worker?: number }
  | { kind: 'reply'; id: number; ok: false; error: string; worker?: number }
  | { kind: 'event'; name: string; args: unknown[]; worker?: number };

/** A running node, as the test drives it. */
export interface ClusterNode {
  readonly name: string;
  readonly url: string;
  /** Runs `op` on the node (see the handlers in adapter-node.ts) and resolves with its result. */
  call<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  /** Resolves with the arguments of the next event `name` the node reports that matches `predicate`. */
  nextEvent(name: string, predicate?: (args: unknown[]) => boolean, timeoutMs?: number): Promise<unknown[]>;
}

const NODE_SCRIPT = fileURLToPath(new URL('./adapter-node.ts', import.meta.url));
// Generous: tsx compiles the sources at start, and the machine is shared with other test runs.
const START_TIMEOUT_MS = 60_000;
export const CALL_TIMEOUT_MS = 5_000;

/** A unique prefix for one test's keys, channels and tables (the services are shared). */
export function uniqueKey(label: string): string {
  return `sbtest_${label}_${randomBytes(5).toString('hex')}`;
}

/** One child process; under node:cluster it hosts two workers, each a node. */
class NodeProcess {
  readonly child: ChildProcess;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #waiters = new Set<{
    worker: number;
    name: string;
    predicate: (args: unknown[]) => boolean;
    resolve: (args: unknown[]) => void;
  }>();
  readonly #ready = new Map<number, (port: number) => void>();

  constructor(setup: NodeSetup) {
    this.child = fork(NODE_SCRIPT, [], {
      execArgv: ['--conditions=switchboard-source', '--import', 'tsx'],
      env: { ...process.env, ADAPTER_NODE_SETUP: JSON.stringify(setup) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: KitMessage) => this.#onMessage(message));
    this.child.on('exit', () => {
      for (const { reject } of this.#pending.values()) reject(new Error('node process exited'));
      this.#pending.clear();
    });
  }

  #onMessage(message: KitMessage): void {
    const worker = message.worker ?? 0;
    if (message.kind === 'ready') this.#ready.get(worker)?.(message.port);
    else if (message.kind === 'reply') {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.ok) pending?.resolve(message.result);
      else pending?.reject(new Error(message.error));
    } else {
      for (const waiter of this.#waiters) {
        if (waiter.worker === worker && waiter.name === message.name && waiter.predicate(message.args)) {
          this.#waiters.delete(waiter);
          waiter.resolve(message.args);
        }
      }
    }
  }

  ready(worker: number): Promise<number> {
    return withTimeout(
      new Promise<number>((resolve) => this.#ready.set(worker, resolve)),
      START_TIMEOUT_MS,
      'node start',
    );
  }

  node(name: string, port: number, worker: number | undefined): ClusterNode {
    return {
      name,
      url: `http://127.0.0.1:${port}`,
      call: <T>(op: string, args: Record<string, unknown> = {}) => {
        // A killed node's channel is closed: sending on it would throw asynchronously, outside any test.
        if (!this.child.connected) return Promise.reject(new Error(`${name} is not running`));
        const id = this.#nextId++;
        const command: KitCommand = { kind: 'command', id, op, args, ...(worker !== undefined ? { worker } : {}) };
        const reply = new Promise<T>((resolve, reject) => {
          this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        });
        this.child.send(command);
        return withTimeout(reply, CALL_TIMEOUT_MS, `${name} ${op}`);
      },
      nextEvent: (event, predicate = () => true, timeoutMs = CALL_TIMEOUT_MS) =>
        withTimeout(
          new Promise<unknown[]>((resolve) =>
            this.#waiters.add({ worker: worker ?? 0, name: event, predicate, resolve }),
          ),
          timeoutMs,
          `${name} event ${event}`,
        ),
    };
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }
}

/** A started cluster: its nodes, clients opened on them, and one `close()` for everything. */
export interface TestCluster {
  nodes: ClusterNode[];
  /** Opens an official client on `node` with `auth.name = name`; resolves once connected. */
  client(node: ClusterNode, name: string, opts?: Record<string, unknown>): Promise<ClientSocket>;
  /** Kills the process of `node` with SIGKILL (no goodbye to anyone) and resolves once it exited. */
  kill(node: ClusterNode): Promise<void>;
  close(): Promise<void>;
}

/** Starts the nodes (two processes, or one node:cluster primary with two workers for the cluster adapter). */
export async function startCluster(setups: NodeSetup[]): Promise<TestCluster> {
  const processes: NodeProcess[] = [];
  const nodes: ClusterNode[] = [];
  const clients: ClientSocket[] = [];
  const first = setups[0];
  if (first === undefined) throw new Error('startCluster needs at least one node setup');
  try {
    if (first.adapter.kind === 'cluster') {
      const primary = new NodeProcess(first);
      processes.push(primary);
      const ports = await Promise.all([primary.ready(0), primary.ready(1)]);
      ports.forEach((port, worker) => nodes.push(primary.node(`${first.name}-${worker}`, port, worker)));
    } else {
      for (const setup of setups) processes.push(new NodeProcess(setup));
      const ports = await Promise.all(processes.map((p) => p.ready(0)));
      ports.forEach((port, index) =>
        nodes.push((processes[index] as NodeProcess).node((setups[index] as NodeSetup).name, port, undefined)),
      );
    }
  } catch (err) {
    // A node that never got ready would keep the test process alive through its IPC channel.
    await Promise.all(processes.map((p) => p.stop()));
    throw err;
  }
  return {
    nodes,
    async client(node, name, opts = {}) {
      const socket = connect(node.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        auth: { name },
        ...opts,
      });
      clients.push(socket);
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', (err) => reject(err));
        }),
        CALL_TIMEOUT_MS,
        `client ${name} connect`,
      );
      return socket;
    },
    async kill(node) {
      const child = processes[nodes.indexOf(node)]?.child;
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
    async close() {
      for (const socket of clients) socket.disconnect();
      await Promise.allSettled(nodes.map((node) => node.call('close')));
      await Promise.all(processes.map((p) => p.stop()));
    },
  };
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not complete within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` (bounded by `timeoutMs`) for state that has no event, such as heartbeats discovering a peer. */
export async function eventually<T>(
  check: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms (last value ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Records the (unacknowledged) events a client receives, in order. */
export class EventLog {
  readonly events: [string, ...unknown[]][] = [];
  readonly #waiters: { event: string; resolve: () => void }[] = [];

  /** With `stripOffsets`, the recovery offset that ends each unacknowledged event (recovery on) is left out. */
  constructor(socket: ClientSocket, stripOffsets = false) {
    socket.onAny((event: string, ...args: unknown[]) => {
      // Acknowledged events are checked through their answers, not logged.
      if (typeof args[args.length - 1] === 'function') return;
      if (stripOffsets) args.pop();
      this.events.push([event, ...args]);
      for (const waiter of [...this.#waiters]) {
        if (waiter.event === event) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  }

  /** Waits until `event` arrives (or has arrived), then returns and forgets every event received so far. */
  async drainUntil(event: string, timeoutMs = CALL_TIMEOUT_MS): Promise<[string, ...unknown[]][]> {
    if (!this.events.some(([name]) => name === event)) {
      await withTimeout(
        new Promise<void>((resolve) => this.#waiters.push({ event, resolve })),
        timeoutMs,
        `event ${event}`,
      );
    }
    return this.events.splice(0, this.events.length);
  }
}
