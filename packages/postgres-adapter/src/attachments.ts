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
      .query(
        `CREATE TABLE IF NOT EXISTS ${this.#tableName} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`,
      )
      .then(
        () => undefined,
        (err: unknown) => {
          this.#created = undefined; // tried again on the next insert
          if (!ALREADY_CREATED.has(String((err as { code?: unknown }).code))) throw err;
        },
      );
    return this.#created;
  }

  /**
   * Stores messages in one statement; resolves with their row ids, in the order given (a bigserial numbers the rows
   * in the order the statement inserts them, which is the array's).
   */
  async insert(messages: ClusterMessage[], createTable: boolean): Promise<string[]> {
    if (createTable) await this.create();
    const result = await this.#pool.query(
      `INSERT INTO ${this.#tableName} (payload) SELECT unnest($1::bytea[]) RETURNING id`,
      [messages.map((message) => encodeClusterMessage(message))],
    );
    return result.rows
      .map((row) => BigInt(String(row['id'])))
      .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
      .map(String);
  }

  /** The stored messages by id (decoded, not yet checked); an id whose row is gone (cleaned up already) is absent. */
  async read(attachmentIds: string[]): Promise<Map<string, unknown>> {
    const result = await this.#pool.query(`SELECT id, payload FROM ${this.#tableName} WHERE id = ANY($1::bigint[])`, [
      attachmentIds,
    ]);
    const messages = new Map<string, unknown>();
    for (const row of result.rows) {
      const payload = row['payload'];
      if (payload instanceof Uint8Array) messages.set(String(row['id']), decodeClusterMessage(payload));
    }
    return messages;
  }

  /** Deletes the rows older than the cleanup interval. */
  async cleanup(): Promise<void> {
    await this.#pool.query(`DELETE FROM ${this.#tableName} WHERE created_at < now() - $1 * interval '1 millisecond'`, [
      this.#cleanupIntervalMs,
    ]);
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
