// A socket known only by its details (possibly on another server), acted on through the adapter.
import type { Adapter, Room, SocketDetails, SocketId } from './adapter/types.js';
import { BroadcastOperator } from './broadcast-operator.js';
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
export class RemoteSocket<EmitEvents extends EventsMap, SocketData = DefaultSocketData>
  implements TypedEventBroadcaster<EmitEvents>
{
  readonly id: SocketId;
  readonly handshake: Handshake;
  readonly rooms: Set<Room>;
  readonly data: SocketData;
  readonly #operator: BroadcastOperator<EmitEvents, SocketData>;

  constructor(adapter: Adapter, details: SocketDetails) {
    this.id = details.id;
    this.handshake = details.handshake;
    this.rooms = new Set(details.rooms);
    this.data = details.data as SocketData;
    // expectSingleResponse: an ack from this one socket arrives as a value, as with socket.emit.
    this.#operator = new BroadcastOperator(adapter, new Set([this.id]), new Set(), { expectSingleResponse: true });
  }

  /**
   * Wraps details in a RemoteSocket; a local socket already offers the same methods and is returned as it is
   * (as socket.io does), so `fetchSockets` allocates nothing for local sockets.
   */
  static from<EmitEvents extends EventsMap, SocketData>(
    adapter: Adapter,
    details: SocketDetails,
  ): RemoteSocket<EmitEvents, SocketData> {
    if (typeof (details as { writeEncoded?: unknown }).writeEncoded === 'function') {
      return details as unknown as RemoteSocket<EmitEvents, SocketData>;
    }
    return new RemoteSocket(adapter, details);
  }

  /** Waits `timeout` ms for the acknowledgement of the next emit. */
  timeout(timeout: number): BroadcastOperator<DecorateAcknowledgements<EmitEvents>, SocketData> {
    return this.#operator.timeout(timeout) as unknown as BroadcastOperator<DecorateAcknowledgements<EmitEvents>, SocketData>;
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
