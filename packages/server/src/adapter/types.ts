// The adapter contract: what the namespace asks of an adapter and what an adapter may ask of the namespace.
// Cluster adapters implement `Adapter` (usually by extending InMemoryAdapter) and are passed as the `adapter` option.
import type { EventEmitter } from 'node:events';
import type { PreparedMessage } from '@switchboard/engine';
import type { Packet } from '@switchboard/protocol';
import type { Handshake } from '../socket-types.js';
import type { Clock } from '../clock.js';
import type { HeldBroadcast } from './held-broadcast.js';

/** A room name; every socket is also in the room named by its own id. */
export type Room = string;
/** A Socket.IO socket id (not the Engine.IO session id). */
export type SocketId = string;
/** The secret id a client presents to recover its session. */
export type PrivateSessionId = string;

/** Modifiers of one broadcast. */
export interface BroadcastFlags {
  /** Drop the packet for clients whose transport is not writable right now. */
  volatile?: boolean;
  /** Allow per-message compression (on unless false). */
  compress?: boolean;
  /** Deliver on this server only, not across the cluster. */
  local?: boolean;
  broadcast?: boolean;
  binary?: boolean;
  /** Milliseconds to wait for acknowledgements. */
  timeout?: number;
  /** The acknowledgement comes from one socket: no array of responses. */
  expectSingleResponse?: boolean;
}

/** Who receives a broadcast: sockets in any of `rooms` (all when empty), minus those in any of `except`. */
export interface BroadcastOptions {
  rooms: Set<Room>;
  except?: Set<Room>;
  flags?: BroadcastFlags;
}

/** What is saved when a recoverable disconnection happens. */
export interface SessionToPersist {
  sid: SocketId;
  pid: PrivateSessionId;
  rooms: Room[];
  data: unknown;
}

/** A restored session: the saved state plus the argument lists of the EVENT packets the client missed. */
export interface Session extends SessionToPersist {
  missedPackets: unknown[][];
}

/** A packet encoded once, as the Engine.IO messages every recipient is sent. */
export type EncodedPacket = readonly PreparedMessage[];

/** A socket as the adapter sees it (local sockets; remote ones are described by SocketDetails). */
export interface SocketDetails {
  readonly id: SocketId;
  readonly handshake: Handshake;
  readonly rooms: Set<Room>;
  readonly data: unknown;
}

/** A local socket, with the operations an adapter performs on it. */
export interface AdapterSocket extends SocketDetails {
  /** The private session id a client presents to recover (set when connection state recovery is on). */
  readonly pid?: PrivateSessionId | undefined;
  join(rooms: Room | Room[]): Promise<void> | void;
  leave(room: Room): Promise<void> | void;
  disconnect(close?: boolean): unknown;
  /** Writes a packet that was encoded once for every recipient; `packet` is shown to outgoing listeners. */
  writeEncoded(packet: Packet, encoded: EncodedPacket, flags: BroadcastFlags): void;
  /** Registers the callback for an acknowledgement id (a broadcast shares one id among its recipients). */
  registerAck(id: number, ack: (...args: unknown[]) => void): void;
  /**
   * Reserves this socket's connection's next write for `broadcast`: what is written to the connection afterwards
   * waits until the broadcast went out. Absent on sockets built by hand, which are written at release.
   */
  reserveWrite?(broadcast: HeldBroadcast): void;
  /** Writes what waited on this socket's connection, up to the next broadcast still held. */
  releaseWrites?(): void;
}

/** Options of connection state recovery, with defaults applied. */
export interface RecoveryOptions {
  maxDisconnectionDuration: number;
  skipMiddlewares: boolean;
}

/** The namespace as an adapter sees it. */
export interface AdapterNamespace {
  readonly name: string;
  readonly sockets: ReadonlyMap<SocketId, AdapterSocket>;
  /** Recovery settings, or undefined when connection state recovery is off. */
  readonly recovery: RecoveryOptions | undefined;
  /** Encodes a packet once, ready to be written to many connections. */
  encodePacket(packet: Packet, compress: boolean): EncodedPacket;
  /** Allocates an acknowledgement id unique within the namespace. */
  nextAckId(): number;
  /** Delivers an event sent by another server with `serverSideEmit`; a trailing function is its ack. */
  onServerSideEmit(args: unknown[]): void;
  /** The server's clock, for adapters that keep time (session expiry); absent on namespaces built by hand. */
  readonly clock?: Clock | undefined;
}

/** Events every adapter emits about rooms. */
export interface AdapterEvents {
  'create-room': [room: Room];
  'delete-room': [room: Room];
  'join-room': [room: Room, id: SocketId];
  'leave-room': [room: Room, id: SocketId];
}

/** The interface every adapter implements (the in-memory one, cluster ones). */
export interface Adapter extends EventEmitter {
  readonly nsp: AdapterNamespace;
  /** Room -> ids of the local sockets in it. */
  readonly rooms: Map<Room, Set<SocketId>>;
  /** Socket id -> rooms it is in (local sockets). */
  readonly sids: Map<SocketId, Set<Room>>;
  init(): Promise<void> | void;
  close(): Promise<void> | void;
  /** How many servers share this namespace (1 without a cluster). */
  serverCount(): Promise<number>;
  addAll(id: SocketId, rooms: Set<Room>): Promise<void> | void;
  del(id: SocketId, room: Room): Promise<void> | void;
  delAll(id: SocketId): void;
  broadcast(packet: Packet, opts: BroadcastOptions): void;
  /**
   * Broadcasts a packet that expects acknowledgements: `clientCountCallback` is called (once per server) with
   * how many clients were sent the packet, then `ack` once per response.
   */
  broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: (...args: unknown[]) => void,
  ): void;
  /** Ids of the sockets in any of `rooms` (all sockets when empty). */
  sockets(rooms: Set<Room>): Promise<Set<SocketId>>;
  socketRooms(id: SocketId): Set<Room> | undefined;
  fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]>;
  addSockets(opts: BroadcastOptions, rooms: Room[]): void;
  delSockets(opts: BroadcastOptions, rooms: Room[]): void;
  disconnectSockets(opts: BroadcastOptions, close: boolean): void;
  /** Sends an event to the other servers; a trailing function collects their acknowledgements. */
  serverSideEmit(packet: unknown[]): void;
  persistSession(session: SessionToPersist): Promise<void> | void;
  /** The session to resume, or null; a plain `null` (socket.io-adapter's base class answers so) is accepted too. */
  restoreSession(pid: PrivateSessionId, offset: string): Promise<Session | null> | null;
}

/** An adapter class, as given in the `adapter` option. */
export type AdapterConstructor = new (nsp: AdapterNamespace) => Adapter;

/** An adapter factory, as socket.io adapters' `createAdapter(...)` return: given the namespace, makes its adapter. */
export type AdapterFactory = (nsp: AdapterNamespace) => Adapter;

/**
 * The `adapter` option: a class, or a factory. socket.io `new`s whatever it is given; we do too, except for
 * functions that cannot be `new`ed (arrow functions), which are called.
 */
export type AdapterOption = AdapterConstructor | AdapterFactory;
