// One Engine.IO connection multiplexing namespaces: decodes packets, routes them to sockets, writes replies.
import createDebug from 'debug';
import type { SessionConsumer } from '@switchboard/engine';
import { PacketType, RESERVED_EVENTS, type Packet } from '@switchboard/protocol';
import type { HeldBroadcast } from './adapter/held-broadcast.js';
import type { AdapterSocket, BroadcastFlags, EncodedPacket } from './adapter/types.js';
import type { EngineConnection } from './engine-connection.js';
import type { DeadlineSubject, ServerRuntime } from './runtime.js';
import { createConnectionDecoder, type ConnectionDecoder } from './parser.js';
import { announcesAttachments, type PacketSink } from './shared-decoder.js';
import { writeEncoded, writePacket, writeToEngine, type WriteToEngineOptions } from './connection-writes.js';
import { HeldWrites } from './held-writes.js';
import type { Socket } from './socket.js';
import { MAX_CONNECT_REFUSALS, MAX_ECHOED_NAMESPACE_LENGTH } from './limits.js';
import type { DisconnectReason } from './socket-types.js';
import type { DefaultEventsMap, EventsMap, DefaultSocketData } from './typed-events.js';

const debug = createDebug('switchboard:server:client');

export type { WriteToEngineOptions } from './connection-writes.js';

type AnySocket<L extends EventsMap, E extends EventsMap, S extends EventsMap, D> = Socket<L, E, S, D>;

