// One Socket.IO server node in a cluster test: ours (or the official server), with one of socket.io's own adapters,
// driven by the test process over IPC (see adapter-cluster-kit.ts). Under node:cluster the primary relays.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as OfficialServer } from 'socket.io';
import { Server, type ServerOptions } from '@switchboard/server';
import type { AdapterSetup, KitCommand, KitMessage, NodeSetup } from './adapter-cluster-kit.js';

type AnyServer = Server;
type Cleanup = () => unknown;

/** The adapter factory for `setup.adapter`, plus what must be closed with the node. */
async function createAdapterFactory(
  adapter: AdapterSetup,
): Promise<{ factory: ServerOptions['adapter']; cleanups: Cleanup[] }> {
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  switch (adapter.kind) {
    case 'redis':
    case 'redis-sharded': {
      const { createClient } = await import('redis');
      const pub = createClient({ url: redisUrl });
      const sub = pub.duplicate();
      // A broken connection is reported by the client as an 'error' event: logged, the test sees the outcome.
      for (const client of [pub, sub]) client.on('error', (err: unknown) => console.error('redis client:', err));
      await Promise.all([pub.connect(), sub.connect()]);
      const redisAdapter = await import('@socket.io/redis-adapter');
      const factory =
        adapter.kind === 'redis'
          ? redisAdapter.createAdapter(pub, sub, { key: adapter.key, requestsTimeout: 2000 })
          : redisAdapter.createShardedAdapter(pub, sub, { channelPrefix: adapter.key });
      return { factory, cleanups: [() => pub.quit(), () => sub.quit()] };
    }
    case 'redis-ioredis': {
      const { Redis } = await import('ioredis');
      const pub = new Redis(redisUrl);
      const sub = pub.duplicate();
      const { createAdapter } = await import('@socket.io/redis-adapter');
      const factory = createAdapter(pub, sub, { key: adapter.key, requestsTimeout: 2000 });
      return { factory, cleanups: [() => pub.quit(), () => sub.quit()] };
    }
    case 'redis-streams': {
      const client = await connectStreamsClient(adapter, redisUrl);
      const { createAdapter } = await import('@socket.io/redis-streams-adapter');
      const factory = createAdapter(client, {
        streamName: `${adapter.key}-stream`,
        sessionKeyPrefix: `${adapter.key}-session:`,
        // Channels of the test's own: with the default prefix, concurrent tests would count each other's servers.
        channelPrefix: adapter.key,
        heartbeatInterval: 500,
        ...adapter.options,
      });
      return { factory, cleanups: [() => client.quit()] };
    }
    case 'switchboard-redis-streams': {
      const client = await connectStreamsClient(adapter, redisUrl);
      const { createAdapter } = await import('@switchboard/redis-streams-adapter');
      const factory = createAdapter(client as never, {
        streamName: `${adapter.key}-stream`,
        sessionKeyPrefix: `${adapter.key}-session:`,
        channelPrefix: adapter.key,
        ...adapter.options,
      });
      return { factory, cleanups: [() => client.quit()] };
    }
    case 'postgres': {
      const pg = await import('pg');
      // Two connections: one the adapter holds for LISTEN, one for its queries. The official adapter sends one query
      // per message over the pool, so with more connections its messages can overtake one another (PostgreSQL
      // delivers in commit order), which the suite's order-based checks read as failures on a busy machine.
      const pool = new pg.default.Pool({
        connectionString: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        max: 2,
      });
      pool.on('error', (err: unknown) => console.error('pg pool:', err));
      const { createAdapter } = await import('@socket.io/postgres-adapter');
      const factory = createAdapter(pool, {
        tableName: adapter.key,
        channelPrefix: adapter.key,
        heartbeatInterval: 500,
      });
      return { factory, cleanups: [() => pool.end()] };
    }
    case 'switchboard-postgres': {
      // Ours, on the same channels and table as the official one: a mixed cluster.
      const pg = await import('pg');
      const pool = new pg.default.Pool({
        connectionString: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      });
      pool.on('error', (err: unknown) => console.error('pg pool:', err));
      const { createAdapter } = await import('@switchboard/postgres-adapter');
      const factory = createAdapter(pool, {
        tableName: adapter.key,
        channelPrefix: adapter.key,
        heartbeatInterval: 500,
      });
      return { factory, cleanups: [() => pool.end()] };
    }
    case 'cluster': {
      const { createAdapter } = await import('@socket.io/cluster-adapter');
      return { factory: createAdapter({ heartbeatInterval: 500 }), cleanups: [] };
    }
  }
}

/** The one client a streams adapter takes, connected: node-redis v4, or ioredis (ready before the adapter uses it). */
async function connectStreamsClient(adapter: AdapterSetup, redisUrl: string): Promise<{ quit(): Promise<unknown> }> {
  if (adapter.client === 'ioredis') {
    const { Redis } = await import('ioredis');
    const client = new Redis(redisUrl);
    client.on('error', (err: unknown) => console.error('redis client:', err));
    if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    return client;
  }
  const { createClient } = await import('redis');
  const client = createClient({ url: redisUrl });
  client.on('error', (err: unknown) => console.error('redis client:', err));
  await client.connect();
  return client;
}

