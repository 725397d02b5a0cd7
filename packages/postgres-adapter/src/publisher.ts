// Publishing, in order and in batches: one statement at a time per adapter factory; what is queued meanwhile leaves
// in the next statement, many NOTIFYs at once. Invariant: messages leave in the order they were published, since
// one transaction's notifications are delivered in order and transactions in commit order.
import type { ClusterMessage } from '@switchboard/adapter';
import type { AttachmentsTable } from './attachments.js';
import type { PostgresPool } from './pg-types.js';
import { encodeHeader, inlinePayload } from './wire.js';

/** Bounds one statement, so a burst becomes several statements of reasonable size. */
const MAX_BATCH_MESSAGES = 500;
const MAX_BATCH_BYTES = 1 << 20;

const NOTIFY_MANY = 'SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS m(c, p)';

interface Outgoing {
  channel: string;
  message: ClusterMessage;
  done: (err: Error | null) => void;
}

/** Sends cluster messages as NOTIFYs (and attachments), batched and in order. */
export class Publisher {
  readonly #pool: PostgresPool;
  readonly #attachments: AttachmentsTable;
  readonly #payloadThreshold: number;
  readonly #createTable: boolean;
  #queue: Outgoing[] = [];
  #draining: Promise<void> | undefined;

  constructor(pool: PostgresPool, attachments: AttachmentsTable, payloadThreshold: number, createTable: boolean) {
    this.#pool = pool;
    this.#attachments = attachments;
    this.#payloadThreshold = payloadThreshold;
    this.#createTable = createTable;
  }

  /** Queues a message for `channel`; resolves once PostgreSQL took it, rejects with the query's error. */
  publish(channel: string, message: ClusterMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ channel, message, done: (err) => (err === null ? resolve() : reject(err)) });
      // Started after the current task's synchronous emits, so a burst leaves as one statement.
      this.#draining ??= Promise.resolve().then(() => this.#drain());
    });
  }

  /** Resolves once everything queued so far has been sent (or failed). */
  async flushed(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#sendBatch(this.#takeBatch());
    } finally {
      this.#draining = undefined;
    }
  }

  /**
   * The next batch. PostgreSQL delivers one notification for identical channel and payload sent in one
   * transaction, so a payload already in the batch starts the next one (checked once encoded, in #sendBatch).
   */
  #takeBatch(): Outgoing[] {
    return this.#queue.splice(0, MAX_BATCH_MESSAGES);
  }

  async #sendBatch(batch: Outgoing[]): Promise<void> {
    const channels: string[] = [];
    const payloads: (string | undefined)[] = [];
    const sent: Outgoing[] = [];
    const attached: { index: number; message: ClusterMessage }[] = [];
    const seen = new Set<string>();
    let bytes = 0;
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i] as Outgoing;
      const inline = inlinePayload(item.message, this.#payloadThreshold);
      const key = inline === undefined ? undefined : `${item.channel}\n${inline}`;
      // A header is about 80 bytes.
      const size = inline?.length ?? 80;
      if ((key !== undefined && seen.has(key)) || (bytes > 0 && bytes + size > MAX_BATCH_BYTES)) {
        // Back to the front of the queue, in order, for the next statement.
        this.#queue.unshift(...batch.slice(i));
        break;
      }
      if (key !== undefined) seen.add(key);
      else attached.push({ index: sent.length, message: item.message });
      bytes += size;
      channels.push(item.channel);
      payloads.push(inline);
      sent.push(item);
    }
    if (sent.length === 0) return;
    let failure: Error | null = null;
    try {
      // The attachments of the whole batch in one INSERT, then every NOTIFY in one SELECT: two round trips at most.
      if (attached.length > 0) {
        const ids = await this.#attachments.insert(
          attached.map((a) => a.message),
          this.#createTable,
        );
        attached.forEach(({ index, message }, n) => (payloads[index] = encodeHeader(message, ids[n] as string)));
      }
      await this.#pool.query(NOTIFY_MANY, [channels, payloads]);
    } catch (err) {
      failure = err as Error;
    }
    for (const item of sent) item.done(failure);
  }
}
