// The emitter: reaches the clients of a cluster of servers through Redis, from a process that runs no server.
import { EmitterError, EmitterErrorCode } from './errors.js';
import {
  BroadcastOperator,
  EMITTER_UID,
  publish,
  RequestType,
  type NamespaceTarget,
  type RedisPublisher,
} from './broadcast-operator.js';
import { msgpackParser, type EmitterParser } from './parser.js';
import type { DefaultEventsMap, EventNames, EventParams, EventsMap } from './typed-events.js';

/** Options of `new Emitter`; both must match the servers' adapter options. */
export interface EmitterOptions {
  /** Prefix of every channel name. @default 'socket.io' */
  key?: string;
  /** Encoder of broadcasts. @default msgpack (as notepack.io writes it) */
  parser?: EmitterParser;
}

/**
 * Emits to the clients of servers using the Redis adapter (ours or socket.io's), from any Node process.
 * @example
 * const client = createClient({ url: 'redis://localhost:6379' });
 * await client.connect();
 * const emitter = new Emitter(client);
 * emitter.to('room1').emit('hello', 'world');
 */
export class Emitter<
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
> {
  readonly redisClient: RedisPublisher;
  readonly nsp: string;
  readonly #opts: Required<EmitterOptions>;
  readonly #target: NamespaceTarget;

  constructor(redisClient: RedisPublisher, opts: EmitterOptions = {}, nsp = '/') {
    if (typeof (redisClient as Partial<RedisPublisher> | undefined)?.publish !== 'function') {
      throw new EmitterError(
        EmitterErrorCode.UNSUPPORTED_CLIENT,
        'redisClient must be a connected node-redis or ioredis client (it has no publish method)',
      );
    }
    const { key = 'socket.io', parser = msgpackParser } = opts;
    if (typeof key !== 'string' || key === '') {
      throw new EmitterError(
        EmitterErrorCode.INVALID_OPTION,
        `key must be a non-empty string, got ${JSON.stringify(key)}`,
      );
    }
    if (typeof parser?.encode !== 'function') {
      throw new EmitterError(EmitterErrorCode.INVALID_OPTION, 'parser must have an encode(message) function');
    }
    this.redisClient = redisClient;
    this.nsp = nsp;
    this.#opts = { key, parser };
    this.#target = {
      nsp,
      broadcastChannel: `${key}#${nsp}#`,
      requestChannel: `${key}-request#${nsp}#`,
      parser,
      client: redisClient,
    };
  }

  /** An emitter for another namespace (a leading `/` is added when missing). */
  of(nsp: string): Emitter<EmitEvents, ServerSideEvents> {
    return new Emitter(this.redisClient, this.#opts, nsp.startsWith('/') ? nsp : `/${nsp}`);
  }

  #operator(): BroadcastOperator<EmitEvents> {
    return new BroadcastOperator(this.#target);
  }

  /** Emits to every client of the namespace. */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): true {
    return this.#operator().emit(ev, ...args);
  }

  /** Targets the sockets in `room`. */
  to(room: string | string[]): BroadcastOperator<EmitEvents> {
    return this.#operator().to(room);
  }

  /** Alias of `to`. */
  in(room: string | string[]): BroadcastOperator<EmitEvents> {
    return this.#operator().in(room);
  }

  /** Excludes the sockets in `room`. */
  except(room: string | string[]): BroadcastOperator<EmitEvents> {
    return this.#operator().except(room);
  }

  /** The next emit may be dropped for clients that are not ready. */
  get volatile(): BroadcastOperator<EmitEvents> {
    return this.#operator().volatile;
  }

  /** Sets whether the next emit may be compressed. */
  compress(compress: boolean): BroadcastOperator<EmitEvents> {
    return this.#operator().compress(compress);
  }

  /** Makes every socket of the namespace join `rooms`. */
  socketsJoin(rooms: string | string[]): void {
    this.#operator().socketsJoin(rooms);
  }

  /** Makes every socket of the namespace leave `rooms`. */
  socketsLeave(rooms: string | string[]): void {
    this.#operator().socketsLeave(rooms);
  }

  /** Disconnects every socket of the namespace; `close` also closes their connections. */
  disconnectSockets(close = false): void {
    this.#operator().disconnectSockets(close);
  }

  /** Emits an event to the servers themselves (their `io.on(ev, ...)` listeners); acknowledgements are not supported. */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(ev: Ev, ...args: EventParams<ServerSideEvents, Ev>): void {
    const data: unknown[] = [ev, ...(args as unknown[])];
    if (typeof data[data.length - 1] === 'function') {
      throw new EmitterError(
        EmitterErrorCode.ACK_UNSUPPORTED,
        'serverSideEmit from an emitter cannot take an acknowledgement callback: no server can answer it; emit from a server with serverSideEmitWithAck instead',
      );
    }
    publish(
      this.#target,
      this.#target.requestChannel,
      JSON.stringify({ uid: EMITTER_UID, type: RequestType.SERVER_SIDE_EMIT, data }),
    );
  }
}
