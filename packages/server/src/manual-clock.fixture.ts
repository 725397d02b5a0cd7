// A clock for unit tests, kept out of the published build: time moves only when a test says so.
import type { Clock } from './clock.js';

interface ManualTimer {
  at: number;
  callback: () => void;
}

/** A clock that moves only when told to: `advance(ms)` fires every timer that falls due, in order. */
export class ManualClock implements Clock {
  #now: number;
  readonly #timers = new Set<ManualTimer>();

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const timer = { at: this.#now + Math.max(0, delayMs), callback };
    this.#timers.add(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as ManualTimer);
  }

  /** Moves time forward by `ms`, firing due timers one by one (a timer may schedule another). */
  advance(ms: number): void {
    const target = this.#now + ms;
    // Bounded: each round fires one timer; a runaway chain of zero-delay timers stops at the cap.
    for (let round = 0; round < 10_000; round++) {
      let next: ManualTimer | undefined;
      for (const timer of this.#timers)
        if (timer.at <= target && (next === undefined || timer.at < next.at)) next = timer;
      if (next === undefined) break;
      this.#timers.delete(next);
      this.#now = next.at;
      next.callback();
    }
    this.#now = target;
  }
}
