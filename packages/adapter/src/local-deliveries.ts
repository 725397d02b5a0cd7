// The local side of a broadcast that travels through a transport: this server's clients get it in emit order, and
// one that waits for its publish to be answered holds back those behind it, for a bounded time.
import createDebug from 'debug';
import type { BroadcastOptions, HeldBroadcast, Packet } from '@switchboard/server';
import { AdapterError, AdapterErrorCode } from './errors.js';

const debug = createDebug('switchboard:adapter:local');

/** How long a local delivery waits for its publish by default before it goes out anyway. */
const DEFAULT_LOCAL_DELIVERY_MAX_WAIT_MS = 1000;
/** How long answered deliveries may wait, by default, for the publishes emitted behind them. */
const DEFAULT_LOCAL_BATCH_MS = 3;

/**
 * The `localBatchMs` option of an adapter that delivers locally through {@link LocalDeliveries}, checked, with its
 * default (3) when unset: throws `ADAPTER_ERR_INVALID_OPTION` for anything but a number of milliseconds >= 0.
 */
export function localBatchMsOption(value: unknown): number {
  if (value === undefined) return DEFAULT_LOCAL_BATCH_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new AdapterError(
      AdapterErrorCode.INVALID_OPTION,
      `localBatchMs must be a number of milliseconds >= 0, got ${String(value)}`,
    );
  }
  return value;
}

interface Entry {
  readonly packet: Packet;
  readonly opts: BroadcastOptions;
  /** When it goes out even if its publish is still unanswered (performance.now() time). */
  readonly deadline: number;
  /** Its recipients, taken when it was emitted, with their connections' next writes reserved. */
  readonly held: HeldBroadcast | undefined;
  ready: boolean;
}

/** Options of {@link LocalDeliveries}. */
export interface LocalDeliveriesOptions {
  /**
   * Milliseconds a delivery waits for its publish before it goes out unanswered: a transport whose connection is
   * half-open answers nothing until TCP notices, and this server's clients must not wait that long. @default 1000
   */
  maxWaitMs?: number;
  /**
   * Takes a waiting broadcast's recipients when it is emitted and reserves their connections' next writes
   * (`InMemoryAdapter.holdBroadcast`), so the rooms are read at emit time and nothing the application writes to
   * a recipient afterwards overtakes it. Without it, rooms are read at delivery and direct writes may overtake.
   */
  hold?: (packet: Packet, opts: BroadcastOptions) => HeldBroadcast;
  /**
   * Milliseconds an answered delivery may wait for the publishes emitted after it while they are still unanswered,
   * so that a steady stream of broadcasts reaches each client a few at a time (one write) rather than one write per
   * broadcast. Nothing waits when no publish is in flight; 0 delivers as soon as the head is answered. @default 3
   */
  batchMs?: number;
}

/**
 * Local deliveries in emit order. Answered ones go out together, each client's share in one engine flush (one
 * write): those answered in one read (replies to pipelined commands usually are), and, with `batchMs`, those of a
 * steady stream whose later publishes are still in flight when the turn ends, for up to `batchMs`. With `batchMs: 0`
 * the queue drains synchronously as soon as its head is answered.
 */
export class LocalDeliveries {
  readonly #deliver: (packet: Packet, opts: BroadcastOptions) => void;
  readonly #maxWaitMs: number;
  readonly #hold: ((packet: Packet, opts: BroadcastOptions) => HeldBroadcast) | undefined;
  readonly #queue: (Entry | undefined)[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #batchMs: number;
  /** Deliveries whose publish is neither answered nor past its deadline. */
  #unanswered = 0;
  #decision: NodeJS.Immediate | undefined;
  #batchTimer: NodeJS.Timeout | undefined;
  /** When answered deliveries began waiting for those behind them (performance.now()), or -1. */
  #batchSince = -1;

