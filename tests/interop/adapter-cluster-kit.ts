// Two server nodes as child processes sharing one of socket.io's own adapters (Redis, Postgres, node:cluster...),
// driven over IPC, with official clients spread over them; and the suite every adapter runs on that cluster.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';

/** Which of socket.io's adapters a node uses; `key` is unique per test (Redis key/channel prefix, table name...). */
export interface AdapterSetup {
  kind: 'redis' | 'redis-ioredis' | 'redis-sharded' | 'redis-streams' | 'postgres' | 'cluster';
  key: string;
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
const START_TIMEOUT_MS = 15_000;
const CALL_TIMEOUT_MS = 5_000;

/** A unique prefix for one test's keys, channels and tables (the services are shared). */
export function uniqueKey(label: string): string {
  return `sbtest_${label}_${randomBytes(5).toString('hex')}`;
}

/** One child process; under node:cluster it hosts two workers, each a node. */
class NodeProcess {
  readonly child: ChildProcess;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #waiters = new Set<{ worker: number; name: string; predicate: (args: unknown[]) => boolean; resolve: (args: unknown[]) => void }>();
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
    return withTimeout(new Promise<number>((resolve) => this.#ready.set(worker, resolve)), START_TIMEOUT_MS, 'node start');
  }

  node(name: string, port: number, worker: number | undefined): ClusterNode {
    return {
      name,
      url: `http://127.0.0.1:${port}`,
      call: <T>(op: string, args: Record<string, unknown> = {}) => {
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
          new Promise<unknown[]>((resolve) => this.#waiters.add({ worker: worker ?? 0, name: event, predicate, resolve })),
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
  close(): Promise<void>;
}

/** Starts the nodes (two processes, or one node:cluster primary with two workers for the cluster adapter). */
export async function startCluster(setups: NodeSetup[]): Promise<TestCluster> {
  const processes: NodeProcess[] = [];
  const nodes: ClusterNode[] = [];
  const clients: ClientSocket[] = [];
  const first = setups[0];
  if (first === undefined) throw new Error('startCluster needs at least one node setup');
  if (first.adapter.kind === 'cluster') {
    const primary = new NodeProcess(first);
    processes.push(primary);
    const ports = await Promise.all([primary.ready(0), primary.ready(1)]);
    ports.forEach((port, worker) => nodes.push(primary.node(`${first.name}-${worker}`, port, worker)));
  } else {
    for (const setup of setups) processes.push(new NodeProcess(setup));
    const ports = await Promise.all(processes.map((p) => p.ready(0)));
    ports.forEach((port, index) => nodes.push((processes[index] as NodeProcess).node((setups[index] as NodeSetup).name, port, undefined)));
  }
  return {
    nodes,
    async client(node, name, opts = {}) {
      const socket = connect(node.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { name }, ...opts });
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
export async function eventually<T>(check: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms (last value ${JSON.stringify(value)})`);
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
      await withTimeout(new Promise<void>((resolve) => this.#waiters.push({ event, resolve })), timeoutMs, `event ${event}`);
    }
    return this.events.splice(0, this.events.length);
  }
}

/** What an adapter's cluster is expected to support (all of it unless said otherwise). */
export interface SuiteOptions {
  /** Node setups for the two nodes, made fresh for the suite (unique keys). */
  setups: () => NodeSetup[];
  /** Prepares shared state before the nodes start (e.g. a table) and removes it after. */
  prepare?: (setups: NodeSetup[]) => Promise<() => Promise<void>>;
}

/**
 * The cluster suite every adapter runs: clients a1 on node A, b1 and b2 on node B; every operation starts on node A
 * (a mixed cluster runs it twice, each implementation in turn being A).
 */
export function describeAdapterCluster(title: string, options: SuiteOptions): void {
  describe(title, { timeout: 40_000 }, () => {
    let cluster: TestCluster;
    let cleanup: (() => Promise<void>) | undefined;
    let a: ClusterNode;
    let b: ClusterNode;
    const sockets: Record<string, ClientSocket> = {};
    const logs: Record<string, EventLog> = {};

    before(async () => {
      const setups = options.setups();
      cleanup = await options.prepare?.(setups);
      cluster = await startCluster(setups);
      [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
      const recovery = setups.some((setup) => setup.recovery === true);
      for (const [name, node] of [['a1', a], ['b1', b], ['b2', b]] as const) {
        const socket = await cluster.client(node, name);
        // Every client answers acknowledged events with its name.
        socket.on('question', (ack: (answer: string) => void) => ack(name));
        socket.on('direct-question', (ack: (answer: string) => void) => ack(`${name} answers`));
        sockets[name] = socket;
        logs[name] = new EventLog(socket, recovery);
      }
      // Heartbeat-based adapters learn about their peer shortly after it starts.
      await eventually(() => a.call<number>('serverCount'), (count) => count === 2);
      await eventually(() => b.call<number>('serverCount'), (count) => count === 2);
    });

    after(async () => {
      await cluster?.close();
      await cleanup?.();
    });

    const socketId = (name: string): string => sockets[name]?.id as string;

    /** Emits `marker` to everyone from node A, then returns the events each client received before it. */
    async function receivedBeforeMarker(marker: string): Promise<Record<string, string[]>> {
      await a.call('emit', { event: marker, args: [] });
      const received: Record<string, string[]> = {};
      for (const name of ['a1', 'b1', 'b2']) {
        received[name] = (await (logs[name] as EventLog).drainUntil(marker)).map(([event]) => event).filter((e) => e !== marker);
      }
      return received;
    }

    it('counts two servers on each node', async () => {
      assert.deepEqual([await a.call('serverCount'), await b.call('serverCount')], [2, 2]);
    });

    it('delivers a broadcast from node A to the clients of both nodes, with its arguments', async () => {
      await a.call('emit', { event: 'news', args: ['hello', { n: 1 }] });
      const got = await Promise.all(['a1', 'b1', 'b2'].map((name) => (logs[name] as EventLog).drainUntil('news')));
      assert.deepEqual(got, [[['news', 'hello', { n: 1 }]], [['news', 'hello', { n: 1 }]], [['news', 'hello', { n: 1 }]]]);
    });

    it('makes sockets of both nodes join a room from node A, and a room broadcast reaches only its members', async () => {
      await a.call('socketsJoin', { to: [socketId('a1'), socketId('b1')], rooms: ['red'] });
      await eventually(
        () => a.call<{ id: string }[]>('fetchSockets', { to: ['red'] }),
        (sockets) => sockets.length === 2,
      );
      await a.call('emit', { to: ['red'], event: 'red-news', args: [] });
      assert.deepEqual(await receivedBeforeMarker('marker-1'), { a1: ['red-news'], b1: ['red-news'], b2: [] });
    });

    it('leaves out the sockets of an excepted room on both nodes', async () => {
      await a.call('emit', { except: ['red'], event: 'not-red', args: [] });
      assert.deepEqual(await receivedBeforeMarker('marker-2'), { a1: [], b1: [], b2: ['not-red'] });
    });

    it('keeps a local broadcast on its own node', async () => {
      await b.call('emit', { local: true, event: 'b-only', args: [] });
      await a.call('emit', { local: true, event: 'a-only', args: [] });
      assert.deepEqual(await receivedBeforeMarker('marker-3'), { a1: ['a-only'], b1: ['b-only'], b2: ['b-only'] });
    });

    it('collects broadcast acknowledgements from the clients of both nodes', async () => {
      const answers = await a.call<string[]>('emitWithAck', { event: 'question', args: [], timeoutMs: 3000 });
      assert.deepEqual([...answers].sort(), ['a1', 'b1', 'b2']);
    });

    it('fetches the sockets of both nodes with their rooms and data', async () => {
      const found = await a.call<{ id: string; rooms: string[]; data: { name: string } }[]>('fetchSockets');
      const byName = Object.fromEntries(found.map((s) => [s.data.name, s]));
      assert.deepEqual(Object.keys(byName).sort(), ['a1', 'b1', 'b2']);
      assert.deepEqual(byName['b1'], { id: socketId('b1'), rooms: ['red', socketId('b1')].sort(), data: { name: 'b1' } });
    });

    it('emits to a socket of node B through its RemoteSocket, acknowledgement included', async () => {
      await a.call('remoteEmit', { socketId: socketId('b2'), event: 'direct', args: [42] });
      assert.deepEqual(await (logs['b2'] as EventLog).drainUntil('direct'), [['direct', 42]]);
      const answer = await a.call('remoteEmit', { socketId: socketId('b1'), event: 'direct-question', args: [], timeoutMs: 3000 });
      assert.equal(answer, 'b1 answers');
    });

    it('delivers a server-side emit to the other node and collects its acknowledgement', async () => {
      const heard = b.nextEvent('peer-hello', ([payload]) => payload === 'plain');
      await a.call('serverSideEmit', { event: 'peer-hello', args: ['plain'] });
      assert.deepEqual(await heard, ['plain']);
      const answers = await a.call('serverSideEmitWithAck', { event: 'peer-hello', args: ['asked'] });
      assert.deepEqual(answers, [`${b.name}:asked`]);
    });

    it('makes sockets of node B leave a room from node A', async () => {
      await a.call('socketsLeave', { to: [socketId('b1')], rooms: ['red'] });
      await eventually(
        () => a.call<{ id: string }[]>('fetchSockets', { to: ['red'] }),
        (sockets) => sockets.length === 1,
      );
      await a.call('emit', { to: ['red'], event: 'red-again', args: [] });
      assert.deepEqual(await receivedBeforeMarker('marker-4'), { a1: ['red-again'], b1: [], b2: [] });
    });

    it('disconnects a socket of node B from node A', async () => {
      const disconnected = new Promise<string>((resolve) => sockets['b2']?.once('disconnect', resolve));
      await a.call('disconnectSockets', { to: [socketId('b2')] });
      assert.equal(await withTimeout(disconnected, CALL_TIMEOUT_MS, 'b2 disconnect'), 'io server disconnect');
    });

    it('counts no adapter failure on our nodes', async () => {
      for (const node of [a, b]) {
        const failures = await node.call<number | null>('adapterFailureCount');
        // null: the official socket.io node of a mixed cluster has no such counter.
        if (failures !== null) assert.equal(failures, 0, node.name);
      }
    });
  });
}
