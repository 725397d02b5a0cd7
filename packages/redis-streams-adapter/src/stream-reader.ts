// Reads the stream for every namespace of one createAdapter() call: XREAD BLOCK on a connection of its own, from the
// last id it handled, so a Redis restart or a network cut costs a retry, never a message or a crash. An entry that
// fails to decode or to be handled is skipped and counted: the offset always moves past it.
import createDebug from 'debug';
import { AdapterError, AdapterErrorCode } from '@switchboard/adapter';
import type { Connection } from './redis-client.js';
import { compareIds, parseRange, parseRead, type StreamEntry } from './stream-entry.js';

const debug = createDebug('switchboard:redis-streams-adapter:reader');

/** Counters of one reader (shared by the namespaces of one `createAdapter` call). */
export interface StreamReaderStats {
  /** Entries skipped because they did not decode or their handling failed (each logged at debug level). */
  skippedEntries: number;
  /** Failed XREAD calls (Redis down, connection lost); each was retried from the last id handled. */
  readErrors: number;
  /** The last entry skipped: its id and why (an AdapterError with code ADAPTER_ERR_BAD_ENTRY). */
  lastSkipped: { id: string; error: AdapterError } | undefined;
}

/** Handles one entry; returns false (or throws) when it could not. */
export type EntryHandler = (entry: StreamEntry) => boolean;

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 2000;

export interface StreamReaderOptions {
  streamName: string;
  readCount: number;
  blockTimeInMs: number;
}

export class StreamReader {
  readonly stats: StreamReaderStats = { skippedEntries: 0, readErrors: 0, lastSkipped: undefined };
  readonly #commands: Connection;
  readonly #opts: StreamReaderOptions;
  readonly #handle: EntryHandler;
  #connection: Connection | undefined;
  #offset: string | undefined;
  #stopped = false;
  #holds = 0;
  #released: (() => void)[] = [];
  #reachWaiters: { id: string; resolve: () => void }[] = [];
  readonly #ready: Promise<void>;
  #markReady: () => void = () => {};

  /** `commands` runs the non-blocking commands; the reader opens its own connection for XREAD BLOCK. */
  constructor(commands: Connection, opts: StreamReaderOptions, handle: EntryHandler) {
    this.#commands = commands;
    this.#opts = opts;
    this.#handle = handle;
    this.#ready = new Promise((resolve) => (this.#markReady = resolve));
  }

  /** The id of the last entry handled (every entry up to it was handled, none after it). */
  get offset(): string | undefined {
    return this.#offset;
  }

  /** Resolves once the reader knows where the stream ends (the first XREAD can then miss nothing). */
  get ready(): Promise<void> {
    return this.#ready;
  }

  start(): void {
    void this.#run();
  }

  /** Stops reading; the pending XREAD is cut by closing the reader's connection. */
  stop(): void {
    this.#stopped = true;
    this.#markReady();
    for (const release of this.#released.splice(0)) release();
    for (const waiter of this.#reachWaiters) waiter.resolve();
    this.#connection?.destroy();
  }

  /** Resolves once every entry up to `id` was handled (or after `timeoutMs`, or when the reader stops). */
  reached(id: string, timeoutMs: number): Promise<void> {
    if (this.#stopped || (this.#offset !== undefined && compareIds(this.#offset, id) >= 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { id, resolve: () => {} };
      const timer = setTimeout(() => waiter.resolve(), timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        this.#reachWaiters = this.#reachWaiters.filter((w) => w !== waiter);
        resolve();
      };
      this.#reachWaiters.push(waiter);
    });
  }

  /**
   * Holds back the handling of new entries until `release()`: a session restore reads the stream up to `offset`
   * and the restored socket must join before the reader delivers what comes after.
   */
  hold(): void {
    this.#holds++;
  }

  release(): void {
    // After the I/O callbacks of this turn: the restored socket joins its rooms in the microtasks of the restore.
    setImmediate(() => {
      this.#holds--;
      if (this.#holds === 0) for (const wake of this.#released.splice(0)) wake();
    });
  }

  async #run(): Promise<void> {
    let retryMs = RETRY_MIN_MS;
    while (!this.#stopped) {
      try {
        this.#connection ??= await this.#commands.duplicate();
        if (this.#stopped) break;
        if (this.#offset === undefined) {
          // Start at the current end, as an id: '$' would move with every XREAD and could skip entries.
          const last = parseRange(
            await this.#commands.command(['XREVRANGE', this.#opts.streamName, '+', '-', 'COUNT', '1']),
          )[0];
          this.#offset = last?.id ?? '0-0';
          this.#markReady();
        }
        const reply = await this.#connection.command([
          'XREAD',
          'COUNT',
          String(this.#opts.readCount),
          'BLOCK',
          String(this.#opts.blockTimeInMs),
          'STREAMS',
          this.#opts.streamName,
          this.#offset,
        ]);
        const entries = parseRead(reply);
        while (this.#holds > 0 && !this.#stopped) await new Promise<void>((resolve) => this.#released.push(resolve));
        if (this.#stopped) break;
        for (const entry of entries) {
          this.#offset = entry.id;
          this.#dispatch(entry);
        }
        const offset = this.#offset;
        for (const waiter of this.#reachWaiters) if (compareIds(offset, waiter.id) >= 0) waiter.resolve();
        retryMs = RETRY_MIN_MS;
      } catch (err) {
        if (this.#stopped) break;
        this.stats.readErrors++;
        debug(
          'reading %s failed (retry in %d ms from %s): %s',
          this.#opts.streamName,
          retryMs,
          this.#offset,
          (err as Error).message,
        );
        await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    }
  }

  #dispatch(entry: StreamEntry): void {
    let cause: unknown;
    let handled: boolean;
    try {
      handled = this.#handle(entry);
    } catch (err) {
      handled = false;
      cause = err;
    }
    if (!handled) this.skip(entry.id, cause);
  }

  /** Counts an entry that could not be used (also by session restores reading the stream). */
  skip(id: string, cause: unknown): void {
    const error = new AdapterError(
      AdapterErrorCode.BAD_ENTRY,
      `stream entry ${id} could not be decoded or handled; skipped`,
      { cause },
    );
    this.stats.skippedEntries++;
    this.stats.lastSkipped = { id, error };
    debug('skipped entry %s of %s: %o', id, this.#opts.streamName, cause);
  }
}
