// The LISTEN connection: one client held out of the pool. When it ends (pg_terminate_backend, a restart of
// PostgreSQL, a network failure) it is destroyed and a new one is acquired, with backoff, and LISTENs on every
// channel again; `onListening` then tells the adapters, which announce themselves anew (notifications sent while
// no connection listened are lost, as with any pub/sub).
import createDebug from 'debug';
import type { PostgresNotification, PostgresPool, PostgresPoolClient } from './pg-types.js';
import { quoteIdentifier } from './wire.js';

const debug = createDebug('switchboard:postgres-adapter:listener');

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

/** The listener's states: `connecting` until every channel is LISTENed, `closed` for good. */
type State = 'idle' | 'connecting' | 'listening' | 'waiting' | 'closed';

export interface ListenerHooks {
  onNotification(message: PostgresNotification): void;
  /** Every channel is listened to, on a new connection; `reconnected` is false the first time. */
  onListening(reconnected: boolean): void;
  onError(err: Error): void;
}

/** Holds the LISTEN connection of one adapter factory. */
export class Listener {
  readonly #pool: PostgresPool;
  readonly #hooks: ListenerHooks;
  readonly #channels = new Set<string>();
  #state: State = 'idle';
  #client: PostgresPoolClient | undefined;
  #listened = new Set<string>();
  #failures = 0;
  #everListened = false;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(pool: PostgresPool, hooks: ListenerHooks) {
    this.#pool = pool;
    this.#hooks = hooks;
  }

  get listening(): boolean {
    return this.#state === 'listening';
  }

  /** Adds a channel (LISTENed now if connected, else on connection) and connects the first time. */
  add(channel: string): void {
    this.#channels.add(channel);
    // Closed when the last namespace left; a namespace created afterwards opens it again.
    if (this.#state === 'idle' || this.#state === 'closed') void this.#connect();
    else if (this.#state === 'listening') {
      const client = this.#client as PostgresPoolClient;
      this.#listenAll(client).catch((err: unknown) => this.#lost(client, err as Error));
    }
  }

  remove(channel: string): void {
    this.#channels.delete(channel);
    const client = this.#client;
    if (client !== undefined && this.#listened.delete(channel)) {
      client
        .query(`UNLISTEN ${quoteIdentifier(channel)}`)
        .catch((err: unknown) => debug('UNLISTEN %s failed: %o', channel, err));
    }
  }

  async #connect(): Promise<void> {
    this.#state = 'connecting';
    let client: PostgresPoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      this.#retry(err as Error);
      return;
    }
    if (this.#closed()) {
      client.release(true);
      return;
    }
    this.#client = client;
    this.#listened = new Set();
    client.on('notification', (message) => this.#hooks.onNotification(message));
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client, new Error('the LISTEN connection ended')));
    try {
      await this.#listenAll(client);
    } catch (err) {
      this.#lost(client, err as Error);
      return;
    }
    if (this.#client !== client) return;
    this.#state = 'listening';
    this.#failures = 0;
    const reconnected = this.#everListened;
    this.#everListened = true;
    debug('listening on %d channel(s)%s', this.#channels.size, reconnected ? ' again' : '');
    this.#hooks.onListening(reconnected);
  }

  async #listenAll(client: PostgresPoolClient): Promise<void> {
    for (const channel of this.#channels) {
      if (this.#listened.has(channel)) continue;
      this.#listened.add(channel);
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    }
  }

  /** The connection failed: destroyed (never back into the pool, where it would still LISTEN), then replaced. */
  #lost(client: PostgresPoolClient, err: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    try {
      client.release(err);
    } catch (releaseErr) {
      debug('release after failure: %o', releaseErr);
    }
    if (this.#state === 'closed') return;
    this.#retry(err);
  }

  /** A method, not a comparison inline: the state changes across awaits, which narrowing does not see. */
  #closed(): boolean {
    return this.#state === 'closed';
  }

  #retry(err: Error): void {
    if (this.#state === 'closed') return;
    this.#hooks.onError(err);
    this.#state = 'waiting';
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.#failures++);
    // Jitter: the servers of a cluster that lost PostgreSQL together do not all come back in the same millisecond.
    const delayMs = Math.round(delay * (0.5 + Math.random() / 2));
    debug('LISTEN connection lost (%s); reconnecting in %d ms', err.message, delayMs);
    this.#retryTimer = setTimeout(() => void this.#connect(), delayMs);
  }

  /** Stops listening and destroys the connection. */
  close(): void {
    this.#state = 'closed';
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    client?.release(true);
  }
}
