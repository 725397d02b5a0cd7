// One timer for many deadlines of equal length: connections waiting for their first CONNECT share it.
import { systemClock, type Clock } from './clock.js';

/**
 * Items expire `delayMs` after they are added. While every item has the same delay, insertion order is deadline
 * order, so a Map (which iterates in insertion order) is the whole queue and one timer suffices. Shortening the delay
 * (`setDelay`) breaks that order until the queue has emptied once: meanwhile an expiry scans every item.
 */
export class DeadlineQueue<T> {
  #delayMs: number;
  readonly #onExpire: (item: T) => void;
  readonly #deadlines = new Map<T, number>();
  readonly #clock: Clock;
  #timer: unknown;
  /** When the timer fires; compared against new deadlines only while the queue is out of order. */
  #timerAtMs = 0;
  /** False after the delay was shortened while items waited (insertion order is no longer deadline order). */
  #ordered = true;

  constructor(delayMs: number, onExpire: (item: T) => void, clock: Clock = systemClock) {
    this.#delayMs = delayMs;
    this.#onExpire = onExpire;
    this.#clock = clock;
  }

  get size(): number {
    return this.#deadlines.size;
  }

  add(item: T): void {
    const deadline = this.#clock.now() + this.#delayMs;
    this.#deadlines.set(item, deadline);
    if (this.#timer === undefined) this.#schedule(this.#delayMs);
    else if (!this.#ordered && deadline < this.#timerAtMs) this.#reschedule();
  }

  /**
   * Changes the delay of items added from now on; waiting items keep their deadlines (as socket.io's per-connection
   * timers do when `connectTimeout` changes).
   */
  setDelay(delayMs: number): void {
    if (delayMs < this.#delayMs && this.#deadlines.size > 0) this.#ordered = false;
    this.#delayMs = delayMs;
  }

  delete(item: T): void {
    // The timer is left to run out even when the queue empties: connections that arrive one at a time would
    // otherwise create and cancel a timer each. An expiry that finds the queue empty simply stops.
    this.#deadlines.delete(item);
  }

  clear(): void {
    this.#deadlines.clear();
    this.#ordered = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    // The system clock's timers are unref'd: the queue never keeps the process alive by itself.
    const waitMs = Math.max(0, delayMs);
    this.#timerAtMs = this.#clock.now() + waitMs;
    this.#timer = this.#clock.setTimeout(() => this.#expire(), waitMs);
  }

  #reschedule(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#expire();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    if (!this.#ordered) {
      this.#expireUnordered(now);
      return;
    }
    for (const [item, deadline] of this.#deadlines) {
      if (deadline > now) {
        this.#schedule(deadline - now);
        return;
      }
      this.#deadlines.delete(item);
      this.#onExpire(item);
    }
  }

  #expireUnordered(now: number): void {
    let nextMs = Infinity;
    for (const [item, deadline] of this.#deadlines) {
      if (deadline > now) {
        nextMs = Math.min(nextMs, deadline);
        continue;
      }
      this.#deadlines.delete(item);
      this.#onExpire(item);
    }
    if (this.#deadlines.size === 0) this.#ordered = true;
    else this.#schedule(nextMs - now);
  }
}
