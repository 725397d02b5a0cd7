// Reconnection delays: exponential back-off (doubling from the minimum up to the maximum) with random jitter.

/**
 * Exponential back-off with jitter: attempt n waits about `minMs_ * 2^n`, at most `maxMs_`.
 * Fields end in '_' so the browser build shortens them (see scripts/build-browser.mjs).
 */
export class Backoff {
  /** Attempts made since the last reset (the next delay doubles with each). */
  attempts_ = 0;

  // `declare`d and assigned in the constructor rather than parameter properties: esbuild would also emit unmangled
  // field declarations for those (bytes in the browser bundle).
  /** First delay. */
  declare minMs_: number;
  /** Cap on every delay. */
  declare maxMs_: number;
  /**
   * 0..1: each delay moves randomly by up to this fraction of itself, so that clients dropped together do not all
   * come back in the same instant.
   */
  declare jitter_: number;
  readonly #random: () => number;

  /** `random` is the source of numbers in [0, 1), injectable for tests. */
  constructor(minMs: number, maxMs: number, jitter: number, random: () => number = Math.random) {
    this.minMs_ = minMs;
    this.maxMs_ = maxMs;
    this.jitter_ = jitter;
    this.#random = random;
  }

  /** The delay before the next attempt; counts the attempt. */
  duration(): number {
    // 2 ** attempts overflows to Infinity after ~1000 attempts; Math.min keeps that at maxMs_.
    const base = this.minMs_ * 2 ** this.attempts_++;
    const spread = this.jitter_ > 0 ? base * this.jitter_ * (2 * this.#random() - 1) : 0;
    return Math.floor(Math.max(0, Math.min(base + spread, this.maxMs_)));
  }

  /** Starts over from the minimum delay. */
  reset(): void {
    this.attempts_ = 0;
  }
}
