// One timer for many deadlines of equal length: connections waiting for their first CONNECT share it.
import { systemClock, type Clock } from './clock.js';

/**
 * Items expire `delayMs` after they are added. Because every item has the same delay, insertion order is
 * deadline order, so a Map (which iterates in insertion order) is the whole queue and one timer suffices.
 */
export class DeadlineQueue<T> {
  readonly #delayMs: number;
  readonly #onExpire: (item: T) => void;
  readonly #deadlines = new Map<T, number>();
  readonly #clock: Clock;
  #timer: unknown;

  constructor(delayMs: number, onExpire: (item: T) => void, clock: Clock = systemClock) {
    this.#delayMs = delayMs;
    this.#onExpire = onExpire;
    this.#clock = clock;
  }

  get size(): number {
    return this.#deadlines.size;
  }

  add(item: T): void {
    this.#deadlines.set(item, this.#clock.now() + this.#delayMs);
    if (this.#timer === undefined) this.#schedule(this.#delayMs);
  }

  delete(item: T): void {
    // The timer is left to run out even when the queue empties: connections that arrive one at a time would
    // otherwise create and cancel a timer each. An expiry that finds the queue empty simply stops.
    this.#deadlines.delete(item);
  }

  clear(): void {
    this.#deadlines.clear();
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    // The system clock's timers are unref'd: the queue never keeps the process alive by itself.
    this.#timer = this.#clock.setTimeout(() => this.#expire(), Math.max(0, delayMs));
  }

  #expire(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    for (const [item, deadline] of this.#deadlines) {
      if (deadline > now) {
        this.#schedule(deadline - now);
        return;
      }
      this.#deadlines.delete(item);
      this.#onExpire(item);
    }
  }
}
