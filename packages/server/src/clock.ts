// The injectable time source behind the server's shared timers, so unit tests step time instead of sleeping.

/** What the server's timers need: the time, and one-shot timers that never keep the process alive. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock: `Date.now()` and unref'd Node timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

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
      for (const timer of this.#timers) if (timer.at <= target && (next === undefined || timer.at < next.at)) next = timer;
      if (next === undefined) break;
      this.#timers.delete(next);
      this.#now = next.at;
      next.callback();
    }
    this.#now = target;
  }
}
