// The emitter: reaches the clients of a cluster of servers through PostgreSQL, from a process that runs no server.
import createDebug from 'debug';
import { BroadcastOperator, MessageType, send, type NamespaceTarget } from './broadcast-operator.js';
import { PostgresEmitterError, PostgresEmitterErrorCode } from './errors.js';
import { EmitterPublisher, type PostgresQueryable } from './publisher.js';
import type { DefaultEventsMap, EventNames, EventParams, EventsMap } from './typed-events.js';

const debug = createDebug('switchboard:postgres-emitter');

/** Options of `new Emitter`; `channelPrefix`, `tableName` and `payloadThreshold` must match the servers' adapter. */
export interface PostgresEmitterOptions {
  /** Channels are `${channelPrefix}#${namespace}`. @default 'socket.io' */
  channelPrefix?: string;
  /** The attachments table (`schema.table` allowed). @default 'socket_io_attachments' */
  tableName?: string;
  /** A JSON payload of this many bytes or more goes through the table (at most 8000). @default 8000 */
  payloadThreshold?: number;
  /** Whether to create the table when it is missing. @default true */
  createTable?: boolean;
  /** Receives failed publishes (nobody waits on an emit). @default a debug log */
  errorHandler?: (err: Error) => void;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

function invalid(message: string): PostgresEmitterError {
  return new PostgresEmitterError(PostgresEmitterErrorCode.INVALID_OPTION, message);
}

function checkOptions(opts: PostgresEmitterOptions): Required<PostgresEmitterOptions> {
  const {
    channelPrefix = 'socket.io',
    tableName = 'socket_io_attachments',
    payloadThreshold = 8000,
    createTable = true,
  } = opts;
  if (typeof channelPrefix !== 'string' || channelPrefix === '')
    throw invalid(`channelPrefix must be a non-empty string, got ${String(channelPrefix)}`);
  if (typeof tableName !== 'string' || !TABLE_NAME.test(tableName)) {
    throw invalid(
      `tableName must be a SQL identifier ([A-Za-z_][A-Za-z0-9_]*, optionally schema.table), got ${String(tableName)}`,
    );
  }
  if (!Number.isFinite(payloadThreshold) || payloadThreshold <= 0 || payloadThreshold > 8000) {
    throw invalid(`payloadThreshold must be a number above 0 and at most 8000, got ${String(payloadThreshold)}`);
  }
  if (opts.errorHandler !== undefined && typeof opts.errorHandler !== 'function')
    throw invalid('errorHandler must be a function');
  const errorHandler = opts.errorHandler ?? ((err: Error) => debug('error: %o', err));
  return { channelPrefix, tableName, payloadThreshold, createTable, errorHandler };
}

/**
 * Emits to the clients of servers using a PostgreSQL adapter (ours or @socket.io/postgres-adapter), from any Node
 * process. The namespace may come second, as in @socket.io/postgres-emitter: `new Emitter(pool, '/admin', opts)`.
 * @example
 * const pool = new pg.Pool({ connectionString: 'postgres://postgres@localhost/app' });
 * const emitter = new Emitter(pool);
 * emitter.to('room1').emit('hello', 'world');
 */
export class Emitter<
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
> {
  readonly pool: PostgresQueryable;
  readonly nsp: string;
  readonly #publisher: EmitterPublisher;
  readonly #opts: Required<PostgresEmitterOptions>;
  readonly #target: NamespaceTarget;

  constructor(pool: PostgresQueryable, opts?: PostgresEmitterOptions | string, nsp?: string | PostgresEmitterOptions);
  constructor(
    pool: PostgresQueryable,
    optsOrNsp: PostgresEmitterOptions | string = {},
    nspOrOpts: string | PostgresEmitterOptions = '/',
  ) {
    if (typeof (pool as Partial<PostgresQueryable> | undefined)?.query !== 'function') {
      throw new PostgresEmitterError(
        PostgresEmitterErrorCode.UNSUPPORTED_CLIENT,
        'pool must be a pg.Pool or a connected pg.Client (it has no query method)',
      );
    }
    // Both orders: ours (pool, opts, nsp) as the Redis emitter, and socket.io's (pool, nsp, opts).
    const [opts, nsp] =
      typeof optsOrNsp === 'string'
        ? [typeof nspOrOpts === 'object' ? nspOrOpts : {}, optsOrNsp]
        : [optsOrNsp, typeof nspOrOpts === 'string' ? nspOrOpts : '/'];
    this.pool = pool;
    this.nsp = nsp.startsWith('/') ? nsp : `/${nsp}`;
    this.#opts = checkOptions(opts);
    this.#publisher = new EmitterPublisher(pool, this.#opts);
    this.#target = { nsp: this.nsp, channel: `${this.#opts.channelPrefix}#${this.nsp}`, publisher: this.#publisher };
  }

  /** An emitter for another namespace (a leading `/` is added when missing), with the same options. */
  of(nsp: string): Emitter<EmitEvents, ServerSideEvents> {
    return new Emitter(this.pool, this.#opts, nsp);
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
    const packet: unknown[] = [ev, ...(args as unknown[])];
    if (typeof packet[packet.length - 1] === 'function') {
      throw new PostgresEmitterError(
        PostgresEmitterErrorCode.ACK_UNSUPPORTED,
        'serverSideEmit from an emitter cannot take an acknowledgement callback: no server can answer it; emit from a server with serverSideEmitWithAck instead',
      );
    }
    send(this.#target, MessageType.SERVER_SIDE_EMIT, { packet });
  }

  /** Resolves once everything emitted so far was handed to PostgreSQL (or failed): await it before `pool.end()`. */
  flush(): Promise<void> {
    return this.#publisher.flushed();
  }
}
