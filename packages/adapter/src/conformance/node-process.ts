// One server of the conformance cluster, run as a child process: a Switchboard server whose adapter comes from the
// author's factory module, driven over IPC by the suite. Server-side events it receives are reported back.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Server, type AdapterConstructor, type BroadcastOperator, type DefaultEventsMap } from '@switchboard/server';
import type { CommandMessage, Command, ConformanceNodeContext, NodeMessage, Reply, Target } from './protocol.js';

interface FactoryModule {
  createAdapter(context: ConformanceNodeContext): AdapterConstructor | Promise<AdapterConstructor>;
  closeAdapter?(): Promise<void> | void;
}

type Operator = BroadcastOperator<DefaultEventsMap, unknown>;

function send(message: NodeMessage): void {
  process.send?.(message);
}

function target(io: Server, t: Target): Operator {
  let op = io.to(t.rooms ?? []) as Operator;
  if (t.except !== undefined && t.except.length > 0) op = op.except(t.except);
  if (t.local === true) op = op.local;
  if (t.volatile === true) op = op.volatile;
  return op;
}

async function run(io: Server, command: Command, nodeIndex: number): Promise<unknown> {
  switch (command.op) {
    case 'emit':
      return target(io, command.target).emit(command.event, ...command.args);
    case 'emitWithAck':
      return target(io, command.target)
        .timeout(command.timeout)
        .emitWithAck(command.event, ...command.args);
    case 'fetchSockets': {
      const sockets = await target(io, command.target).fetchSockets();
      return sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data }));
    }
    case 'remoteSocket': {
      const socket = (await io.fetchSockets()).find((s) => s.id === command.socketId);
      if (socket === undefined) throw new Error(`socket ${command.socketId} not found from node ${nodeIndex}`);
      if (command.action === 'emit') socket.emit(command.event ?? 'direct', ...(command.args ?? []));
      else if (command.action === 'join') socket.join(command.room ?? '');
      else if (command.action === 'leave') socket.leave(command.room ?? '');
      else socket.disconnect(false);
      return true;
    }
    case 'socketsJoin':
      target(io, command.target).socketsJoin(command.room);
      return true;
    case 'socketsLeave':
      target(io, command.target).socketsLeave(command.room);
      return true;
    case 'disconnectSockets':
      target(io, command.target).disconnectSockets(false);
      return true;
    case 'serverSideEmit':
      return io.serverSideEmit(command.event, ...command.args);
    case 'serverSideEmitWithAck':
      return io.serverSideEmitWithAck(command.event, ...command.args);
    case 'serverCount':
      return io.of('/').adapter.serverCount();
    case 'allRooms': {
      // Not part of the Adapter interface: cluster adapters offer it (socket.io's do); null when this one does not.
      const adapter = io.of('/').adapter as { allRooms?: () => Promise<Set<string>> };
      return adapter.allRooms === undefined ? null : [...(await adapter.allRooms())];
    }
    case 'close':
      await io.close();
      return true;
  }
}

async function main(): Promise<void> {
  const context = JSON.parse(process.env.SWITCHBOARD_CONFORMANCE_CONTEXT ?? '{}') as ConformanceNodeContext;
  const modulePath = process.env.SWITCHBOARD_CONFORMANCE_FACTORY ?? '';
  const factory = (await import(
    modulePath.startsWith('file:') ? modulePath : pathToFileURL(modulePath).href
  )) as FactoryModule;
  const adapter = await factory.createAdapter(context);
  const httpServer = createServer();
  const io = new Server(httpServer, { adapter });
  const node = context.nodeIndex;

  io.on('connection', (socket) => {
    const auth = socket.handshake.auth as { name?: string; rooms?: string[] };
    socket.data = { node, name: auth.name };
    void socket.join(auth.rooms ?? []);
  });
  // Server-side events: 'note' is reported, 'whoami' answered, 'hang' reported and never answered.
  io.on('note', (...args: unknown[]) => send({ kind: 'server-side-event', event: 'note', args }));
  io.on('whoami', (arg: unknown, callback: (answer: unknown) => void) => callback({ node, arg }));
  io.on('hang', () => send({ kind: 'server-side-event', event: 'hang', args: [] }));

  process.on('message', (raw: CommandMessage | undefined) => {
    // The IPC channel may also carry the adapter's own traffic (the node:cluster adapter's relay).
    if (raw?.command === undefined) return;
    const startedAt = Date.now();
    run(io, raw.command, node)
      .then(
        (value) => send({ kind: 'reply', id: raw.id, reply: { ok: true, value } }),
        (err: unknown) => {
          const error = err as { code?: unknown; message?: unknown };
          const reply: Reply = {
            ok: false,
            code: typeof error.code === 'string' ? error.code : undefined,
            message: String(error.message),
            elapsedMs: Date.now() - startedAt,
          };
          send({ kind: 'reply', id: raw.id, reply });
        },
      )
      .finally(() => {
        if (raw.command.op !== 'close') return;
        void Promise.resolve(factory.closeAdapter?.()).finally(() => process.disconnect());
      });
  });

  // Exclusive: under node:cluster, workers listening on port 0 would otherwise share one port through the primary.
  httpServer.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () =>
    send({ kind: 'ready', port: (httpServer.address() as AddressInfo).port }),
  );
}

main().catch((err: unknown) => {
  send({ kind: 'fatal', message: String((err as Error).stack ?? err) });
  process.exitCode = 1;
  process.disconnect?.();
});
