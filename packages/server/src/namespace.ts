// A namespace: its sockets, its adapter, connection middlewares, and broadcasting to its rooms.
import createDebug from 'debug';
import type { Packet } from '@switchboard/protocol';
import { reportAdapterFailure, watchAdapterResult, type AdapterFailureSink } from './adapter/adapter-failures.js';
import type {
  Adapter,
  AdapterConstructor,
  AdapterFactory,
  AdapterNamespace,
  EncodedPacket,
  RecoveryOptions,
  Room,
  SocketId,
} from './adapter/types.js';
import { assertNotReserved, BroadcastOperator } from './broadcast-operator.js';
import type { Client } from './client.js';
import type { ExtendedError } from './errors.js';
import type { RemoteSocket } from './remote-socket.js';
import type { Clock } from './clock.js';
import type { ServerRuntime } from './runtime.js';
import type { Server } from './server.js';
import { findSession, replayMissedPackets, type RestoredSession } from './recovery.js';
import { Socket } from './socket.js';
import type { UserCodeBoundary } from './user-code.js';
import {
  type AllButLast,
  type DecorateAcknowledgementsWithMultipleResponses,
  type DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  type DefaultEventsMap,
  type EventNames,
  type EventNamesWithAck,
  type EventNamesWithoutAck,
  type EventParams,
  type EventsMap,
  type FirstNonErrorArg,
  type Last,
  type RemoveAcknowledgements,
  type DefaultSocketData,
  StrictEventEmitter,
} from './typed-events.js';

const debug = createDebug('switchboard:server:namespace');

/** A connection middleware: call `next()` to accept, `next(err)` to refuse with a `connect_error`. */
export type NamespaceMiddleware<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ServerSideEvents extends EventsMap,
  SocketData,
> = (
  socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  next: (err?: ExtendedError) => void,
) => void;

/** The events a namespace emits to its own listeners. */
export interface NamespaceReservedEventsMap<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ServerSideEvents extends EventsMap,
  SocketData,
