// A node:cluster application for the cluster tests: the primary routes connections (sticky) and relays the adapter's
// messages; each worker is a Socket.IO server (ours or socket.io 4.8) with a node:cluster adapter (ours or
// socket.io's). The test process drives it over IPC: commands go through the primary to one worker.
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The stack of one worker. */
export interface WorkerStack {
  server: 'switchboard' | 'socket.io';
  adapter: 'switchboard' | 'socket.io';
}

/** How the test wants the application built. */
export interface AppConfig {
  workers: WorkerStack[];
  /** Whose primary side: the sticky router and the adapter relay. */
  primary: 'switchboard' | 'socket.io';
  loadBalancingMethod: 'round-robin' | 'random' | 'least-connection';
  requestsTimeout: number;
  heartbeatInterval: number;
  heartbeatTimeout: number;
  /** The servers' pingInterval (pingTimeout is the same): raw sessions in the tests must outlive a test. */
  pingInterval: number;
  /** Fork a replacement when a worker dies, as node:cluster's examples do. */
  respawn: boolean;
  /** The servers' connectTimeout (default theirs, 45 s): how long a connection may go without a namespace CONNECT. */
  connectTimeout?: number;
}

/** Test → primary. */
export interface AppCommand {
  kind: 'command';
  id: number;
  /** The worker index the command runs on; primary commands ignore it. */
  worker: number;
  op: string;
  args: unknown[];
}

/** Primary → test. */
export type AppMessage =
  | { kind: 'ready'; port: number }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; code: string | undefined; message: string; elapsedMs: number }
  | { kind: 'worker-ready'; worker: number; pid: number }
  | { kind: 'hang-heard'; worker: number };

const config = JSON.parse(process.env.CLUSTER_APP_CONFIG ?? '{}') as AppConfig;

function reply(send: (m: AppMessage) => void, id: number, run: () => unknown): void {
  const startedAt = Date.now();
  Promise.resolve()
    .then(run)
    .then(
      (value) => send({ kind: 'reply', id, ok: true, value }),
      (err: unknown) => {
        const e = err as { code?: unknown; message?: unknown };
        send({
          kind: 'reply',
          id,
          ok: false,
          code: typeof e.code === 'string' ? e.code : undefined,
          message: String(e.message),
          elapsedMs: Date.now() - startedAt,
        });
      },
    );
}

