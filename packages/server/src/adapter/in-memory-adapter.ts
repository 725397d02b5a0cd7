// The single-server adapter: room membership as Map<Room, Set<SocketId>> and local delivery of broadcasts.
// A socket's own room (named by its id) is implicit: it is in `sids` (so `socket.rooms` lists it) but has no entry
// in `rooms`, which saves a Set per connection; targeting a socket id still reaches that socket.
import { EventEmitter } from 'node:events';
import createDebug from 'debug';
import type { Packet } from '@switchboard/protocol';
import { emitToEachListener } from '../user-code.js';
import { HeldBroadcast } from './held-broadcast.js';
import type {
  Adapter,
  AdapterEvents,
  AdapterNamespace,
  AdapterSocket,
  BroadcastFlags,
  BroadcastOptions,
  PrivateSessionId,
  Room,
  Session,
  SessionToPersist,
  SocketDetails,
  SocketId,
} from './types.js';

const debug = createDebug('switchboard:server:adapter');

const NO_FLAGS: BroadcastFlags = Object.freeze({});

/**
 * Nobody awaits a join or leave made on the server's behalf: a failure (a limit such as maxRoomsPerSocket, an
 * asynchronous adapter's rejection) is logged and must not keep the other sockets from being served.
 */
function settle(action: () => Promise<void> | void): void {
  try {
    const result = action();
    if (result instanceof Promise) result.catch((err: unknown) => debug('join/leave failed: %o', err));
  } catch (err) {
    debug('join/leave failed: %o', err);
  }
}

/**
 * The in-memory adapter; cluster adapters extend it and call `super.broadcast` for local delivery.
 * Emits `create-room`, `delete-room`, `join-room` and `leave-room` (for own-id rooms too, as socket.io does).
 */
export class InMemoryAdapter extends EventEmitter implements Adapter {
  readonly nsp: AdapterNamespace;
  /** Named rooms -> ids of their local members (own-id rooms are implicit, see the file comment). */
  readonly rooms = new Map<Room, Set<SocketId>>();
  /** Local socket ids -> every room they are in, their own id included. */
  readonly sids = new Map<SocketId, Set<Room>>();

  constructor(nsp: AdapterNamespace) {
    super();
    this.nsp = nsp;
  }

  init(): Promise<void> | void {}

  close(): Promise<void> | void {}

  serverCount(): Promise<number> {
    return Promise.resolve(1);
  }

  addAll(id: SocketId, rooms: Set<Room>): Promise<void> | void {
    let joined = this.sids.get(id);
    if (joined === undefined) {
      joined = new Set();
      this.sids.set(id, joined);
    }
    for (const room of rooms) {
      if (room === id) {
        if (joined.has(room)) continue;
        joined.add(room);
        this.#notify('create-room', room);
        this.#notify('join-room', room, id);
        continue;
      }
      joined.add(room);
      let members = this.rooms.get(room);
      if (members === undefined) {
        members = new Set();
        this.rooms.set(room, members);
        this.#notify('create-room', room);
      }
      if (!members.has(id)) {
        members.add(id);
        this.#notify('join-room', room, id);
      }
    }
  }

  del(id: SocketId, room: Room): Promise<void> | void {
    if (this.sids.get(id)?.delete(room) !== true) return;
    this.#removeFromRoom(room, id);
  }

  delAll(id: SocketId): void {
    const joined = this.sids.get(id);
    if (joined === undefined) return;
    for (const room of joined) this.#removeFromRoom(room, id);
    this.sids.delete(id);
  }

