// Timers for the client packages: the setTimeout in force when the timer starts (so fake timers installed and later
// uninstalled by a test leave the client working), or with `useNativeTimers` the one found when this module loaded.
// Read off globalThis: a bare name would throw at load in a sandbox without timers, before any timer is needed.
const NATIVE_SET_TIMEOUT = globalThis.setTimeout;
const NATIVE_CLEAR_TIMEOUT = globalThis.clearTimeout;

/** What startTimer reads from the options. */
export interface TimerOptions {
  useNativeTimers?: boolean | undefined;
  autoUnref?: boolean | undefined;
}

/**
 * Starts a timer and returns the function that cancels it, with the clearTimeout of the same family as the
 * setTimeout used (a fake timer is cancelled on its fake clock even after the clock was uninstalled).
 * Shared with @switchboard/client; not part of the engine.io-client API.
 */
export function startTimer(fn: () => void, ms: number, opts: TimerOptions): () => void {
  const native = opts.useNativeTimers;
  const clear = native ? NATIVE_CLEAR_TIMEOUT : clearTimeout;
  const timer = (native ? NATIVE_SET_TIMEOUT : setTimeout)(fn, ms);
  // Browsers return a number; Node a Timeout that can stop holding the process open.
  if (opts.autoUnref) (timer as { unref?: () => void }).unref?.();
  return () => clear(timer);
}
