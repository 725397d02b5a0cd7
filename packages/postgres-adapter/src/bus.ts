// What the namespaces of one `createAdapter` call share: the LISTEN connection, the publisher, the attachments
// table and its cleanup. Incoming notifications are handled one at a time, in order, even those that wait for
// their attachment to be read.
import createDebug from 'debug';
import type { ClusterMessage } from '@switchboard/adapter';
import { AttachmentsTable } from './attachments.js';
import { Listener } from './listener.js';
import type { PostgresNotification, PostgresPool } from './pg-types.js';
import { Publisher } from './publisher.js';
import { channelOf, parseNotification, type Notification } from './wire.js';

const debug = createDebug('switchboard:postgres-adapter');

/** The options the bus needs, validated by createAdapter. */
export interface BusOptions {
  channelPrefix: string;
  tableName: string;
  payloadThreshold: number;
  cleanupInterval: number;
  createTable: boolean;
  errorHandler: (err: Error) => void;
}

/** A namespace's adapter as the bus sees it. */
export interface BusMember {
  readonly uid: string;
  /** Hands a decoded message (not yet checked) to the adapter. */
  receive(message: unknown): void;
  /** The LISTEN connection was re-established: the adapter announces itself again. */
  relistened(): void;
}

export class PostgresBus {
  readonly #opts: BusOptions;
  readonly #attachments: AttachmentsTable;
  readonly #publisher: Publisher;
  readonly #listener: Listener;
  readonly #members = new Map<string, BusMember>();
  readonly #uids = new Set<string>();
  /** Notifications waiting behind an attachment being read. */
  #backlog: PostgresNotification[] = [];
  #reading = false;
  #listening: { promise: Promise<void>; resolve: () => void };

  constructor(pool: PostgresPool, opts: BusOptions) {
    this.#opts = opts;
    this.#attachments = new AttachmentsTable(pool, opts.tableName, opts.cleanupInterval, opts.errorHandler);
    this.#publisher = new Publisher(pool, this.#attachments, opts.payloadThreshold, opts.createTable);
    this.#listener = new Listener(pool, {
      onNotification: (message) => this.#onNotification(message),
      onListening: (reconnected) => this.#onListening(reconnected),
      onError: (err) => opts.errorHandler(err),
    });
    let resolve = (): void => {};
    const promise = new Promise<void>((r) => (resolve = r));
    this.#listening = { promise, resolve };
  }

  /**
   * Joins a namespace's adapter; resolves once its channel is listened to (so the answers to its first heartbeat
   * are heard), or after `maxWaitMs` when PostgreSQL is unreachable (the listener keeps trying).
   */
  async join(nsp: string, member: BusMember, maxWaitMs: number): Promise<void> {
    this.#members.set(nsp, member);
    this.#uids.add(member.uid);
    if (this.#members.size === 1) {
      this.#attachments.startCleanup();
      if (this.#opts.createTable)
        this.#attachments.create().catch((err: unknown) => this.#opts.errorHandler(err as Error));
    }
    this.#listener.add(channelOf(this.#opts.channelPrefix, nsp));
    if (this.#listener.listening) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#listening.promise,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs))),
    ]);
    clearTimeout(timer);
  }

  /** Leaves; the last adapter to leave closes the connection (after its last messages went out). */
  async leave(nsp: string, member: BusMember): Promise<void> {
    if (this.#members.get(nsp) !== member) return;
    this.#members.delete(nsp);
    this.#uids.delete(member.uid);
    this.#listener.remove(channelOf(this.#opts.channelPrefix, nsp));
    if (this.#members.size > 0) return;
    this.#attachments.stopCleanup();
    await this.#publisher.flushed();
    this.#listener.close();
  }

  publish(message: ClusterMessage): Promise<void> {
    return this.#publisher.publish(channelOf(this.#opts.channelPrefix, message.nsp), message);
  }

  /** Deletes old attachments now (the schedule does it every `cleanupInterval`). */
  cleanup(): Promise<void> {
    return this.#attachments.cleanup();
  }

  #onListening(reconnected: boolean): void {
    this.#listening.resolve();
    if (!reconnected) return;
    for (const member of this.#members.values()) member.relistened();
  }

  #onNotification(notification: PostgresNotification): void {
    this.#backlog.push(notification);
    if (!this.#reading) this.#drainBacklog();
  }

  /**
   * Handles the backlog in order. Attachments are read together: every attachment of the backlog in one SELECT,
   * so a burst of binary broadcasts costs one round trip, not one each; what arrives meanwhile waits its turn.
   */
  #drainBacklog(): void {
    const pending = this.#backlog;
    this.#backlog = [];
    const parsed: Notification[] = [];
    const wanted: string[] = [];
    for (const notification of pending) {
      const one = parseNotification(notification.payload ?? '');
      if (one === undefined) {
        debug('dropped a notification on %s that is not a JSON object', notification.channel);
        continue;
      }
      // Our own attachments are not read back: the adapter would drop them anyway.
      if (one.kind === 'attachment' && this.#uids.has(one.uid)) continue;
      if (one.kind === 'attachment') wanted.push(one.attachmentId);
      parsed.push(one);
    }
    if (wanted.length === 0) {
      for (const one of parsed) if (one.kind === 'message') this.#deliver(one.message);
      return;
    }
    this.#reading = true;
    this.#attachments
      .read(wanted)
      .then(
        (attachments) => {
          for (const one of parsed) {
            if (one.kind === 'message') this.#deliver(one.message);
            else if (attachments.has(one.attachmentId)) this.#deliver(attachments.get(one.attachmentId));
            else debug('attachment %s is gone (cleaned up before it was read)', one.attachmentId);
          }
        },
        (err: unknown) => {
          // The attached messages are lost; the others still arrive, in order.
          this.#opts.errorHandler(err as Error);
          for (const one of parsed) if (one.kind === 'message') this.#deliver(one.message);
        },
      )
      .catch((err: unknown) => debug('handling attachments failed: %o', err))
      .finally(() => {
        this.#reading = false;
        if (this.#backlog.length > 0) this.#drainBacklog();
      });
  }

  #deliver(message: unknown): void {
    const nsp = (message as { nsp?: unknown }).nsp;
    if (typeof nsp !== 'string') {
      debug('dropped a message without a namespace');
      return;
    }
    this.#members.get(nsp)?.receive(message);
  }
}
