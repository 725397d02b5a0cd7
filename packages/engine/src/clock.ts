// The injectable clock behind every engine timer, so tests step time instead of sleeping.

/** The time source and repeating timer the engine schedules heartbeats with. */
export interface Clock {
  /** Milliseconds on a monotonic-enough scale; only differences matter. */
  now(): number;
  /** Calls `callback` every `intervalMs` until cleared; the handle must not keep the process alive. */
  setInterval(callback: () => void, intervalMs: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The real clock: `performance.now()` and unref'd Node interval timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setInterval(callback, intervalMs) {
    const handle = setInterval(callback, intervalMs);
    // Open sessions keep their sockets (and so the process) alive; the sweep timer must not add to that.
    handle.unref();
    return handle;
  },
  clearInterval(handle) {
    clearInterval(handle as ReturnType<typeof setInterval>);
  },
};
