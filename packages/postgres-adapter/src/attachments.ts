// The attachments table: messages too big for a NOTIFY, or holding binary, stored as msgpack rows that every
// listener reads by id. Rows are deleted on a schedule once older than `cleanupInterval` (as socket.io's adapter does).
import { decodeClusterMessage, encodeClusterMessage, type ClusterMessage } from '@switchboard/adapter';
import type { PostgresPool } from './pg-types.js';

/** Error codes PostgreSQL gives two servers racing to create the same table; either way the table exists. */
const ALREADY_CREATED = new Set(['42P07', '23505']);

/** The table of one adapter factory. */
export class AttachmentsTable {
  readonly #pool: PostgresPool;
  readonly #tableName: string;
  readonly #cleanupIntervalMs: number;
  readonly #onError: (err: Error) => void;
  #created: Promise<void> | undefined;
  #cleanupTimer: NodeJS.Timeout | undefined;

  constructor(pool: PostgresPool, tableName: string, cleanupIntervalMs: number, onError: (err: Error) => void) {
    this.#pool = pool;
    this.#tableName = tableName;
    this.#cleanupIntervalMs = cleanupIntervalMs;
    this.#onError = onError;
  }

  /** Creates the table when missing, with the columns @socket.io/postgres-adapter documents. */
  create(): Promise<void> {
    this.#created ??= this.#pool
      .query(`CREATE TABLE IF NOT EXISTS ${this.#tableName} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`)
      .then(
        () => undefined,
        (err: unknown) => {
          this.#created = undefined; // tried again on the next insert
          if (!ALREADY_CREATED.has(String((err as { code?: unknown }).code))) throw err;
        },
      );
    return this.#created;
  }

  /** Stores a message; resolves with the row's id. */
  async insert(message: ClusterMessage, createTable: boolean): Promise<string> {
    if (createTable) await this.create();
    const result = await this.#pool.query(`INSERT INTO ${this.#tableName} (payload) VALUES ($1) RETURNING id`, [encodeClusterMessage(message)]);
    return String(result.rows[0]?.['id']);
  }

  /** The stored message (decoded, not yet checked), or undefined when the row is gone (cleaned up already). */
  async read(attachmentId: string): Promise<unknown> {
    const result = await this.#pool.query(`SELECT payload FROM ${this.#tableName} WHERE id = $1`, [attachmentId]);
    const payload = result.rows[0]?.['payload'];
    return payload instanceof Uint8Array ? decodeClusterMessage(payload) : undefined;
  }

  /** Deletes the rows older than the cleanup interval. */
  async cleanup(): Promise<void> {
    await this.#pool.query(`DELETE FROM ${this.#tableName} WHERE created_at < now() - $1 * interval '1 millisecond'`, [this.#cleanupIntervalMs]);
  }

  startCleanup(): void {
    if (this.#cleanupTimer !== undefined) return;
    this.#cleanupTimer = setInterval(() => {
      this.cleanup().catch((err: unknown) => this.#onError(err as Error));
    }, this.#cleanupIntervalMs);
    this.#cleanupTimer.unref();
  }

  stopCleanup(): void {
    clearInterval(this.#cleanupTimer);
    this.#cleanupTimer = undefined;
  }
}
