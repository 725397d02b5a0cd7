// The injectable time source behind the server's shared timers, so unit tests step time instead of sleeping.

/** Options of one timer. */
export interface TimerOptions {
  /**
   * Keep the process alive while the timer waits. Timers the application awaits (ack timeouts) do, as socket.io's
   * plain `setTimeout` does; the server's own bookkeeping timers do not. @default false
   */
  keepAlive?: boolean;
}

/** What the server's timers need: the time, and one-shot timers. Every server timer goes through the runtime's. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number, options?: TimerOptions): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock: `Date.now()` and Node timers, unref'd unless `keepAlive`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs, options) {
    const handle = setTimeout(callback, delayMs);
    if (options?.keepAlive !== true) handle.unref();
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
