// A cluster node for the Redis adapter suites, run as a child process and driven over IPC. It serves Socket.IO on
// 127.0.0.1 with either implementation (ours with @switchboard/redis-adapter, or socket.io 4.8 with
// @socket.io/redis-adapter) over either Redis client (node-redis, ioredis), and carries out the commands the test
// sends: broadcasts, fetchSockets and remote sockets, socketsJoin/Leave, disconnectSockets, serverSideEmit.
// Usage: node --conditions=switchboard-source --import tsx redis-node.ts '<json NodeConfig>'
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { NodeCommand, NodeConfig, NodeMessage } from './redis-cluster.js';

const config = JSON.parse(process.argv[2] ?? '{}') as NodeConfig;

function send(message: NodeMessage): void {
  process.send?.(message);
}

// Failing loudly is the point: the test asserts that none of these were reported.
process.on('unhandledRejection', (reason) =>
  send({ kind: 'unhandled', detail: String((reason as Error)?.stack ?? reason) }),
);
process.on('uncaughtException', (err) => send({ kind: 'unhandled', detail: String(err.stack ?? err) }));

/** The slice of the server API both implementations share and this script uses. */
interface AnyOperator {
  to(room: string | string[]): AnyOperator;
  except(room: string | string[]): AnyOperator;
  readonly local: AnyOperator;
  timeout(ms: number): AnyOperator;
  emit(ev: string, ...args: unknown[]): boolean;
  emitWithAck(ev: string, ...args: unknown[]): Promise<unknown>;
  fetchSockets(): Promise<AnyRemoteSocket[]>;
  socketsJoin(room: string | string[]): void;
  socketsLeave(room: string | string[]): void;
  disconnectSockets(close?: boolean): void;
}
interface AnyRemoteSocket {
  id: string;
  rooms: Set<string>;
  data: unknown;
  emit(ev: string, ...args: unknown[]): boolean;
  timeout(ms: number): { emitWithAck(ev: string, ...args: unknown[]): Promise<unknown> };
  join(room: string): unknown;
  leave(room: string): unknown;
  disconnect(close?: boolean): unknown;
}
interface AnySocket {
  id: string;
  data: Record<string, unknown>;
  handshake: { auth: Record<string, unknown> };
  join(room: string): unknown;
  on(ev: string, listener: (...args: unknown[]) => void): unknown;
}
interface AnyServer extends AnyOperator {
  of(nsp: string): AnyOperator & { adapter: { serverCount(): Promise<number>; allRooms?(): Promise<Set<string>> } };
  on(ev: string, listener: (...args: never[]) => void): unknown;
  serverSideEmit(ev: string, ...args: unknown[]): boolean;
  serverSideEmitWithAck(ev: string, ...args: unknown[]): Promise<unknown[]>;
  close(): Promise<void> | void;
}

async function connectRedis(): Promise<{ pub: unknown; sub: unknown; quit(): Promise<void> }> {
  // Only the client in use is loaded: each costs startup time, and a node's startup is most of a suite's time.
  if (config.client === 'ioredis') {
    const { Redis } = await import('ioredis');
    const pub = new Redis(config.redisUrl);
    const sub = pub.duplicate();
    return {
      pub,
      sub,
      quit: async () => {
        await Promise.allSettled([pub.quit(), sub.quit()]);
      },
    };
  }
  // Short reconnection steps, so a restarted Redis is found again quickly.
  const options = {
    url: config.redisUrl,
    socket: { reconnectStrategy: (retries: number) => Math.min(50 * (retries + 1), 300) },
  };
  if (config.client === 'node-redis-v5') {
    const { createClient } = await import('redis-v5');
    const pub = createClient(options);
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    return {
      pub,
      sub,
      quit: async () => {
        await Promise.allSettled([pub.close(), sub.close()]);
      },
    };
  }
  const { createClient } = await import('redis');
  const pub = createClient(options);
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    pub,
    sub,
    quit: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

async function createIo(httpServer: ReturnType<typeof createServer>, pub: unknown, sub: unknown): Promise<AnyServer> {
  const opts = {
    key: config.key,
    requestsTimeout: config.requestsTimeout,
    publishOnSpecificResponseChannel: config.publishOnSpecificResponseChannel === true,
  };
  if (config.impl === 'official') {
    const { Server } = await import('socket.io');
    const { createAdapter } = await import('@socket.io/redis-adapter');
    const adapter = createAdapter(pub, sub, opts);
    return new Server(httpServer, { adapter }) as unknown as AnyServer;
  }
  const { Server } = await import('@switchboard/server');
  const { createAdapter } = await import('@switchboard/redis-adapter');
  const adapter = createAdapter(pub as never, sub as never, {
    ...opts,
    ...(config.deliverAfterPublish === undefined ? {} : { deliverAfterPublish: config.deliverAfterPublish }),
  });
  return new Server(httpServer, { adapter }) as unknown as AnyServer;
}

const redis = await connectRedis();
if (config.client === 'ioredis') {
  // ioredis connects on its own; wait for both so the adapter subscribes on a ready client.
  for (const client of [redis.pub, redis.sub] as Redis[])
    if (client.status !== 'ready') await new Promise((r) => client.once('ready', r));
}
const httpServer = createServer();
const io = await createIo(httpServer, redis.pub, redis.sub);

function onConnection(socket: AnySocket): void {
  socket.data = { name: socket.handshake.auth['name'] };
  socket.on('join', (room, ack) => {
    void Promise.resolve(socket.join(room as string)).then(() => (ack as () => void)());
  });
}
io.on('connection', onConnection);
// A second namespace, to check that namespaces stay apart across the cluster.
(io.of('/other') as unknown as AnyServer).on('connection', onConnection);
for (const event of ['server-event', 'server-question']) {
  io.on(event, (...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof ack === 'function') (ack as (answer: unknown) => void)(`answer from ${config.name}`);
    send({ kind: 'server-side', event, args: args.filter((a) => typeof a !== 'function') });
  });
}

