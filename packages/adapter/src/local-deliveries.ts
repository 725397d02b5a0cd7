// The local side of a broadcast that travels through a transport: this server's clients get it in emit order, and
// one that waits for its publish to be answered holds back those behind it.
import createDebug from 'debug';
import type { BroadcastOptions, Packet } from '@switchboard/server';

const debug = createDebug('switchboard:adapter:local');

interface Entry {
  readonly packet: Packet;
  readonly opts: BroadcastOptions;
  ready: boolean;
}

/**
 * Local deliveries in emit order. Drained synchronously when the head becomes ready, so a burst of broadcasts whose
 * publishes are answered in one read (replies to pipelined commands usually are) reaches each client within one
 * engine flush, i.e. one write per client, instead of one write per broadcast.
 */
export class LocalDeliveries {
  readonly #deliver: (packet: Packet, opts: BroadcastOptions) => void;
  readonly #queue: (Entry | undefined)[] = [];
  #head = 0;

  /** `deliver` hands the packet to this server's sockets (the in-memory adapter's broadcast). */
  constructor(deliver: (packet: Packet, opts: BroadcastOptions) => void) {
    this.#deliver = deliver;
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
    this.#queue.push({ packet, opts, ready: true });
  }

  /**
   * Delivers once `published` settles, in its turn. `published` must not reject (map a failure to a value first:
   * a broadcast whose publish failed still reaches the local clients, as socket.io's adapters do); `prepare` runs
   * just before delivery with what it resolved to (the stream offset to append, say).
   */
  deliverAfter<T>(published: Promise<T>, packet: Packet, opts: BroadcastOptions, prepare?: (value: T) => void): void {
    const entry: Entry = { packet, opts, ready: false };
    this.#queue.push(entry);
    void published.then((value) => {
      try {
        prepare?.(value);
      } catch (err) {
        debug('preparing a local delivery failed: %o', err);
      }
      entry.ready = true;
      this.#drain();
    });
  }

  #drain(): void {
    const queue = this.#queue;
    // A delivery may run user code that broadcasts again: that lands at the tail and this loop picks it up.
    while (this.#head < queue.length) {
      const entry = queue[this.#head];
      if (entry === undefined || !entry.ready) return;
      queue[this.#head++] = undefined;
      try {
        this.#deliver(entry.packet, entry.opts);
      } catch (err) {
        // The queue must survive a failing delivery (an outgoing listener that throws), or every later one is lost.
        debug('a local delivery failed: %o', err);
      }
    }
    queue.length = 0;
    this.#head = 0;
  }
}
