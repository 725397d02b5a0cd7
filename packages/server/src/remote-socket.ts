// A socket known only by its details (possibly on another server), acted on through the adapter.
import type { Room, SocketDetails, SocketId } from './adapter/types.js';
import type { BroadcastOperator } from './broadcast-operator.js';
import type { Handshake } from './socket-types.js';
import type {
  DecorateAcknowledgements,
  EventNames,
  EventParams,
  EventsMap,
  TypedEventBroadcaster,
  DefaultSocketData,
} from './typed-events.js';

/** What `fetchSockets` returns for each socket: its details plus emit/join/leave/disconnect. */
export class RemoteSocket<
  EmitEvents extends EventsMap,
  SocketData = DefaultSocketData,
> implements TypedEventBroadcaster<EmitEvents> {
  readonly id: SocketId;
  readonly handshake: Handshake;
  readonly rooms: Set<Room>;
  readonly data: SocketData;
  readonly #operator: BroadcastOperator<EmitEvents, SocketData>;

  /**
   * `operator` targets this one socket: the broadcast operator builds it (with `expectSingleResponse`, so an ack from
   * this socket arrives as a value, as with socket.emit). Taken as an argument so this module needs no value import
   * of the operator, which itself creates RemoteSockets.
   */
  constructor(details: SocketDetails, operator: BroadcastOperator<EmitEvents, SocketData>) {
    this.id = details.id;
    this.handshake = details.handshake;
    this.rooms = new Set(details.rooms);
    this.data = details.data as SocketData;
    this.#operator = operator;
  }

  /** Waits `timeout` ms for the acknowledgement of the next emit. */
  timeout(timeout: number): BroadcastOperator<DecorateAcknowledgements<EmitEvents>, SocketData> {
    return this.#operator.timeout(timeout) as unknown as BroadcastOperator<
      DecorateAcknowledgements<EmitEvents>,
      SocketData
    >;
  }

  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this.#operator.emit(ev, ...args);
  }

  join(room: Room | Room[]): void {
    this.#operator.socketsJoin(room);
  }

  leave(room: Room): void {
    this.#operator.socketsLeave(room);
  }

  disconnect(close = false): this {
    this.#operator.disconnectSockets(close);
    return this;
  }
}
