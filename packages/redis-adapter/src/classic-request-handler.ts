// Requests from other nodes (and emitters) on the request channel: each is checked, carried out on the local
// sockets, and answered when the requester waits for an answer.
import createDebug from 'debug';
import type { AdapterNamespace, BroadcastOptions, Packet, Room, SocketDetails, SocketId } from '@switchboard/server';
import type { RedisParser } from './classic-parser.js';
import { describeSocket } from './classic-remote-sockets.js';
import { readPacket, readTargets, isStringArray, RequestType, type WireMessage } from './classic-wire.js';

const debug = createDebug('switchboard:redis-adapter');

/** What carrying out a request needs from the adapter (its local, in-memory operations). */
export interface RequestContext {
  readonly nsp: AdapterNamespace;
  readonly uid: string;
  readonly parser: RedisParser;
  readonly rooms: ReadonlyMap<Room, Set<SocketId>>;
  readonly sids: ReadonlyMap<SocketId, Set<Room>>;
  /** Whether this node sent the request (it then answers nothing: it counted itself). */
  isOwnRequest(requestId: string): boolean;
  respond(request: WireMessage, response: Uint8Array | string): void;
  /** socket.io answers serverSideEmit acks on the shared response channel, whatever the options. */
  respondToServerSideEmit(response: Record<string, unknown>): void;
  local: {
    sockets(rooms: Set<Room>): Promise<Set<SocketId>>;
    fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]>;
    addSockets(opts: BroadcastOptions, rooms: Room[]): void;
    delSockets(opts: BroadcastOptions, rooms: Room[]): void;
    disconnectSockets(opts: BroadcastOptions, close: boolean): void;
    broadcastWithAck(
      packet: Packet,
      opts: BroadcastOptions,
      count: (n: number) => void,
      ack: (...args: unknown[]) => void,
    ): void;
  };
}

/** Carries out one request; malformed ones are logged and dropped. */
export function handleRequest(request: WireMessage, ctx: RequestContext): void {
  const done = (promise: Promise<void> | void): void => {
    if (promise instanceof Promise) promise.catch((err: unknown) => debug('request %o failed: %o', request.type, err));
  };
  switch (request.type) {
    case RequestType.SOCKETS: {
      done(answerSockets(request, ctx));
      return;
    }
    case RequestType.ALL_ROOMS: {
      answerAllRooms(request, ctx);
      return;
    }
    case RequestType.REMOTE_JOIN:
    case RequestType.REMOTE_LEAVE:
    case RequestType.REMOTE_DISCONNECT: {
      applyCommand(request, ctx);
      return;
    }
    case RequestType.REMOTE_FETCH: {
      done(answerFetch(request, ctx));
      return;
    }
    case RequestType.SERVER_SIDE_EMIT: {
      deliverServerSideEmit(request, ctx);
      return;
    }
    case RequestType.BROADCAST: {
      broadcastWithAcks(request, ctx);
      return;
    }
    default:
      debug('ignoring a request of unknown type %o', request.type);
  }
}

/** A request id this node must answer, or undefined (malformed, or its own request). */
function foreignRequestId(request: WireMessage, ctx: RequestContext): string | undefined {
  if (typeof request.requestId !== 'string') {
    debug('ignoring a request without requestId');
    return undefined;
  }
  return ctx.isOwnRequest(request.requestId) ? undefined : request.requestId;
}

async function answerSockets(request: WireMessage, ctx: RequestContext): Promise<void> {
  const requestId = foreignRequestId(request, ctx);
  const rooms = request['rooms'] ?? [];
  if (requestId === undefined || !isStringArray(rooms)) return;
  const sockets = await ctx.local.sockets(new Set(rooms));
  ctx.respond(request, JSON.stringify({ requestId, sockets: [...sockets] }));
}

