// The writes of one connection that wait behind broadcasts held for it (see HeldBroadcast), kept in the order they
// were made: a held broadcast reserves its place when it is emitted, later writes queue behind it, and the queue
// drains up to the next broadcast still held each time one is released.
import createDebug from 'debug';
import { HeldBroadcast } from './adapter/held-broadcast.js';
import type { AdapterSocket } from './adapter/types.js';

const debug = createDebug('switchboard:server:client');

/** One connection's queue; it exists only while the connection is a recipient of a held broadcast. */
export class HeldWrites {
  // Parallel arrays, not an object per entry: a held broadcast to thousands of sockets adds one slot to each.
  readonly #items: (HeldBroadcast | (() => void) | undefined)[] = [];
  readonly #sockets: (AdapterSocket | undefined)[] = [];
  #head = 0;
  #draining = false;

  /** Whether a write made now must wait (false while draining: the queue's own writes go straight out). */
  get holding(): boolean {
    return !this.#draining && this.#head < this.#items.length;
  }

  /** Reserves the next place for `broadcast`, to be written to `socket`. */
  reserve(broadcast: HeldBroadcast, socket: AdapterSocket): void {
    this.#items.push(broadcast);
    this.#sockets.push(socket);
  }

  /** Queues a write made while `holding`. */
  defer(write: () => void): void {
    this.#items.push(write);
    this.#sockets.push(undefined);
  }

  /** Writes what is ready, in order, up to the first broadcast still held. */
  drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    const items = this.#items;
    const sockets = this.#sockets;
    try {
      while (this.#head < items.length) {
        const item = items[this.#head];
        if (item instanceof HeldBroadcast && !item.released) {
          this.#compact();
          return;
        }
        const socket = sockets[this.#head];
        items[this.#head] = undefined;
        sockets[this.#head] = undefined;
        this.#head++;
        try {
          if (item instanceof HeldBroadcast) {
            if (socket !== undefined) item.writeTo(socket);
          } else item?.();
        } catch (err) {
          // The queue must outlive a failing write (an outgoing listener that throws), or the connection stalls.
          debug('a held write failed: %o', err);
        }
      }
      items.length = 0;
      sockets.length = 0;
      this.#head = 0;
    } finally {
      this.#draining = false;
    }
  }

  // Under steady load a connection may always have a broadcast held: the written front is dropped now and then, or
  // the arrays would grow for as long as the load lasts.
  #compact(): void {
    if (this.#head < 1024 || this.#head * 2 < this.#items.length) return;
    this.#items.splice(0, this.#head);
    this.#sockets.splice(0, this.#head);
    this.#head = 0;
  }
}
