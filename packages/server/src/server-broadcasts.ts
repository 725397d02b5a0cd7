// What the server offers on behalf of its main namespace `/`: broadcasting, socket queries, and its listeners.
import type { Room, SocketId } from './adapter/types.js';
import type { BroadcastOperator } from './broadcast-operator.js';
import type { Namespace, NamespaceReservedEventsMap } from './namespace.js';
import type { RemoteSocket } from './remote-socket.js';
import {
  type AllButLast,
  type DecorateAcknowledgementsWithMultipleResponses,
  type DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  type EventNames,
  type EventNamesWithAck,
  type EventNamesWithoutAck,
  type EventParams,
  type EventsMap,
  type FirstNonErrorArg,
  type Last,
  type RemoveAcknowledgements,
  StrictEventEmitter,
} from './typed-events.js';

/** The main-namespace half of the Server class: every call goes to `io.sockets`, as in socket.io. */
export abstract class ServerBroadcasts<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ServerSideEvents extends EventsMap,
  SocketData,
> extends StrictEventEmitter<
  ServerSideEvents,
  RemoveAcknowledgements<EmitEvents>,
  NamespaceReservedEventsMap<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
> {
  protected abstract get mainNamespace(): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;

  /** Targets the sockets in `room`. */
  to(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.mainNamespace.to(room);
  }

  /** Alias of `to`. */
  in(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.mainNamespace.in(room);
  }

  /** Targets every socket except those in `room`. */
  except(
    room: Room | Room[],
  ): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.mainNamespace.except(room);
  }

  /** Emits to every socket of the main namespace. */
  override emit<Ev extends EventNamesWithoutAck<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this.mainNamespace.emit(ev, ...args);
  }

  /** Sends a `message` event to every socket. */
  send(...args: EventParams<EmitEvents, 'message'>): this {
    this.mainNamespace.send(...args);
    return this;
  }

  /** Alias of `send`. */
  write(...args: EventParams<EmitEvents, 'message'>): this {
    this.mainNamespace.write(...args);
    return this;
  }

  /** Emits to the other servers of the cluster; a trailing callback gets `(err, responses)`. */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(ev: Ev, ...args: EventParams<ServerSideEvents, Ev>): boolean {
    return this.mainNamespace.serverSideEmit(ev, ...args);
  }

  /** Emits to the other servers and resolves with their responses. */
  serverSideEmitWithAck<Ev extends EventNamesWithAck<ServerSideEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[]> {
    return this.mainNamespace.serverSideEmitWithAck(ev, ...args);
  }

  /** Sets whether the next broadcast may be compressed. */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.mainNamespace.compress(compress);
  }

  /** The next broadcast may be dropped for clients that are not ready. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.mainNamespace.volatile;
  }

  /** Broadcasts on this server only. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.mainNamespace.local;
  }

  /** Waits `timeout` ms for one acknowledgement per client. */
  timeout(
    timeout: number,
  ): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<EmitEvents>, SocketData> {
    return this.mainNamespace.timeout(timeout);
  }

  /** The sockets of the main namespace (all servers). */
  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return this.mainNamespace.fetchSockets();
  }

  /** Makes every socket join `room`. */
  socketsJoin(room: Room | Room[]): void {
    this.mainNamespace.socketsJoin(room);
  }

  /** Makes every socket leave `room`. */
  socketsLeave(room: Room | Room[]): void {
    this.mainNamespace.socketsLeave(room);
  }

  /** Disconnects every socket; `close` also closes their connections. */
  disconnectSockets(close = false): void {
    this.mainNamespace.disconnectSockets(close);
  }

  /** Ids of every socket of the main namespace. */
  allSockets(): Promise<Set<SocketId>> {
    return this.mainNamespace.allSockets();
  }
}

// Listener methods act on the main namespace (io.on('connection') listens there), as socket.io's Server does.
// Installed on the prototype, so the typed signatures of StrictEventEmitter still describe them.
const LISTENER_METHODS = [
  'on',
  'once',
  'off',
  'addListener',
  'removeListener',
  'removeAllListeners',
  'prependListener',
  'prependOnceListener',
  'listeners',
  'rawListeners',
  'listenerCount',
  'eventNames',
] as const;

for (const method of LISTENER_METHODS) {
  Object.defineProperty(ServerBroadcasts.prototype, method, {
    configurable: true,
    writable: true,
    value: function (this: ServerBroadcasts<EventsMap, EventsMap, EventsMap, unknown>, ...args: unknown[]): unknown {
      const nsp = (this as unknown as { mainNamespace: Record<string, unknown> }).mainNamespace;
      const result = (nsp[method] as (...rest: unknown[]) => unknown).apply(nsp, args);
      return result === nsp ? this : result;
    },
  });
}