  /** `deliver` hands the packet to this server's sockets (the in-memory adapter's broadcast). */
  constructor(deliver: (packet: Packet, opts: BroadcastOptions) => void, options: LocalDeliveriesOptions = {}) {
    this.#deliver = deliver;
    const maxWaitMs = options.maxWaitMs ?? DEFAULT_LOCAL_DELIVERY_MAX_WAIT_MS;
    if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) {
      throw new RangeError(`maxWaitMs must be a finite number of milliseconds >= 0, got ${String(maxWaitMs)}`);
    }
    this.#maxWaitMs = maxWaitMs;
    this.#hold = options.hold;
    const batchMs = options.batchMs ?? DEFAULT_LOCAL_BATCH_MS;
    if (!Number.isFinite(batchMs) || batchMs < 0) {
      throw new RangeError(`batchMs must be a finite number of milliseconds >= 0, got ${String(batchMs)}`);
    }
    this.#batchMs = batchMs;
  }

  /** Number of deliveries waiting (ready or not). */
  get size(): number {
    return this.#queue.length - this.#head;
  }

  /** Delivers now, or after the deliveries still waiting before it. */
  deliver(packet: Packet, opts: BroadcastOptions): void {
    if (this.#head === this.#queue.length) {
      this.#deliver(packet, opts);
      return;
    }
    this.#queue.push({ packet, opts, deadline: 0, held: this.#hold?.(packet, opts), ready: true });
  }

  /**
   * Delivers once `published` settles, in its turn, or after `maxWaitMs` if it has not. `published` must not reject
   * (map a failure to a value first: a broadcast whose publish failed still reaches the local clients, as socket.io's
   * adapters do); `prepare` runs just before delivery with what it resolved to (the stream offset to append, say),
   * and not at all for a delivery that went out on its deadline.
   */
  deliverAfter<T>(published: Promise<T>, packet: Packet, opts: BroadcastOptions, prepare?: (value: T) => void): void {
    const deadline = performance.now() + this.#maxWaitMs;
    const entry: Entry = { packet, opts, deadline, held: this.#hold?.(packet, opts), ready: false };
    this.#queue.push(entry);
    this.#unanswered++;
    this.#timer ??= this.#arm(this.#maxWaitMs);
    void published.then((value) => {
      if (entry.ready) return; // already out on its deadline
      try {
        prepare?.(value);
      } catch (err) {
        debug('preparing a local delivery failed: %o', err);
      }
      entry.ready = true;
      this.#unanswered--;
      if (this.#batchMs === 0) this.#drain();
      else this.#decision ??= setImmediate(this.#decide);
    });
  }

  // Runs after the rest of the event-loop turn, so broadcasts emitted meanwhile (an application emitting once per
  // turn, or once per incoming message) are already in flight: if any is, the answered ones wait for it, up to
  // batchMs, and go out together; an idle server delivers at once.
  readonly #decide = (): void => {
    this.#decision = undefined;
    if (this.#unanswered > 0) {
      const now = performance.now();
      if (this.#batchSince < 0) this.#batchSince = now;
      const left = this.#batchSince + this.#batchMs - now;
      if (left > 0) {
        this.#batchTimer ??= setTimeout(this.#releaseBatch, left);
        return;
      }
    }
    this.#releaseBatch();
  };

  readonly #releaseBatch = (): void => {
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    this.#batchSince = -1;
    this.#drain();
  };

  /** Delivers what waits now, in order, without waiting for the publishes (the adapter is closing, say). */
  flush(): void {
    for (let i = this.#head; i < this.#queue.length; i++) {
      const entry = this.#queue[i];
      if (entry !== undefined) entry.ready = true;
    }
    this.#unanswered = 0;
    clearImmediate(this.#decision);
    this.#decision = undefined;
    this.#releaseBatch();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  // One timer for the whole queue, not one per broadcast: it fires at the head's deadline, releases what is overdue
  // and re-arms for the next waiting entry, so it costs nothing per broadcast while publishes are answered in time.
  #arm(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onDeadline();
    }, delayMs);
    timer.unref();
    return timer;
  }

  #onDeadline(): void {
    const now = performance.now();
    const queue = this.#queue;
    let released = 0;
    for (let i = this.#head; i < queue.length; i++) {
      const entry = queue[i];
      if (entry === undefined || entry.ready) continue;
      if (entry.deadline > now) break;
      entry.ready = true;
      this.#unanswered--;
      released++;
    }
    if (released > 0) {
      debug('%d local deliveries went out unanswered after %d ms', released, this.#maxWaitMs);
      this.#drain();
    }
    for (let i = this.#head; i < queue.length; i++) {
      const entry = queue[i];
      if (entry === undefined || entry.ready) continue;
      this.#timer = this.#arm(Math.max(0, entry.deadline - now));
      return;
    }
  }

  #drain(): void {
    const queue = this.#queue;
    // A delivery may run user code that broadcasts again: that lands at the tail and this loop picks it up.
    while (this.#head < queue.length) {
      const entry = queue[this.#head];
      if (entry === undefined || !entry.ready) {
        this.#compact();
        return;
      }
      queue[this.#head++] = undefined;
      try {
        if (entry.held === undefined) this.#deliver(entry.packet, entry.opts);
        else entry.held.release();
      } catch (err) {
        // The queue must survive a failing delivery (an outgoing listener that throws), or every later one is lost.
        debug('a local delivery failed: %o', err);
      }
    }
    queue.length = 0;
    this.#head = 0;
  }

  // Under steady load the queue may never empty (a publish is always in flight): the delivered front is dropped
  // now and then, or the array would grow for as long as the load lasts.
  #compact(): void {
    if (this.#head < 1024 || this.#head * 2 < this.#queue.length) return;
    this.#queue.splice(0, this.#head);
    this.#head = 0;
  }
}