  /** Room events reach listeners (the admin dashboard, the application) behind the user-code boundary. */
  #notify(event: keyof AdapterEvents, room: Room, id?: SocketId): void {
    // Checked first: most servers have no room listeners, and this runs on every connect and disconnect.
    if (this.listenerCount(event) === 0) return;
    emitToEachListener(this, event, id === undefined ? [room] : [room, id]);
  }

  #removeFromRoom(room: Room, id: SocketId): void {
    if (room === id) {
      this.#notify('leave-room', room, id);
      this.#notify('delete-room', room);
      return;
    }
    const members = this.rooms.get(room);
    if (members === undefined || !members.delete(id)) return;
    this.#notify('leave-room', room, id);
    if (members.size === 0 && this.rooms.delete(room)) this.#notify('delete-room', room);
  }

  broadcast(packet: Packet, opts: BroadcastOptions): void {
    const flags = opts.flags ?? NO_FLAGS;
    packet.nsp = this.nsp.name;
    // Encoded once: every recipient is written the same prepared Engine.IO messages.
    const encoded = this.nsp.encodePacket(packet, flags.compress !== false);
    this.apply(opts, (socket) => socket.writeEncoded(packet, encoded, flags));
  }

  /**
   * Holds a broadcast for later local delivery: its recipients are the local sockets in its rooms now, and their
   * connections keep what is written to them afterwards behind it. Cluster adapters that deliver locally once a
   * publish is answered use it, so the order a client sees is the order the server emitted in.
   */
  protected holdBroadcast(packet: Packet, opts: BroadcastOptions): HeldBroadcast {
    packet.nsp = this.nsp.name;
    const held = new HeldBroadcast(this.nsp, packet, opts.flags ?? NO_FLAGS);
    this.apply(opts, (socket) => held.add(socket));
    return held;
  }

  broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: (...args: unknown[]) => void,
  ): void {
    const flags = opts.flags ?? NO_FLAGS;
    packet.nsp = this.nsp.name;
    // One id for every recipient: each client answers on its own connection, so ids cannot collide.
    packet.id = this.nsp.nextAckId();
    const encoded = this.nsp.encodePacket(packet, flags.compress !== false);
    let clientCount = 0;
    this.apply(opts, (socket) => {
      clientCount++;
      socket.registerAck(packet.id as number, ack);
      socket.writeEncoded(packet, encoded, flags);
    });
    clientCountCallback(clientCount);
  }

  sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const ids = new Set<SocketId>();
    this.apply({ rooms }, (socket) => ids.add(socket.id));
    return Promise.resolve(ids);
  }

  socketRooms(id: SocketId): Set<Room> | undefined {
    return this.sids.get(id);
  }

  fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const sockets: SocketDetails[] = [];
    this.apply(opts, (socket) => sockets.push(socket));
    return Promise.resolve(sockets);
  }

  addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    this.apply(opts, (socket) => settle(() => socket.join(rooms)));
  }

  delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    this.apply(opts, (socket) => {
      for (const room of rooms) settle(() => socket.leave(room));
    });
  }

  disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    this.apply(opts, (socket) => socket.disconnect(close));
  }

  /** Calls `fn` once for every local socket matching `opts` (rooms, minus except). */
  protected apply(opts: BroadcastOptions, fn: (socket: AdapterSocket) => void): void {
    const except = this.#exceptIds(opts.except);
    const sockets = this.nsp.sockets;
    // No copy of the member sets: Map and Set iteration tolerates deletion (a socket leaving during `fn`), and a
    // broadcast's hot loop should not allocate per recipient.
    if (opts.rooms.size === 0) {
      for (const id of this.sids.keys()) {
        if (except !== undefined && except.has(id)) continue;
        const socket = sockets.get(id);
        if (socket !== undefined) fn(socket);
      }
      return;
    }
    if (opts.rooms.size === 1) {
      const room = opts.rooms.values().next().value as Room;
      const members = this.#members(room);
      if (members === undefined) return;
      for (const id of members) {
        if (except !== undefined && except.has(id)) continue;
        const socket = sockets.get(id);
        if (socket !== undefined) fn(socket);
      }
      return;
    }
    // Several rooms: a socket in more than one of them still gets the packet once.
    const seen = new Set<SocketId>();
    for (const room of opts.rooms) {
      const members = this.#members(room);
      if (members === undefined) continue;
      for (const id of members) {
        if (seen.has(id) || (except !== undefined && except.has(id))) continue;
        seen.add(id);
        const socket = sockets.get(id);
        if (socket !== undefined) fn(socket);
      }
    }
  }

  /** The members of a room: a named room's set, or the socket itself for its own-id room. */
  #members(room: Room): Iterable<SocketId> | undefined {
    const members = this.rooms.get(room);
    const ownRoom = this.sids.get(room)?.has(room) === true;
    if (!ownRoom) return members;
    // Another socket may have joined this socket's id as a room: then both are members.
    return members === undefined ? [room] : [room, ...members];
  }

  #exceptIds(except: Set<Room> | undefined): Set<SocketId> | undefined {
    if (except === undefined || except.size === 0) return undefined;
    const ids = new Set<SocketId>();
    for (const room of except) {
      const members = this.#members(room);
      if (members !== undefined) for (const id of members) ids.add(id);
    }
    return ids;
  }

  /** A single server has no peers: nothing is sent, and a trailing ack callback gets no responses. */
  serverSideEmit(packet: unknown[]): void {
    const ack = packet[packet.length - 1];
    if (typeof ack === 'function') (ack as (err: Error | null, responses: unknown[]) => void)(null, []);
  }

  persistSession(_session: SessionToPersist): Promise<void> | void {}

  restoreSession(_pid: PrivateSessionId, _offset: string): Promise<Session | null> | null {
    return Promise.resolve(null);
  }
}
