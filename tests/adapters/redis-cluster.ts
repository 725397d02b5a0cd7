// A harness for cluster tests on Redis: server nodes as child processes (redis-node.ts) driven over IPC, clients
// spread over them, a unique channel key per test, and a private redis-server for tests that restart Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from '@switchboard/client';
import { waitForOutcome } from '../testkit/index.js';

export type Implementation = 'switchboard' | 'official';
/** node-redis v4 (`redis`), node-redis v5 (`redis-v5`, an alias installed for these tests) or ioredis. */
export type RedisClientKind = 'node-redis' | 'node-redis-v5' | 'ioredis';

/** What a node runs: passed as its only argument. */
export interface NodeConfig {
  name: string;
  impl: Implementation;
  client: RedisClientKind;
  redisUrl: string;
  key: string;
  requestsTimeout: number;
  /** The adapter option of that name (default false). */
  publishOnSpecificResponseChannel?: boolean;
  /** Our adapter's option of that name (default false); the official adapter has none. */
  deliverAfterPublish?: boolean;
}

export type CommandName =
  | 'emit'
  | 'emitWithAck'
  | 'fetchSockets'
  | 'remoteEmit'
  | 'remoteEmitWithAck'
  | 'remoteJoin'
  | 'remoteLeave'
  | 'remoteDisconnect'
  | 'socketsJoin'
  | 'socketsLeave'
  | 'disconnectSockets'
  | 'serverSideEmit'
  | 'serverSideEmitWithAck'
  | 'serverCount'
  | 'allRooms';

export interface CommandArgs {
  /** The namespace (default `/`). */
  nsp?: string;
  rooms?: string[];
  except?: string[];
  local?: boolean;
  event?: string;
  values?: unknown[];
  /** Arrays of numbers among `values` become Buffers on the node. */
  binary?: boolean;
  timeoutMs?: number;
  socketId?: string;
  room?: string;
  close?: boolean;
}

export interface NodeCommand {
  id: number;
  cmd: CommandName;
  args: CommandArgs;
}

export type NodeMessage =
  | { kind: 'ready'; port: number }
  | { kind: 'reply'; id: number; result?: unknown; error?: { code: string | undefined; message: string } }
  | { kind: 'server-side'; event: string; args: unknown[] }
  | { kind: 'unhandled'; detail: string };

/** An error a node reported for a command, with the code of the error it caught. */
export class NodeCommandError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