/** The Socket.IO side of one Engine.IO connection. */
export class Client<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
>
  implements PacketSink, SessionConsumer, DeadlineSubject
{
  readonly conn: EngineConnection;
  readonly #runtime: ServerRuntime<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /**
   * The sockets of this connection: most connections join one namespace, so a lone socket is held as it is and a
   * Map (namespace name -> socket) exists only once a second namespace joins.
   */
  #sockets:
    | AnySocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
    | Map<string, AnySocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>
    | undefined;
  /**
   * Created when the connection first sends a binary packet (text packets go through the server's shared decoder),
   * or at once with a custom `parser`.
   */
  #decoder: ConnectionDecoder | undefined;
  /**
   * Namespaces whose CONNECT is being processed (middlewares, session restore): a repeated CONNECT is ignored. One
   * name is held as it is, a Set only when several are pending.
   */
  #joining: string | Set<string> | undefined;
  #closed = false;
  /** Set for engines other than ours: they mutate the write options they are given, so each write gets its own. */
  readonly #foreignEngine: boolean;
  /** Bytes of attachments received for the binary packet being assembled; -1 while none is. */
  #attachmentBytes = -1;
  /** CONNECTs refused so far, and dynamic namespaces this connection made the server create. */
  #refusals = 0;
  #created = 0;
  /** Writes waiting behind a held broadcast (see HeldBroadcast); created by the first one to reach this connection. */
  #held: HeldWrites | undefined;

  constructor(runtime: ServerRuntime<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, conn: EngineConnection) {
    this.#runtime = runtime;
    this.conn = conn;
    this.#foreignEngine = !('consumer' in conn);
    if (!this.#foreignEngine) {
      // Our engine's session calls us directly, before any listener: no listener table, no closure per connection.
      conn.consumer = this;
    } else {
      // Another engine.io-compatible engine (engine.io itself, @socket.io/cluster-engine): its events.
      conn.on('data', (data: string | Uint8Array) => {
        if (!this.#closed) this.onSessionData(data);
      });
      conn.once('close', (reason: string, description?: unknown) => this.onSessionClose(reason, description));
    }
    runtime.connectDeadlines.add(this);
  }

  /** @internal No namespace joined within `connectTimeout`: socket.io closes such a connection. */
  onConnectTimeout(): void {
    debug('connection %s joined no namespace within %d ms; closing', this.conn.id, this.#runtime.connectTimeoutMs);
    this.close();
  }

  /** Engine hook (`SessionConsumer`): data from the engine connection, as its `data` event carries it. */
  onSessionData(data: string | Uint8Array): void {
    const shared = this.#runtime.sharedDecoder;
    if (shared !== undefined) {
      if (typeof data === 'string') {
        if (!announcesAttachments(data)) {
          if (this.#decoder === undefined) {
            shared.decode(data, this);
            return;
          }
        } else {
          this.#startAttachments();
        }
      } else if (this.#attachmentBytes !== -1 && !this.#countAttachment(data.byteLength)) {
        return;
      }
    }
    this.#decoder ??= createConnectionDecoder(this.#runtime.parser, this.#runtime.decoderOptions, this);
    this.#decoder.add(data);
  }

  // A binary packet's attachments arrive as separate messages: what waits for them is bounded in bytes and in time
  // (built-in codec only; a custom parser's binary messages are whole packets).
  #startAttachments(): void {
    this.#attachmentBytes = 0;
    this.#runtime.attachmentDeadlines.add(this);
  }

  #countAttachment(byteLength: number): boolean {
    this.#attachmentBytes += byteLength;
    if (this.#attachmentBytes <= this.#runtime.limits.maxAttachmentBytes) return true;
    debug(
      'connection %s sent more than %d bytes of attachments for one packet; closing',
      this.conn.id,
      this.#runtime.limits.maxAttachmentBytes,
    );
    this.#closeForParseError();
    return false;
  }

  #endAttachments(): void {
    this.#attachmentBytes = -1;
    this.#runtime.attachmentDeadlines.delete(this);
  }

  /** @internal The attachments of a binary packet did not arrive within `attachmentTimeout`. */
  onAttachmentTimeout(): void {
    debug('connection %s left a binary packet incomplete past attachmentTimeout; closing', this.conn.id);
    this.#closeForParseError();
  }

  /** Engine hook (`SessionConsumer`): the engine connection closed, as its `close` event reports. */
  onSessionClose(reason: string, description?: unknown): void {
    this.#handleClose(reason as DisconnectReason, description);
  }

  /** The Engine.IO session id (socket.io's `client.id`). */
  get id(): string {
    return this.conn.id;
  }

  /** The first HTTP request of the connection. */
  get request(): EngineConnection['request'] {
    return this.conn.request;
  }

  /** The sockets of this connection, keyed by namespace name (a snapshot). */
  get sockets(): ReadonlyMap<string, AnySocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    const sockets = this.#sockets;
    if (sockets instanceof Map) return new Map(sockets);
    return new Map(sockets === undefined ? [] : [[sockets.nsp.name, sockets]]);
  }

  #socketOf(name: string): AnySocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | undefined {
    const sockets = this.#sockets;
    if (sockets instanceof Map) return sockets.get(name);
    return sockets !== undefined && sockets.nsp.name === name ? sockets : undefined;
  }

  #addSocket(socket: AnySocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    const sockets = this.#sockets;
    if (sockets === undefined) this.#sockets = socket;
    else if (sockets instanceof Map) sockets.set(socket.nsp.name, socket);
    else
      this.#sockets = new Map([
        [sockets.nsp.name, sockets],
        [socket.nsp.name, socket],
      ]);
  }

  #allSockets(): AnySocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>[] {
    const sockets = this.#sockets;
    if (sockets instanceof Map) return [...sockets.values()];
    return sockets === undefined ? [] : [sockets];
  }

  /** PacketSink: a decoded packet from this connection. */
  handlePacket(packet: Packet): void {
    if (this.#attachmentBytes !== -1) this.#endAttachments();
    if (packet.type === PacketType.CONNECT) {
      if (this.conn.protocol === 3) this.#connectLegacy(packet.nsp);
      else this.#connect(packet.nsp, packet.data as Record<string, unknown> | undefined);
      return;
    }
    const socket = this.#socketOf(this.conn.protocol === 3 ? stripQuery(packet.nsp) : packet.nsp);
    if (socket === undefined || packet.type === PacketType.CONNECT_ERROR) {
      // A packet for a namespace the client never joined, or a CONNECT_ERROR (only servers send one): a broken
      // client, whose connection socket.io closes too.
      debug('connection %s sent type %d for namespace %s out of turn; closing', this.conn.id, packet.type, packet.nsp);
      this.close();
      return;
    }
    if ((packet.type === PacketType.EVENT || packet.type === PacketType.BINARY_EVENT) && isReservedEvent(packet.data)) {
      debug('connection %s sent a reserved event name; closing', this.conn.id);
      this.#closeForParseError();
      return;
    }
    socket.onPacket(packet);
  }

  /** PacketSink: this connection sent something undecodable. */
  handleDecodeError(err: Error & { code?: string }): void {
    debug('connection %s sent an undecodable packet (%s: %s); closing', this.conn.id, err.code, err.message);
    this.#closeForParseError();
  }

  #closeForParseError(): void {
    this.#handleClose('parse error');
    this.conn.close();
  }

  /**
   * Socket.IO v2 clients (Engine.IO v3, `allowEIO3`) join `/` implicitly and carry their auth as a query string in
   * the namespace of their CONNECT (`40/chat?token=x,`).
   */
  #connectLegacy(nspWithQuery: string): void {
    const queryStart = nspWithQuery.indexOf('?');
    if (queryStart === -1) {
      this.#connect(nspWithQuery, undefined);
      return;
    }
    const auth = Object.fromEntries(new URLSearchParams(nspWithQuery.slice(queryStart + 1)));
    this.#connect(nspWithQuery.slice(0, queryStart), auth);
  }

  /** Joins `/` for a v2 client, which never sends a CONNECT for it. */
  connectImplicitly(): void {
    this.#connect('/', undefined);
  }

  #connect(name: string, auth: Record<string, unknown> | undefined): void {
    if (this.#socketOf(name) !== undefined) {
      // A second CONNECT for a namespace already joined: a broken client, whose connection socket.io closes too.
      debug('connection %s sent a CONNECT for namespace %s it is already in; closing', this.conn.id, name);
      this.close();
      return;
    }
    if (this.#isJoining(name)) {
      debug('connection %s is already joining namespace %s', this.conn.id, name);
      return;
    }
    const limit = this.#runtime.limits.maxNamespacesPerConnection;
    if (this.#namespaceCount() >= limit) {
      this.#refuse(name, 'Too many namespaces');
      return;
    }
    const existing = this.#runtime.namespaces.get(name);
    if (existing !== undefined) {
      this.#startJoining(name);
      this.#doConnect(name, auth);
      return;
    }
    // A dynamic namespace outlives the connection that made the server create it (unless cleanupEmptyChildNamespaces):
    // one connection may not create more than the limit over its life.
    if (this.#created >= limit) {
      this.#refuse(name, 'Too many namespaces');
      return;
    }
    this.#startJoining(name);
    this.#runtime.namespaces.check(name, auth, (created) => {
      if (created !== undefined) {
        this.#created++;
        this.#doConnect(name, auth);
      } else if (!this.#closed) {
        this.#doneJoining(name);
        this.#refuse(name, 'Invalid namespace');
      }
    });
  }

  #namespaceCount(): number {
    const sockets = this.#sockets;
    const joining = this.#joining;
    return (
      (sockets === undefined ? 0 : sockets instanceof Map ? sockets.size : 1) +
      (joining === undefined ? 0 : joining instanceof Set ? joining.size : 1)
    );
  }

  /**
   * Answers a CONNECT with CONNECT_ERROR: the name echoed at most MAX_ECHOED_NAMESPACE_LENGTH characters long (a hostile
   * client must not make the server write more than it sent), and after MAX_CONNECT_REFUSALS the connection closes.
   */
  #refuse(name: string, message: string, data?: unknown): void {
    const nsp = name.length > MAX_ECHOED_NAMESPACE_LENGTH ? name.slice(0, MAX_ECHOED_NAMESPACE_LENGTH) : name;
    this.writePacket({ type: PacketType.CONNECT_ERROR, nsp, data: data ?? { message } });
    if (++this.#refusals < MAX_CONNECT_REFUSALS) return;
    debug('connection %s had %d CONNECTs refused; closing', this.conn.id, this.#refusals);
    this.close();
  }

  #doConnect(name: string, auth: Record<string, unknown> | undefined): void {
    this.#runtime.namespaces.of(name).addSocket(this, auth);
  }

  /** @internal The namespace of `socket` admitted this connection: the socket is connected. */
  joined(socket: AnySocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    this.#doneJoining(socket.nsp.name);
    this.#addSocket(socket);
    this.#runtime.connectDeadlines.delete(this);
  }

  /** @internal A middleware of namespace `name` refused this connection with `data` (its CONNECT_ERROR payload). */
  refused(name: string, data: unknown): void {
    this.#doneJoining(name);
    this.#refuse(name, '', data);
  }

  #isJoining(name: string): boolean {
    const joining = this.#joining;
    return joining === name || (joining instanceof Set && joining.has(name));
  }

  #startJoining(name: string): void {
    const joining = this.#joining;
    if (joining === undefined) this.#joining = name;
    else if (joining instanceof Set) joining.add(name);
    else this.#joining = new Set([joining, name]);
  }

  #doneJoining(name: string): void {
    const joining = this.#joining;
    if (joining === name) this.#joining = undefined;
    else if (joining instanceof Set) {
      joining.delete(name);
      if (joining.size === 0) this.#joining = undefined;
    }
  }

  /** True while the engine connection can carry packets. */
  get isOpen(): boolean {
    return !this.#closed && this.conn.readyState === 'open';
  }

  /** Encodes and writes one packet to this connection only. */
  writePacket(packet: Packet, flags?: BroadcastFlags): void {
    if (!this.isOpen) return;
    if (this.#held?.holding === true) {
      // Encoded now, as it would have been written now: the application may change its arguments afterwards.
      if (flags?.volatile === true) return; // not writable now: dropped, as volatile packets are
      const chunks = this.#runtime.encoder.encode(packet);
      const opts = { compress: flags?.compress !== false };
      this.#held.defer(() => this.writeToEngine(chunks, opts));
      return;
    }
    writePacket(this.conn, this.#foreignEngine, this.#runtime.encoder, packet, flags);
  }

  /** Writes a packet encoded once for many connections. */
  writeEncoded(encoded: EncodedPacket, flags: BroadcastFlags): void {
    if (!this.isOpen) return;
    if (this.#held?.holding === true) {
      if (flags.volatile !== true) this.#held.defer(() => this.writeEncoded(encoded, flags));
      return;
    }
    writeEncoded(this.conn, this.#foreignEngine, encoded, flags);
  }

  /** @internal Adapter hook (see HeldBroadcast): `socket`'s share of a held broadcast takes the next write. */
  reserveWrite(broadcast: HeldBroadcast, socket: AdapterSocket): void {
    if (this.isOpen) (this.#held ??= new HeldWrites()).reserve(broadcast, socket);
  }

  /** @internal Adapter hook: writes what waited, up to the next broadcast still held. */
  releaseWrites(): void {
    this.#held?.drain();
  }

  /**
   * Compatibility surface: socket.io's `client.writeToEngine`: adapters built on socket.io-adapter broadcast through it, with the
   * packet already encoded by `server.encoder` (strings and binary attachments, written as they are).
   */
  writeToEngine(
    encodedPackets: string | Uint8Array | ReadonlyArray<string | Uint8Array>,
    opts?: WriteToEngineOptions,
  ): void {
    if (!this.isOpen) return;
    if (this.#held?.holding === true) {
      if (opts?.volatile !== true) this.#held.defer(() => this.writeToEngine(encodedPackets, opts));
      return;
    }
    writeToEngine(this.conn, this.#foreignEngine, encodedPackets, opts);
  }

  /** Called by a socket that left its namespace. */
  removeSocket(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    const sockets = this.#sockets;
    if (sockets === socket) this.#sockets = undefined;
    else if (sockets instanceof Map && sockets.get(socket.nsp.name) === socket) sockets.delete(socket.nsp.name);
  }

  /** Disconnects every namespace (each gets a DISCONNECT packet), then closes the connection. */
  disconnectAll(): void {
    for (const socket of this.#allSockets()) socket.disconnect();
    this.close();
  }

  /** Closes the underlying connection; remaining sockets see `forced server close`. */
  close(): void {
    if (this.conn.readyState !== 'open' || this.#closed) return;
    this.#handleClose('forced server close');
    this.conn.close();
  }

  /** The server is closing: sockets see `server shutting down` (no DISCONNECT, so clients may reconnect). */
  shutdown(): void {
    this.#handleClose('server shutting down');
  }

  #handleClose(reason: DisconnectReason, description?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.conn.consumer === this) this.conn.consumer = undefined;
    this.#runtime.connectDeadlines.delete(this);
    if (this.#attachmentBytes !== -1) this.#endAttachments();
    for (const socket of this.#allSockets()) socket.onClose(reason, description);
    this.#sockets = undefined;
    this.#held = undefined;
    this.#decoder?.destroy();
  }
}

function stripQuery(nsp: string): string {
  const queryStart = nsp.indexOf('?');
  return queryStart === -1 ? nsp : nsp.slice(0, queryStart);
}

function isReservedEvent(data: unknown): boolean {
  return Array.isArray(data) && typeof data[0] === 'string' && RESERVED_EVENTS.has(data[0]);
}
