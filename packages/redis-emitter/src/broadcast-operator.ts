// What the emitter publishes: broadcasts `[uid, packet, opts]` on the namespace's channels and JSON requests
// (socketsJoin, socketsLeave, disconnectSockets, serverSideEmit) on its request channel, as @socket.io/redis-emitter 5.1.
import createDebug from 'debug';
import { PacketType, RESERVED_EVENTS } from '@switchboard/protocol';
import { EmitterError, EmitterErrorCode } from './errors.js';
import type { EmitterParser } from './parser.js';
import type { DefaultEventsMap, EventNames, EventParams, EventsMap, TypedEventBroadcaster } from './typed-events.js';

const debug = createDebug('switchboard:redis-emitter');

/** The uid the servers see on everything an emitter sends (they never skip it as their own). */
export const EMITTER_UID = 'emitter';

/** Request types of the classic Redis adapter that an emitter sends. */
export const RequestType = { REMOTE_JOIN: 2, REMOTE_LEAVE: 3, REMOTE_DISCONNECT: 4, SERVER_SIDE_EMIT: 6 } as const;

/** A connected node-redis (v4/v5) or ioredis client; only `publish` is used. */
export interface RedisPublisher {
  publish: (...args: never[]) => unknown;
}

/** Where one namespace's messages go. */
export interface NamespaceTarget {
  readonly nsp: string;
  /** `${key}#${nsp}#`, followed by `${room}#` for a single-room broadcast. */
  readonly broadcastChannel: string;
  /** `${key}-request#${nsp}#`. */
  readonly requestChannel: string;
  readonly parser: EmitterParser;
  readonly client: RedisPublisher;
}

/** Flags an emitter can set on a broadcast. */
export interface EmitterFlags {
  volatile?: boolean;
  compress?: boolean;
}

type Call = (...args: unknown[]) => unknown;

/** Publishes and never throws: a failure is logged (there is nobody to tell, as with socket.io's emitter). */
export function publish(target: NamespaceTarget, channel: string, message: Uint8Array | string): void {
  const payload =
    typeof message === 'string' || Buffer.isBuffer(message)
      ? message
      : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  try {
    const result = (target.client.publish as Call).call(target.client, channel, payload);
    if (result instanceof Promise) result.catch((err: unknown) => debug('publish to %s failed: %o', channel, err));
  } catch (err) {
    debug('publish to %s failed: %o', channel, err);
  }
}

function toList(room: string | string[]): string[] {
  return Array.isArray(room) ? room : [room];
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

  /** Emits to every targeted client of every server; binary arguments travel as msgpack binary. */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): true {
    if (typeof ev === 'string' && RESERVED_EVENTS.has(ev)) {
      throw new EmitterError(EmitterErrorCode.RESERVED_EVENT, `"${ev}" is a reserved event name; rename the event`);
    }
    if (typeof ev !== 'string' && typeof ev !== 'number') {
      throw new EmitterError(EmitterErrorCode.INVALID_OPTION, 'the event name must be a string');
    }
    const packet = { type: PacketType.EVENT, data: [ev, ...(args as unknown[])], nsp: this.#target.nsp };
    const opts = { rooms: [...this.#rooms], flags: this.#flags, except: [...this.#exceptRooms] };
    const message = this.#target.parser.encode([EMITTER_UID, packet, opts]);
    let channel = this.#target.broadcastChannel;
    if (this.#rooms.size === 1) channel += `${this.#rooms.values().next().value as string}#`;
    publish(this.#target, channel, message);
    return true;
  }

  /** Makes the targeted sockets join `rooms`, on every server. */
  socketsJoin(rooms: string | string[]): void {
    this.#request({ type: RequestType.REMOTE_JOIN, opts: this.#targets(), rooms: toList(rooms) });
  }

  /** Makes the targeted sockets leave `rooms`, on every server. */
  socketsLeave(rooms: string | string[]): void {
    this.#request({ type: RequestType.REMOTE_LEAVE, opts: this.#targets(), rooms: toList(rooms) });
  }

  /** Disconnects the targeted sockets; `close` also closes their underlying connections. */
  disconnectSockets(close = false): void {
    this.#request({ type: RequestType.REMOTE_DISCONNECT, opts: this.#targets(), close });
  }

  #targets(): { rooms: string[]; except: string[] } {
    return { rooms: [...this.#rooms], except: [...this.#exceptRooms] };
  }

  #request(request: Record<string, unknown>): void {
    publish(this.#target, this.#target.requestChannel, JSON.stringify(request));
  }
}