const NODE_SCRIPT = fileURLToPath(new URL('./redis-node.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const START_TIMEOUT_MS = 30_000;
const COMMAND_TIMEOUT_MS = 8_000;

/** A key no other test (or helper sharing this Redis) uses. */
export function uniqueKey(label: string): string {
  return `sbtest-${label}-${randomBytes(5).toString('hex')}`;
}

/** One server node in a child process. */
export class ClusterNode {
  readonly serverSide: { event: string; args: unknown[] }[] = [];
  /** Unhandled rejections and uncaught exceptions the node reported (a test expects none). */
  readonly unhandled: string[] = [];
  stderr = '';
  #nextId = 0;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly #serverSideWaiters: (() => void)[] = [];

  private constructor(
    readonly config: NodeConfig,
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (message: NodeMessage) => this.#onMessage(message));
    child.on('exit', () => {
      for (const { reject } of this.#pending.values()) reject(new Error(`node ${config.name} exited`));
      this.#pending.clear();
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static start(config: NodeConfig, env: NodeJS.ProcessEnv = {}): Promise<ClusterNode> {
    const child = spawn(
      process.execPath,
      ['--conditions=switchboard-source', '--import', 'tsx', NODE_SCRIPT, JSON.stringify(config)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        env: { ...process.env, ...env },
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise<ClusterNode>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`node ${config.name} did not start within ${START_TIMEOUT_MS} ms: ${stderr}`));
      }, START_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`node ${config.name} exited with ${String(code)} before it was ready: ${stderr}`));
      });
      child.once('message', (message: NodeMessage) => {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        if (message.kind !== 'ready') {
          reject(new Error(`node ${config.name} sent ${message.kind} first`));
          return;
        }
        const node = new ClusterNode(config, child, message.port);
        node.stderr = stderr;
        child.stderr?.on('data', (chunk: Buffer) => (node.stderr += chunk.toString()));
        resolve(node);
      });
    });
  }

  #onMessage(message: NodeMessage): void {
    if (message.kind === 'reply') {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error !== undefined) pending?.reject(new NodeCommandError(message.error.code, message.error.message));
      else pending?.resolve(message.result);
    } else if (message.kind === 'server-side') {
      this.serverSide.push({ event: message.event, args: message.args });
      for (const wake of this.#serverSideWaiters.splice(0)) wake();
    } else if (message.kind === 'unhandled') {
      this.unhandled.push(message.detail);
    }
  }

  /** Runs a command on the node and resolves with its result (rejects with NodeCommandError). */
  call<T = unknown>(cmd: CommandName, args: CommandArgs = {}, timeoutMs = COMMAND_TIMEOUT_MS): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`node ${this.config.name}: ${cmd} got no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.child.send({ id, cmd, args } satisfies NodeCommand);
    });
  }

  /** Resolves once `count` server-side events named `event` arrived here. */
  async waitForServerSide(event: string, count = 1, timeoutMs = 5000): Promise<unknown[][]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.serverSide.filter((e) => e.event === event).map((e) => e.args);
      if (matching.length >= count) return matching;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `node ${this.config.name}: ${count} '${event}' server-side events not received in ${timeoutMs} ms`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#serverSideWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Ends the node: closing IPC makes it close its server and Redis clients; SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill(signal);
    if (signal === 'SIGKILL') await exited;
  }
}

/** Starts nodes in parallel; `configs` are completed with the shared defaults. */
export async function startNodes(
  configs: (Partial<NodeConfig> & { name: string })[],
  defaults: Omit<NodeConfig, 'name'>,
  env?: NodeJS.ProcessEnv,
): Promise<ClusterNode[]> {
  const results = await Promise.allSettled(configs.map((c) => ClusterNode.start({ ...defaults, ...c }, env)));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed === undefined) return started;
  // One node failed to start: the others must not outlive the test.
  await Promise.all(started.map((node) => node.stop()));
  throw failed.reason;
}

/** A bound for a whole suite: a hang fails the suite (and its `after` stops the nodes) instead of blocking the run. */
export const SUITE_TIMEOUT_MS = 180_000;

/** Polls `check` every 50 ms until it returns true, failing after `timeoutMs` with `what`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until every node counts `count` servers (each has subscribed, so none misses a broadcast). */
export function waitForServerCount(nodes: ClusterNode[], count: number, timeoutMs = 5000): Promise<void> {
  return eventually(
    `every node counts ${count} servers`,
    async () => {
      const counts = await Promise.all(nodes.map((node) => node.call<number>('serverCount')));
      return counts.every((c) => c === count);
    },
    timeoutMs,
  );
}

/** A connected @switchboard/client socket with `auth.name`, over WebSocket. */
export async function connectClient(url: string, name: string): Promise<Socket> {
  // `url` may end with a namespace, e.g. http://127.0.0.1:3000/other.
  const socket = io(url, { forceNew: true, transports: ['websocket'], auth: { name }, reconnection: false });
  await waitForOutcome(socket, 'connect', 'connect_error', 5000, name);
  return socket;
}

/** Records every event a client receives (name and arguments), in order. */
export function recordEvents(socket: Socket): { event: string; args: unknown[] }[] {
  const events: { event: string; args: unknown[] }[] = [];
  socket.onAny((...args: unknown[]) => void events.push({ event: String(args[0]), args: args.slice(1) }));
  return events;
}

/** A port nobody listens on right now (for a private redis-server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A private redis-server (never the shared one), for tests that stop and restart Redis. */
export class PrivateRedis {
  #child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 5000);
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${String(code)}: ${out}`));
      });
    });
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered, as with a half-open connection. */
  async pause(): Promise<void> {
    this.#child?.kill('SIGSTOP');
    await Promise.resolve();
  }

  /** Lets a paused server go on (SIGCONT); harmless on a running or stopped one. */
  async resume(): Promise<void> {
    if (this.#child !== undefined && this.#child.exitCode === null) this.#child.kill('SIGCONT');
    await Promise.resolve();
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}