> {
  connect: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
  connection: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
  /** Emitted by the main namespace (and so by the server) when a namespace is created. */
  new_namespace: (namespace: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
}

/** What a refused CONNECT answers: `{message, data}`; Socket.IO v2 clients expect `err.data` or the message alone. */
function connectErrorPayload(err: ExtendedError, engineProtocol: number): unknown {
  if (engineProtocol === 3) return err.data ?? err.message;
  const data: Record<string, unknown> = { message: err.message };
  if (err.data !== undefined) data['data'] = err.data;
  return data;
}

/** A Socket.IO namespace. */
export class Namespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
>
  extends StrictEventEmitter<
    ServerSideEvents,
    RemoveAcknowledgements<EmitEvents>,
    NamespaceReservedEventsMap<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >
  implements AdapterNamespace, AdapterFailureSink
{
  readonly name: string;
  readonly sockets = new Map<SocketId, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  adapter!: Adapter;
  /** Connection middlewares, in registration order (a child namespace starts with its parent's). */
  protected middlewares: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>[] = [];
  #ackIds = 0;
  readonly #runtime: ServerRuntime<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;

  constructor(runtime: ServerRuntime<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, name: string) {
    super();
    this.name = name;
    this.#runtime = runtime;
    this.initAdapter();
  }

  /** The server this namespace belongs to (socket.io's `nsp.server`; adapters read `server.opts`, `server.encoder`). */
  get server(): Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.#runtime.server;
  }

  /** @internal The runtime this namespace shares with its server's clients and sockets. */
  get runtime(): ServerRuntime<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.#runtime;
  }

  /** Adapter hook: the runtime's clock, so session expiry runs on the same time as every other server timer. */
  get clock(): Clock {
    return this.#runtime.clock;
  }

  protected override get userCode(): UserCodeBoundary {
    return this.#runtime.userCode;
  }

  /** Creates this namespace's adapter from the server's `adapter` option. */
  protected initAdapter(): void {
    const make = this.#runtime.adapterFactory;
    // A class or a plain function factory is `new`ed, as socket.io does; an arrow function (no prototype) is called.
    this.adapter = 'prototype' in make ? new (make as AdapterConstructor)(this) : (make as AdapterFactory)(this);
    void Promise.resolve(this.adapter.init()).catch((err: unknown) =>
      debug('adapter init failed for %s: %o', this.name, err),
    );
  }

  /** Internal: replaces the adapter after `io.adapter(Class)`. */
  resetAdapter(): void {
    void Promise.resolve(this.adapter.close()).catch((err: unknown) => debug('adapter close failed: %o', err));
    this.initAdapter();
  }

  get recovery(): RecoveryOptions | undefined {
    return this.#runtime.recovery;
  }

  encodePacket(packet: Packet, compress: boolean): EncodedPacket {
    return this.#runtime.encodePrepared(packet, compress);
  }

  nextAckId(): number {
    return this.#ackIds++;
  }

  onServerSideEmit(args: unknown[]): void {
    // Called from an adapter's message handler: a listener that throws must not take the adapter (or the
    // process) down with it.
    try {
      this.emitUntyped(args[0] as string, ...args.slice(1));
    } catch (err) {
      reportAdapterFailure(this.adapter, 'serverSideEmit listener', err);
    }
  }

  /** Compatibility surface: socket.io's name of `onServerSideEmit`, called by adapters built on socket.io-adapter. */
  _onServerSideEmit(args: unknown[]): void {
    this.onServerSideEmit(args);
  }

  /** Compatibility surface: socket.io's ack id counter, which socket.io-adapter reads and increments (`nsp._ids++`). */
  get _ids(): number {
    return this.#ackIds;
  }

  set _ids(value: number) {
    this.#ackIds = value;
  }

  /** @internal Counts a failed adapter call on the server (see `Server.adapterFailureCount`). */
  onAdapterFailure(_operation: string, _err: unknown): void {
    this.#runtime.countAdapterFailure();
  }

  /** Adds a connection middleware. */
  use(fn: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    this.middlewares.push(fn);
    return this;
  }

  // --- joining ----------------------------------------------------------------------------------------------------

  /**
   * Creates the socket for a CONNECT (recovering a session when possible), runs middlewares, then connects it; the
   * client hears `joined(socket)` or `refused(name)`.
   */
  addSocket(
    client: Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    auth: Record<string, unknown> | undefined,
  ): void {
    const lookup = findSession(this.adapter, this.recovery, auth);
    if (lookup === undefined) {
      // The common path stays synchronous: no promise, no microtask per connection.
      this.#admit(client, auth, undefined);
      return;
    }
    void lookup.then((previous) => this.#admit(client, auth, previous));
  }

  #admit(
    client: Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    auth: Record<string, unknown> | undefined,
    previous: RestoredSession | undefined,
  ): void {
    if (!client.isOpen) return;
    const socket = new Socket(this, client, auth, previous);
    if (this.middlewares.length === 0 || (previous !== undefined && this.recovery?.skipMiddlewares === true)) {
      this.#connect(socket, previous);
      return;
    }
    this.#runMiddlewares(socket, 0, (err) => {
      if (!client.isOpen || err !== undefined) socket.onAbandoned();
      if (!client.isOpen) return;
      if (err !== undefined) {
        client.refused(this.name, connectErrorPayload(err, client.conn.protocol));
        // A dynamic child created for this CONNECT and left empty goes away too (cleanupEmptyChildNamespaces).
        if (this.sockets.size === 0) this.#runtime.namespaces.onEmpty(this);
        return;
      }
      this.#connect(socket, previous);
    });
  }

  #runMiddlewares(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    index: number,
    done: (err?: ExtendedError) => void,
  ): void {
    const middleware = this.middlewares[index];
    if (middleware === undefined) {
      done();
      return;
    }
    let called = false;
    const next = (err?: ExtendedError): void => {
      if (called) return;
      called = true;
      if (err !== undefined && err !== null) done(err instanceof Error ? err : new Error(String(err)));
      else this.#runMiddlewares(socket, index + 1, done);
    };
    try {
      middleware(socket, next);
    } catch (err) {
      // The exception is the application's (rethrown as its own); the client learns only that the server failed,
      // never the exception's message, which may name internals.
      this.#runtime.userCode.report(err);
      next(new Error('Server error'));
    }
  }

  #connect(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    previous: RestoredSession | undefined,
  ): void {
    this.sockets.set(socket.id, socket);
    socket.client.joined(socket);
    socket.onConnected();
    if (previous !== undefined) {
      socket.joinQuietly(previous.rooms);
      replayMissedPackets((packet) => socket.client.writePacket(packet), this.name, previous.missedPackets);
    }
    this.emitReserved('connect', socket);
    this.emitReserved('connection', socket);
  }

  /** Called by a socket that left. */
  removeSocket(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    if (this.sockets.get(socket.id) !== socket) return;
    this.sockets.delete(socket.id);
    if (this.sockets.size === 0) this.#runtime.namespaces.onEmpty(this);
  }

  // --- broadcasting -------------------------------------------------------------------------------------------

  #operator(): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.adapter, undefined, undefined, undefined, this.#runtime);
  }

  /** Targets the sockets in `room`. */
  to(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    const operator = new BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData>(
      this.adapter,
      undefined,
      undefined,
      undefined,
      this.#runtime,
    );
    return operator.to(room);
  }

  /** Alias of `to`. */
  in(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.to(room);
  }

  /** Targets every socket except those in `room`. */
  except(
    room: Room | Room[],
  ): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    const operator = new BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData>(
      this.adapter,
      undefined,
      undefined,
      undefined,
      this.#runtime,
    );
    return operator.except(room);
  }

  /** Emits to every socket of the namespace. */
  override emit<Ev extends EventNamesWithoutAck<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return (this.#operator().emit as (ev: Ev, ...rest: unknown[]) => boolean)(ev, ...(args as unknown[]));
  }

  /** Sends a `message` event to every socket. */
  send(...args: EventParams<EmitEvents, 'message'>): this {
    (this.#operator().emit as (ev: string, ...rest: unknown[]) => boolean)('message', ...(args as unknown[]));
    return this;
  }

  /** Alias of `send`. */
  write(...args: EventParams<EmitEvents, 'message'>): this {
    return this.send(...args);
  }

  /** Emits to the other servers of the cluster; a trailing callback gets `(err, responses)`. */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(ev: Ev, ...args: EventParams<ServerSideEvents, Ev>): boolean {
    assertNotReserved(ev);
    this.#serverSideEmit([ev, ...(args as unknown[])]);
    return true;
  }

  #serverSideEmit(packet: unknown[]): void {
    try {
      // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression -- adapters return void (socket.io's) or a promise
      watchAdapterResult(this.adapter, 'serverSideEmit', this.adapter.serverSideEmit(packet));
    } catch (err) {
      reportAdapterFailure(this.adapter, 'serverSideEmit', err);
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function') (ack as (err: Error, responses: unknown[]) => void)(asError(err), []);
    }
  }

  /** Emits to the other servers and resolves with their responses. */
  serverSideEmitWithAck<Ev extends EventNamesWithAck<ServerSideEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[]> {
    return new Promise((resolve, reject) => {
      const callback = (
        err: Error | null,
        responses: FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[],
      ): void => (err !== null ? reject(err) : resolve(responses));
      assertNotReserved(ev);
      this.#serverSideEmit([ev, ...(args as unknown[]), callback]);
    });
  }

  /** Sets whether the next broadcast may be compressed. */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator().compress(compress);
  }

  /** The next broadcast may be dropped for clients that are not ready. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator().volatile;
  }

  /** Broadcasts on this server only. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator().local;
  }

  /** Waits `timeout` ms for one acknowledgement per client. */
  timeout(
    timeout: number,
  ): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<EmitEvents>, SocketData> {
    return this.#operator().timeout(timeout);
  }

  /** The sockets of the namespace (all servers). */
  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return this.#operator().fetchSockets();
  }

  /** Makes every socket join `room`. */
  socketsJoin(room: Room | Room[]): void {
    this.#operator().socketsJoin(room);
  }

  /** Makes every socket leave `room`. */
  socketsLeave(room: Room | Room[]): void {
    this.#operator().socketsLeave(room);
  }

  /** Disconnects every socket; `close` also closes their connections. */
  disconnectSockets(close = false): void {
    this.#operator().disconnectSockets(close);
  }

  /** Ids of every socket in the namespace (deprecated in socket.io; kept for compatibility). */
  allSockets(): Promise<Set<SocketId>> {
    return this.adapter.sockets(new Set());
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
