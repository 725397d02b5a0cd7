// Sends the emitter's messages as the servers' adapters expect them (@socket.io/postgres-adapter 0.5's wire): JSON in
// a NOTIFY on `${channelPrefix}#${nsp}`, or msgpack in the attachments table with a `{ uid, type, attachmentId }`
// header when it holds binary or reaches the payload threshold. One statement at a time, so messages arrive in
// the order they were emitted; what queues meanwhile leaves together.
import createDebug from 'debug';
import { Encoder } from '@msgpack/msgpack';

const debug = createDebug('switchboard:postgres-emitter');

/** Bounds one statement. */
const MAX_BATCH_MESSAGES = 500;
const MAX_BATCH_BYTES = 1 << 20;
const NOTIFY_MANY = 'SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS m(c, p)';
/** Error codes PostgreSQL gives two processes racing to create the same table; either way it exists. */
const ALREADY_CREATED = new Set(['42P07', '23505']);

// Undefined map values are left out, as notepack.io (the servers' encoder) leaves them out.
const encoder = new Encoder({ ignoreUndefined: true });

/** A `pg.Pool` or `pg.Client`; only `query` is used. */
export interface PostgresQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A message of the cluster format, as an emitter sends it. */
export interface EmitterMessage {
  uid: string;
  nsp: string;
  type: number;
  data: unknown;
}

interface Outgoing {
  channel: string;
  message: EmitterMessage;
}

/** Whether a value holds binary data anywhere. */
export function hasBinary(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null || depth > 64) return false;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  if (Array.isArray(value)) return value.some((item) => hasBinary(item, depth + 1));
  for (const key of Object.keys(value)) if (hasBinary((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

export interface PublisherOptions {
  tableName: string;
  payloadThreshold: number;
  createTable: boolean;
  errorHandler: (err: Error) => void;
}

/** The emitter's queue; a failure is handed to `errorHandler` (nobody else could act on it). */
export class EmitterPublisher {
  readonly #pool: PostgresQueryable;
  readonly #opts: PublisherOptions;
  #queue: Outgoing[] = [];
  #draining: Promise<void> | undefined;
  #tableCreated: Promise<void> | undefined;

  constructor(pool: PostgresQueryable, opts: PublisherOptions) {
    this.#pool = pool;
    this.#opts = opts;
  }

  publish(channel: string, message: EmitterMessage): void {
    this.#queue.push({ channel, message });
    this.#draining ??= Promise.resolve().then(() => this.#drain());
  }

  /** Resolves once everything published so far has been sent (or has failed). */
  async flushed(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#sendBatch(this.#queue.splice(0, MAX_BATCH_MESSAGES));
    } finally {
      this.#draining = undefined;
    }
  }

  #inline(message: EmitterMessage): string | undefined {
    if (hasBinary(message.data)) return undefined;
    const json = JSON.stringify(message);
    return Buffer.byteLength(json) < this.#opts.payloadThreshold ? json : undefined;
  }

  async #attach(message: EmitterMessage): Promise<string> {
    const table = this.#opts.tableName;
    if (this.#opts.createTable) {
      this.#tableCreated ??= this.#pool
        .query(
          `CREATE TABLE IF NOT EXISTS ${table} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`,
        )
        .then(
          () => undefined,
          (err: unknown) => {
            this.#tableCreated = undefined;
            if (!ALREADY_CREATED.has(String((err as { code?: unknown }).code))) throw err;
          },
        );
      await this.#tableCreated;
    }
    const bytes = encoder.encode(message);
    const result = await this.#pool.query(`INSERT INTO ${table} (payload) VALUES ($1) RETURNING id`, [
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    ]);
    return JSON.stringify({ uid: message.uid, type: message.type, attachmentId: String(result.rows[0]?.['id']) });
  }

  async #sendBatch(batch: Outgoing[]): Promise<void> {
    const channels: string[] = [];
    const payloads: string[] = [];
    // PostgreSQL delivers one notification for identical channel and payload in one transaction: a repeat waits.
    const seen = new Set<string>();
    let bytes = 0;
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i] as Outgoing;
      const inline = this.#inline(item.message);
      const key = inline === undefined ? undefined : `${item.channel}\n${inline}`;
      const size = inline?.length ?? 80;
      if ((key !== undefined && seen.has(key)) || (bytes > 0 && bytes + size > MAX_BATCH_BYTES)) {
        this.#queue.unshift(...batch.slice(i));
        break;
      }
      let payload = inline;
      if (payload === undefined) {
        try {
          payload = await this.#attach(item.message);
        } catch (err) {
          this.#fail(err);
          continue;
        }
      }
      if (key !== undefined) seen.add(key);
      bytes += payload.length;
      channels.push(item.channel);
      payloads.push(payload);
    }
    if (payloads.length === 0) return;
    try {
      await this.#pool.query(NOTIFY_MANY, [channels, payloads]);
    } catch (err) {
      this.#fail(err);
    }
  }

  #fail(err: unknown): void {
    debug('publish failed: %o', err);
    try {
      this.#opts.errorHandler(err instanceof Error ? err : new Error(String(err)));
    } catch (handlerErr) {
      debug('errorHandler threw: %o', handlerErr);
    }
  }
}
