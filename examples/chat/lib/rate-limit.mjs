// Token-bucket rate limiting for message sends: a short burst is fine, a sustained flood is refused.

/**
 * A token bucket: `capacity` sends at once, refilled at `refillPerSecond`.
 */
export class TokenBucket {
  #capacity;
  #refillPerMs;
  #tokens;
  #updatedAtMs;
  #now;

  /**
   * @param {{ capacity: number, refillPerSecond: number, now?: () => number }} options
   */
  constructor({ capacity, refillPerSecond, now = Date.now }) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be >= 1, got ${capacity}`);
    if (!(refillPerSecond > 0)) throw new RangeError(`refillPerSecond must be > 0, got ${refillPerSecond}`);
    this.#capacity = capacity;
    this.#refillPerMs = refillPerSecond / 1000;
    this.#tokens = capacity;
    this.#now = now;
    this.#updatedAtMs = now();
  }

  /**
   * Takes one token if available.
   * @returns {number} 0 when allowed, otherwise the milliseconds until a token is available
   */
  take() {
    const nowMs = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (nowMs - this.#updatedAtMs) * this.#refillPerMs);
    this.#updatedAtMs = nowMs;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    // The epsilon keeps float noise (0.999999…) from adding a whole millisecond.
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.#refillPerMs - 1e-6));
  }
}