function answerAllRooms(request: WireMessage, ctx: RequestContext): void {
  const requestId = foreignRequestId(request, ctx);
  if (requestId === undefined) return;
  const rooms = new Set([...ctx.rooms.keys(), ...ctx.sids.keys()]);
  ctx.respond(request, JSON.stringify({ requestId, rooms: [...rooms] }));
}

async function answerFetch(request: WireMessage, ctx: RequestContext): Promise<void> {
  const requestId = foreignRequestId(request, ctx);
  const targets = readTargets(request['opts']);
  if (requestId === undefined) return;
  if (targets === undefined) {
    debug('ignoring a fetchSockets request with malformed opts');
    return;
  }
  const sockets = await ctx.local.fetchSockets(targets);
  ctx.respond(request, JSON.stringify({ requestId, sockets: sockets.map(describeSocket) }));
}

/** socketsJoin/socketsLeave/disconnectSockets with `opts`, or the per-socket form of older nodes (`sid`, answered). */
function applyCommand(request: WireMessage, ctx: RequestContext): void {
  if (request.uid === ctx.uid) return; // applied locally before it was published
  if (request['opts'] !== undefined) {
    const targets = readTargets(request['opts']);
    if (targets === undefined) {
      debug('ignoring a request with malformed opts');
      return;
    }
    if (request.type === RequestType.REMOTE_DISCONNECT) {
      ctx.local.disconnectSockets(targets, request['close'] === true);
      return;
    }
    const rooms = request['rooms'];
    if (!isStringArray(rooms)) {
      debug('ignoring a join/leave request with malformed rooms');
      return;
    }
    if (request.type === RequestType.REMOTE_JOIN) ctx.local.addSockets(targets, rooms);
    else ctx.local.delSockets(targets, rooms);
    return;
  }
  const sid = request['sid'];
  const socket = typeof sid === 'string' ? ctx.nsp.sockets.get(sid) : undefined;
  if (socket === undefined) return;
  const room = request['room'];
  if (request.type === RequestType.REMOTE_DISCONNECT) socket.disconnect(request['close'] === true);
  else if (typeof room !== 'string') {
    debug('ignoring a join/leave request without room');
    return;
  } else if (request.type === RequestType.REMOTE_JOIN) void socket.join(room);
  else void socket.leave(room);
  ctx.respond(request, JSON.stringify({ requestId: request.requestId }));
}

function deliverServerSideEmit(request: WireMessage, ctx: RequestContext): void {
  if (request.uid === ctx.uid) return;
  const data = request['data'];
  if (!Array.isArray(data) || data.length === 0 || typeof data[0] !== 'string') {
    debug('ignoring a serverSideEmit without an event name');
    return;
  }
  const { requestId } = request;
  if (requestId === undefined) {
    ctx.nsp.onServerSideEmit(data);
    return;
  }
  let answered = false;
  // One answer per node: only the first call of the ack counts, and only its first argument travels.
  const ack = (arg: unknown): void => {
    if (answered) return;
    answered = true;
    ctx.respondToServerSideEmit({ type: RequestType.SERVER_SIDE_EMIT, requestId, data: arg });
  };
  ctx.nsp.onServerSideEmit([...(data as unknown[]), ack]);
}

function broadcastWithAcks(request: WireMessage, ctx: RequestContext): void {
  const requestId = foreignRequestId(request, ctx);
  if (requestId === undefined) return;
  const packet = readPacket(request['packet']);
  const targets = readTargets(request['opts']);
  if (packet === undefined || targets === undefined) {
    debug('ignoring a malformed broadcast with acks');
    return;
  }
  if (packet.nsp !== ctx.nsp.name) return;
  ctx.local.broadcastWithAck(
    packet,
    targets,
    (clientCount) =>
      ctx.respond(request, JSON.stringify({ type: RequestType.BROADCAST_CLIENT_COUNT, requestId, clientCount })),
    (arg) => ctx.respond(request, ctx.parser.encode({ type: RequestType.BROADCAST_ACK, requestId, packet: arg })),
  );
}