async function startNode(setup: NodeSetup, send: (message: KitMessage) => void): Promise<void> {
  const { factory, cleanups } = await createAdapterFactory(setup.adapter);
  const httpServer = createServer();
  const recovery = setup.recovery === true ? { connectionStateRecovery: { maxDisconnectionDuration: 30_000 } } : {};
  // Ours takes socket.io's adapter factories as they are typed (no cast): that is part of what is tested.
  const io: AnyServer =
    setup.implementation === 'socket.io'
      ? (new OfficialServer(httpServer, { adapter: factory as never, ...recovery }) as unknown as AnyServer)
      : new Server(httpServer, { adapter: factory, ...recovery });

  io.on('connection', (socket) => {
    socket.data = { name: (socket.handshake.auth as { name?: unknown }).name };
    send({ kind: 'event', name: 'connection', args: [socket.id, socket.recovered] });
    socket.on('disconnect', (reason) => send({ kind: 'event', name: 'disconnect', args: [socket.id, reason] }));
  });
  // A server-side emit from another node: reported to the test, and acknowledged with this node's name.
  io.on(
    'peer-hello' as never,
    ((payload: unknown, ack?: (answer: unknown) => void) => {
      send({ kind: 'event', name: 'peer-hello', args: [payload] });
      ack?.(`${setup.name}:${String(payload)}`);
    }) as never,
  );

  const target = (args: { to?: string[]; except?: string[]; local?: boolean }) => {
    let operator = args.to !== undefined ? io.to(args.to) : io.except([]);
    if (args.except !== undefined) operator = operator.except(args.except);
    if (args.local === true) operator = operator.local;
    return operator;
  };

  const handlers: Record<string, (args: Record<string, unknown>) => unknown> = {
    emit: (a) => target(a).emit(a['event'] as string, ...(a['args'] as unknown[])),
    // Binary and a payload past Postgres' NOTIFY limit (8000 bytes): made here, as IPC carries JSON only.
    emitSamples: () => io.emit('samples', Buffer.from([1, 2, 3]), 'x'.repeat(20_000)),
    emitWithAck: (a) =>
      target(a)
        .timeout(a['timeoutMs'] as number)
        .emitWithAck(a['event'] as string, ...(a['args'] as unknown[])),
    fetchSockets: async (a) =>
      (await target(a).fetchSockets()).map((s) => ({ id: s.id, rooms: [...s.rooms].sort(), data: s.data })),
    remoteEmit: async (a) => {
      const socket = (await io.fetchSockets()).find((s) => s.id === a['socketId']);
      if (socket === undefined) return 'not found';
      if (a['timeoutMs'] === undefined) return socket.emit(a['event'] as string, ...(a['args'] as unknown[]));
      return socket.timeout(a['timeoutMs'] as number).emitWithAck(a['event'] as string, ...(a['args'] as unknown[]));
    },
    serverSideEmit: (a) => io.serverSideEmit(a['event'] as string, ...(a['args'] as unknown[])),
    serverSideEmitWithAck: async (a) =>
      ((await io.serverSideEmitWithAck(a['event'] as string, ...(a['args'] as unknown[]))) as unknown[]).sort(),
    socketsJoin: (a) => target(a).socketsJoin(a['rooms'] as string[]),
    socketsLeave: (a) => target(a).socketsLeave(a['rooms'] as string[]),
    disconnectSockets: (a) => target(a).disconnectSockets(a['close'] === true),
    serverCount: () => io.of('/').adapter.serverCount(),
    localRooms: () => [...io.of('/').adapter.rooms.keys()].sort(),
    adapterFailureCount: () => (io as { adapterFailureCount?: number }).adapterFailureCount ?? null,
    close: async () => {
      await io.close();
      for (const cleanup of cleanups) await cleanup();
      setImmediate(() => process.exit(0));
    },
  };

  const onCommand = async (command: KitCommand): Promise<void> => {
    const handler = handlers[command.op];
    try {
      if (handler === undefined) throw new Error(`unknown op ${command.op}`);
      const result = await handler(command.args);
      send({ kind: 'reply', id: command.id, ok: true, result: result === undefined ? null : result });
    } catch (err) {
      send({ kind: 'reply', id: command.id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  };
  process.on('message', (message: { kind?: string }) => {
    if (message?.kind === 'command') void onCommand(message as KitCommand);
  });

  await new Promise<void>((resolve) => httpServer.listen({ port: 0, host: '127.0.0.1', exclusive: true }, resolve));
  send({ kind: 'ready', port: (httpServer.address() as AddressInfo).port });
}

/** The node:cluster primary: socket.io's relay for the workers, plus ours for the test's commands and replies. */
async function startPrimary(setup: NodeSetup): Promise<void> {
  const { setupPrimary } = await import('@socket.io/cluster-adapter');
  setupPrimary();
  // Advanced serialization, as socket.io's documentation advises for this adapter: with JSON, Buffers in broadcasts
  // would reach the other worker as {type, data} objects.
  cluster.setupPrimary({ serialization: 'advanced' });
  const workers = [0, 1].map((index) =>
    cluster.fork({ ADAPTER_NODE_SETUP: JSON.stringify({ ...setup, name: `${setup.name}-${index}`, worker: index }) }),
  );
  workers.forEach((worker, index) => {
    worker.on('message', (message: KitMessage & { source?: string }) => {
      if (message.source === undefined) process.send?.({ ...message, worker: index });
    });
  });
  process.on('message', (message: KitCommand) => {
    if (message?.kind === 'command') workers[message.worker ?? 0]?.send(message);
  });
  process.on('disconnect', () => {
    for (const worker of workers) worker.kill();
    process.exit(0);
  });
}

const setup = JSON.parse(process.env['ADAPTER_NODE_SETUP'] ?? '{}') as NodeSetup;
const send = (message: KitMessage): void => {
  process.send?.(message);
};
if (setup.adapter.kind === 'cluster' && cluster.isPrimary) {
  await startPrimary(setup);
} else {
  // The test process (or the primary) going away takes the node with it, whatever state it is in.
  process.on('disconnect', () => process.exit(0));
  await startNode(setup, send);
}