function target(args: NodeCommand['args']): AnyOperator {
  let operator: AnyOperator = args.nsp === undefined ? io : io.of(args.nsp);
  if (args.rooms !== undefined && args.rooms.length > 0) operator = operator.to(args.rooms);
  if (args.except !== undefined && args.except.length > 0) operator = operator.except(args.except);
  if (args.local === true) operator = operator.local;
  return operator;
}

function toBuffers(values: unknown[] | undefined, binary: boolean | undefined): unknown[] {
  // Binary cannot cross IPC as bytes: the test sends arrays of numbers and marks them.
  return (values ?? []).map((value) =>
    binary === true && Array.isArray(value) ? Buffer.from(value as number[]) : value,
  );
}

async function remote(id: string | undefined): Promise<AnyRemoteSocket> {
  const sockets = await io.fetchSockets();
  const found = sockets.find((socket) => socket.id === id);
  if (found === undefined) throw new Error(`no socket ${String(id)} in the cluster`);
  return found;
}

async function run(command: NodeCommand): Promise<unknown> {
  const { args } = command;
  switch (command.cmd) {
    case 'emit':
      return target(args).emit(args.event ?? 'message', ...toBuffers(args.values, args.binary));
    case 'emitWithAck':
      return target(args)
        .timeout(args.timeoutMs ?? 2000)
        .emitWithAck(args.event ?? 'message', ...(args.values ?? []));
    case 'fetchSockets':
      return (await target(args).fetchSockets()).map((s) => ({ id: s.id, rooms: [...s.rooms].sort(), data: s.data }));
    case 'remoteEmit':
      return (await remote(args.socketId)).emit(args.event ?? 'message', ...(args.values ?? []));
    case 'remoteEmitWithAck':
      return (await remote(args.socketId)).timeout(args.timeoutMs ?? 2000).emitWithAck(args.event ?? 'message');
    case 'remoteJoin':
      return void (await remote(args.socketId)).join(args.room ?? '');
    case 'remoteLeave':
      return void (await remote(args.socketId)).leave(args.room ?? '');
    case 'remoteDisconnect':
      return void (await remote(args.socketId)).disconnect();
    case 'socketsJoin': {
      target(args).socketsJoin(args.room ?? '');
      return;
    }
    case 'socketsLeave': {
      target(args).socketsLeave(args.room ?? '');
      return;
    }
    case 'disconnectSockets': {
      target(args).disconnectSockets(args.close === true);
      return;
    }
    case 'serverSideEmit':
      return io.serverSideEmit(args.event ?? 'server-event', ...(args.values ?? []));
    case 'serverSideEmitWithAck':
      return io.serverSideEmitWithAck(args.event ?? 'server-question', ...(args.values ?? []));
    case 'serverCount':
      return io.of('/').adapter.serverCount();
    case 'allRooms':
      return [...((await io.of('/').adapter.allRooms?.()) ?? [])].sort();
  }
}

process.on('message', (command: NodeCommand) => {
  run(command).then(
    (result) => send({ kind: 'reply', id: command.id, result }),
    (err: unknown) => {
      const { code, message } = err as { code?: unknown; message?: unknown };
      send({
        kind: 'reply',
        id: command.id,
        error: { code: typeof code === 'string' ? code : undefined, message: String(message) },
      });
    },
  );
});
// The test closing the IPC channel (or dying) ends this node.
process.on('disconnect', () => {
  // Bounded: a Redis client's quit may never settle once its connection is gone.
  const graceful = Promise.resolve(io.close()).then(() => redis.quit());
  void Promise.race([graceful, new Promise((resolve) => setTimeout(resolve, 1000))]).finally(() => process.exit(0));
});

httpServer.listen(0, '127.0.0.1', () => send({ kind: 'ready', port: (httpServer.address() as AddressInfo).port }));
