// Reconnection delays: exponential back-off (doubling from the minimum up to the maximum) with random jitter.

/** Exponential back-off with jitter: attempt n waits about `minMs * 2^n`, at most `maxMs`. */
export class Backoff {
  /** Attempts made since the last reset (the next delay doubles with each). */
  attempts = 0;

  /**
   * @param minMs first delay
   * @param maxMs cap on every delay
   * @param jitter 0..1: each delay moves randomly by up to this fraction of itself, so that clients
   *   dropped together do not all come back in the same instant
   * @param random source of numbers in [0, 1), injectable for tests
   */
  constructor(
    public minMs: number,
    public maxMs: number,
    public jitter: number,
    random: () => number = Math.random,
  ) {
    this.#random = random;
  }

  readonly #random: () => number;

  /** The delay before the next attempt; counts the attempt. */
  duration(): number {
    // 2 ** attempts overflows to Infinity after ~1000 attempts; Math.min keeps that at maxMs.
    const base = this.minMs * 2 ** this.attempts++;
    const spread = this.jitter > 0 ? base * this.jitter * (2 * this.#random() - 1) : 0;
    return Math.floor(Math.max(0, Math.min(base + spread, this.maxMs)));
  }

  /** Starts over from the minimum delay. */
  reset(): void {
    this.attempts = 0;
  }
}