async function startPrimary(): Promise<void> {
  const httpServer = createServer();
  let sessionCounts: () => unknown = () => null;
  if (config.primary === 'switchboard') {
    const { setupPrimary } = await import('@switchboard/cluster-adapter');
    const { setupMaster } = await import('@switchboard/sticky');
    setupPrimary();
    const sticky = setupMaster(httpServer, { loadBalancingMethod: config.loadBalancingMethod });
    sessionCounts = () => Object.fromEntries(sticky.sessionCounts());
  } else {
    const { setupPrimary } = await import('@socket.io/cluster-adapter');
    const { setupMaster } = (await import('@socket.io/sticky')) as unknown as {
      setupMaster(server: unknown, opts: { loadBalancingMethod: string }): void;
    };
    setupPrimary();
    setupMaster(httpServer, { loadBalancingMethod: config.loadBalancingMethod });
  }
  cluster.setupPrimary({ serialization: 'advanced' });

  const workers = new Map<number, Worker>();
  const toTest = (message: AppMessage): void => {
    process.send?.(message);
  };
  const fork = (index: number): void => {
    const worker = cluster.fork({ CLUSTER_APP_WORKER: String(index) });
    workers.set(index, worker);
    // The application's messages carry a `kind`; the adapter's and the router's do not.
    worker.on('message', (message: Partial<AppMessage>) => {
      if (typeof message?.kind === 'string') toTest(message as AppMessage);
    });
    worker.on('exit', () => {
      if (workers.get(index) !== worker) return;
      workers.delete(index);
      if (config.respawn && process.connected) fork(index);
    });
  };
  config.workers.forEach((_stack, index) => fork(index));

  process.on('message', (command: AppCommand) => {
    if (command?.kind !== 'command') return;
    if (command.op === 'kill' || command.op === 'signal') {
      // kill: SIGKILL; signal: the one named (SIGSTOP freezes a worker, so it acknowledges no handed-over connection).
      const signal = command.op === 'kill' ? 'SIGKILL' : (String(command.args[0]) as NodeJS.Signals);
      reply(toTest, command.id, () => {
        const worker = workers.get(command.worker);
        worker?.process.kill(signal);
        return worker?.process.pid ?? null;
      });
    } else if (command.op === 'sessionCounts') {
      reply(toTest, command.id, sessionCounts);
    } else {
      workers.get(command.worker)?.send(command);
    }
  });
  process.on('disconnect', () => {
    for (const worker of workers.values()) worker.process.kill('SIGKILL');
    process.exit(0);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  toTest({ kind: 'ready', port: (httpServer.address() as AddressInfo).port });
}

interface AnyServer {
  emit(event: string, ...args: unknown[]): unknown;
  on(event: 'connection', listener: (socket: AnySocket) => void): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  of(nsp: string): { adapter: { serverCount(): Promise<number> } };
  serverSideEmitWithAck(event: string, ...args: unknown[]): Promise<unknown[]>;
  fetchSockets(): Promise<{ id: string; data: unknown }[]>;
  engine: { clientsCount: number };
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> };
}
interface AnySocket {
  id: string;
  data: unknown;
  conn: { transport: { name: string } };
  on(event: string, listener: (...args: never[]) => void): unknown;
}

async function startWorker(index: number): Promise<void> {
  const stack = config.workers[index] as WorkerStack;
  const httpServer = createServer();
  const adapterOptions = {
    requestsTimeout: config.requestsTimeout,
    heartbeatInterval: config.heartbeatInterval,
    heartbeatTimeout: config.heartbeatTimeout,
  };
  const adapter =
    stack.adapter === 'switchboard'
      ? (await import('@switchboard/cluster-adapter')).createAdapter(adapterOptions)
      : (await import('@socket.io/cluster-adapter')).createAdapter(adapterOptions);
  const ServerClass =
    stack.server === 'switchboard' ? (await import('@switchboard/server')).Server : (await import('socket.io')).Server;
  const io = new (ServerClass as unknown as new (srv: unknown, opts: unknown) => AnyServer)(httpServer, {
    adapter,
    pingInterval: config.pingInterval,
    pingTimeout: config.pingInterval,
    ...(config.connectTimeout === undefined ? {} : { connectTimeout: config.connectTimeout }),
  });
  if (config.primary === 'switchboard') {
    const { setupWorker } = await import('@switchboard/sticky');
    setupWorker(io as unknown as Parameters<typeof setupWorker>[0]);
  } else {
    const { setupWorker } = (await import('@socket.io/sticky')) as unknown as { setupWorker(io: unknown): void };
    setupWorker(io);
  }

  const send = (message: AppMessage): void => {
    process.send?.(message);
  };
  io.on('connection', (socket: AnySocket) => {
    socket.data = { worker: index, pid: process.pid };
    socket.on('whoami', (callback: (answer: unknown) => void) =>
      callback({ worker: index, pid: process.pid, transport: socket.conn.transport.name }),
    );
  });
  io.on('ping-worker', (callback: (answer: unknown) => void) => callback({ worker: index, pid: process.pid }));
  // Heard and never answered: a request that waits on this worker until it dies.
  io.on('hang', () => send({ kind: 'hang-heard', worker: index }));

  process.on('message', (command: AppCommand) => {
    if (command?.kind !== 'command') return;
    reply(send, command.id, async () => {
      switch (command.op) {
        case 'broadcast':
          io.emit(String(command.args[0]), ...command.args.slice(1));
          return true;
        case 'burst': {
          // For the bench: `count` broadcasts, 50 back to back per event-loop turn.
          const count = Number(command.args[0]);
          for (let sent = 0; sent < count;) {
            for (let i = 0; i < 50 && sent < count; i++, sent++)
              io.emit('tick', sent, 'payload of the node-cluster bench');
            await new Promise((resolve) => setImmediate(resolve));
          }
          return count;
        }
        case 'serverCount':
          return io.of('/').adapter.serverCount();
        case 'serverSideEmitWithAck':
          return io.serverSideEmitWithAck(String(command.args[0]), ...command.args.slice(1));
        case 'fetchSockets':
          return (await io.fetchSockets()).map((s) => ({ id: s.id, data: s.data }));
        case 'clientsCount':
          return io.engine.clientsCount;
        default:
          throw new Error(`unknown op ${command.op}`);
      }
    });
  });
  send({ kind: 'worker-ready', worker: index, pid: process.pid });
}

if (cluster.isPrimary) await startPrimary();
else await startWorker(Number(process.env.CLUSTER_APP_WORKER));
