// The PostgreSQL adapter: the kit's ClusterAdapter over LISTEN/NOTIFY, wire-compatible with
// @socket.io/postgres-adapter 0.5 (same channels, table and messages), so both can serve one cluster.
import createDebug from 'debug';
import {
  ClusterAdapter,
  MessageType,
  localBatchMsOption,
  type ClusterAdapterOptions,
  type ClusterMessage,
} from '@switchboard/adapter';
import type { AdapterConstructor, AdapterNamespace } from '@switchboard/server';
import { PostgresBus, type BusMember } from './bus.js';
import { PostgresAdapterError, PostgresAdapterErrorCode } from './errors.js';
import { isPostgresPool, type PostgresPool } from './pg-types.js';
import { MAX_NOTIFY_PAYLOAD_BYTES } from './wire.js';

const debug = createDebug('switchboard:postgres-adapter');

/** How long a namespace's `init` waits for the LISTEN connection before the server carries on without it. */
const LISTEN_WAIT_MS = 5000;

/** Options of `createAdapter` (those of the kit included: requestsTimeout, heartbeatInterval, heartbeatTimeout). */
export interface PostgresAdapterOptions extends ClusterAdapterOptions {
  /**
   * Whether this server's clients get a broadcast once its NOTIFY statement completed (see ClusterAdapterOptions):
   * broadcasts emitted one per turn then leave in batched statements (bench/NOTES.md). Clients still see the order
   * the server emitted in. false delivers locally at once, as `@socket.io/postgres-adapter` does. @default true
   */
  deliverAfterPublish?: boolean;
  /** Channels are `${channelPrefix}#${namespace}`. @default 'socket.io' */
  channelPrefix?: string;
  /** The table of payloads too big for a NOTIFY or holding binary (`schema.table` allowed). @default 'socket_io_attachments' */
  tableName?: string;
  /** A JSON payload of this many bytes or more goes through the table (at most 8000, NOTIFY's limit). @default 8000 */
  payloadThreshold?: number;
  /** Milliseconds between two deletions of the attachments older than this. @default 30000 */
  cleanupInterval?: number;
  /** Whether to create the table when it is missing (CREATE TABLE IF NOT EXISTS). @default true */
  createTable?: boolean;
  /** Receives the errors nobody waits for: a lost LISTEN connection, a failed publish or cleanup. @default a debug log */
  errorHandler?: (err: Error) => void;
}

/** A SQL identifier, optionally schema-qualified, that needs no quoting (it is used as socket.io's adapter uses it). */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

function invalid(message: string): PostgresAdapterError {
  return new PostgresAdapterError(PostgresAdapterErrorCode.INVALID_OPTION, message);
}

function checkPositive(name: string, value: number | undefined, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw invalid(
      `${name} must be a number above 0${max === Infinity ? '' : ` and at most ${max}`}, got ${String(value)}`,
    );
  }
  return value;
}

/** A namespace's adapter over PostgreSQL. */
class PostgresAdapter extends ClusterAdapter implements BusMember {
  readonly #bus: PostgresBus;

  constructor(nsp: AdapterNamespace, bus: PostgresBus, opts: ClusterAdapterOptions) {
    super(nsp, opts);
    this.#bus = bus;
  }

  override async init(): Promise<void> {
    await this.#bus.join(this.nsp.name, this, LISTEN_WAIT_MS);
    await super.init();
  }

  protected publish(message: ClusterMessage): Promise<void> {
    return this.#bus.publish(message);
  }

  receive(message: unknown): void {
    this.onMessage(message);
  }

  relistened(): void {
    // Peers may have forgotten this server while it heard nothing; they answer this with a heartbeat each.
    this.#bus
      .publish({ type: MessageType.INITIAL_HEARTBEAT, uid: this.uid, nsp: this.nsp.name })
      .catch((err: unknown) => debug('could not announce %s again: %o', this.nsp.name, err));
  }

  override async close(): Promise<void> {
    await super.close();
    await this.#bus.leave(this.nsp.name, this);
  }
}

/**
 * Creates the adapter class for a cluster sharing one PostgreSQL database, to pass as the server's `adapter`
 * option. Give it a `pg.Pool` (with an `error` listener, as node-postgres asks): the adapter holds one client for
 * LISTEN and reconnects it when it drops; publishing uses the pool.
 *
 * @example
 * const pool = new pg.Pool({ connectionString: 'postgres://postgres@localhost/app' });
 * pool.on('error', (err) => console.error(err));
 * const io = new Server({ adapter: createAdapter(pool) });
 */
export function createAdapter(pool: PostgresPool, opts: PostgresAdapterOptions = {}): AdapterConstructor {
  if (!isPostgresPool(pool)) {
    throw new PostgresAdapterError(
      PostgresAdapterErrorCode.UNSUPPORTED_CLIENT,
      'pool must be a pg.Pool (it needs query() and connect())',
    );
  }
  const { channelPrefix = 'socket.io', tableName = 'socket_io_attachments', createTable = true } = opts;
  if (typeof channelPrefix !== 'string' || channelPrefix === '')
    throw invalid(`channelPrefix must be a non-empty string, got ${String(channelPrefix)}`);
  if (typeof tableName !== 'string' || !TABLE_NAME.test(tableName)) {
    throw invalid(
      `tableName must be a SQL identifier ([A-Za-z_][A-Za-z0-9_]*, optionally schema.table), got ${String(tableName)}`,
    );
  }
  if (opts.errorHandler !== undefined && typeof opts.errorHandler !== 'function')
    throw invalid('errorHandler must be a function');
  const errorHandler = opts.errorHandler ?? ((err: Error) => debug('error: %o', err));
  const bus = new PostgresBus(pool, {
    channelPrefix,
    tableName,
    payloadThreshold: checkPositive('payloadThreshold', opts.payloadThreshold, 8000, MAX_NOTIFY_PAYLOAD_BYTES + 1),
    cleanupInterval: checkPositive('cleanupInterval', opts.cleanupInterval, 30_000),
    createTable,
    errorHandler,
  });
  const clusterOpts: ClusterAdapterOptions = {};
  if (opts.requestsTimeout !== undefined) clusterOpts.requestsTimeout = opts.requestsTimeout;
  if (opts.heartbeatInterval !== undefined) clusterOpts.heartbeatInterval = opts.heartbeatInterval;
  if (opts.heartbeatTimeout !== undefined) clusterOpts.heartbeatTimeout = opts.heartbeatTimeout;
  clusterOpts.localBatchMs = localBatchMsOption(opts.localBatchMs);
  // On by default here: a turn that emits then only queues the NOTIFY, so broadcasts leave in batched statements.
  clusterOpts.deliverAfterPublish = opts.deliverAfterPublish ?? true;
  return class extends PostgresAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, bus, clusterOpts);
    }
  };
}
