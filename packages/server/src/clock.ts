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
