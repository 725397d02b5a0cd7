// What the emitter sends, in the cluster format of socket.io-adapter 2.5 that both PostgreSQL adapters read:
// `{ uid: 'emitter', nsp, type, data }`. The top-level `nsp` is what @socket.io/postgres-emitter 0.1.1 leaves out
// (so @socket.io/postgres-adapter 0.5 drops its messages); here it is always set.
import { PacketType, RESERVED_EVENTS } from '@switchboard/protocol';
import { PostgresEmitterError, PostgresEmitterErrorCode } from './errors.js';
import type { EmitterPublisher } from './publisher.js';
import type { DefaultEventsMap, EventNames, EventParams, EventsMap, TypedEventBroadcaster } from './typed-events.js';

/** The uid the servers see on everything an emitter sends: they count no server for it and never skip it as theirs. */
export const EMITTER_UID = 'emitter';

/** The message types an emitter sends, numbered as socket.io-adapter numbers them. */
export const MessageType = {
  BROADCAST: 3,
  SOCKETS_JOIN: 4,
  SOCKETS_LEAVE: 5,
  DISCONNECT_SOCKETS: 6,
  SERVER_SIDE_EMIT: 9,
} as const;

/** Where one namespace's messages go. */
export interface NamespaceTarget {
  readonly nsp: string;
  /** `${channelPrefix}#${nsp}`. */
  readonly channel: string;
  readonly publisher: EmitterPublisher;
}

/** Flags an emitter can set on a broadcast. */
export interface EmitterFlags {
  volatile?: boolean;
  compress?: boolean;
}

function toList(room: string | string[]): string[] {
  return Array.isArray(room) ? room : [room];
}

/** Publishes one message of `type` to the namespace's servers. */
export function send(target: NamespaceTarget, type: number, data: unknown): void {
  target.publisher.publish(target.channel, { uid: EMITTER_UID, nsp: target.nsp, type, data });
}

/** An immutable broadcast target; each modifier returns a new operator. */
export class BroadcastOperator<
  EmitEvents extends EventsMap = DefaultEventsMap,
> implements TypedEventBroadcaster<EmitEvents> {
  readonly #target: NamespaceTarget;
  readonly #rooms: ReadonlySet<string>;
  readonly #exceptRooms: ReadonlySet<string>;
  readonly #flags: EmitterFlags;

  constructor(
    target: NamespaceTarget,
    rooms: ReadonlySet<string> = new Set(),
    exceptRooms: ReadonlySet<string> = new Set(),
    flags: EmitterFlags = {},
  ) {
    this.#target = target;
    this.#rooms = rooms;
    this.#exceptRooms = exceptRooms;
    this.#flags = flags;
  }

  /** Targets the sockets in `room` (added to the rooms already targeted). */
  to(room: string | string[]): BroadcastOperator<EmitEvents> {
    return new BroadcastOperator(
      this.#target,
      new Set([...this.#rooms, ...toList(room)]),
      this.#exceptRooms,
      this.#flags,
    );
  }

  /** Alias of `to`. */
  in(room: string | string[]): BroadcastOperator<EmitEvents> {
    return this.to(room);
  }

  /** Excludes the sockets in `room`. */
  except(room: string | string[]): BroadcastOperator<EmitEvents> {
    return new BroadcastOperator(
      this.#target,
      this.#rooms,
      new Set([...this.#exceptRooms, ...toList(room)]),
      this.#flags,
    );
  }

  /** Sets whether the packet may be compressed. */
  compress(compress: boolean): BroadcastOperator<EmitEvents> {
    return new BroadcastOperator(this.#target, this.#rooms, this.#exceptRooms, { ...this.#flags, compress });
  }

  /** The packet may be dropped for clients that are not ready to receive it. */
  get volatile(): BroadcastOperator<EmitEvents> {
    return new BroadcastOperator(this.#target, this.#rooms, this.#exceptRooms, { ...this.#flags, volatile: true });
  }

  /** Emits to every targeted client of every server; binary arguments travel through the attachments table. */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): true {
    if (typeof ev === 'string' && RESERVED_EVENTS.has(ev)) {
      throw new PostgresEmitterError(
        PostgresEmitterErrorCode.RESERVED_EVENT,
        `"${ev}" is a reserved event name; rename the event`,
      );
    }
    if (typeof ev !== 'string' && typeof ev !== 'number') {
      throw new PostgresEmitterError(PostgresEmitterErrorCode.INVALID_OPTION, 'the event name must be a string');
    }
    const packet = { type: PacketType.EVENT, data: [ev, ...(args as unknown[])], nsp: this.#target.nsp };
    send(this.#target, MessageType.BROADCAST, { packet, opts: { ...this.#targets(), flags: this.#flags } });
    return true;
  }

  /** Makes the targeted sockets join `rooms`, on every server. */
  socketsJoin(rooms: string | string[]): void {
    send(this.#target, MessageType.SOCKETS_JOIN, { opts: this.#targets(), rooms: toList(rooms) });
  }

  /** Makes the targeted sockets leave `rooms`, on every server. */
  socketsLeave(rooms: string | string[]): void {
    send(this.#target, MessageType.SOCKETS_LEAVE, { opts: this.#targets(), rooms: toList(rooms) });
  }

  /** Disconnects the targeted sockets; `close` also closes their underlying connections. */
  disconnectSockets(close = false): void {
    send(this.#target, MessageType.DISCONNECT_SOCKETS, { opts: this.#targets(), close });
  }

  #targets(): { rooms: string[]; except: string[] } {
    return { rooms: [...this.#rooms], except: [...this.#exceptRooms] };
  }
}
