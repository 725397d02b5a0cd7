// The optional per-socket rate limit (`rateLimit` option): a token bucket over the packets a client sends.
// A bucket exists only for sockets of a server that set the option; time comes from the injectable clock.
import type { Clock } from './clock.js';
import { ServerError, ServerErrorCode } from './errors.js';

/** The `rateLimit` option: at most `packets` per `intervalMs` on average, `burst` at once. */
export interface RateLimitOptions {
  /** Packets allowed per interval (the refill rate). */
  packets: number;
  /** The interval in milliseconds. */
  intervalMs: number;
  /** Packets allowed at once after a quiet period (the bucket's size). @default packets */
  burst?: number;
  /**
   * What happens to a packet over the limit: `drop` discards it and emits `error` (SIO_ERR_RATE_LIMITED) on the
   * socket; `disconnect` disconnects the socket with reason `rate limit exceeded`. @default 'drop'
   */
  action?: 'drop' | 'disconnect';
}

/** The option checked, with defaults applied. */
export interface RateLimit {
  readonly refillPerMs: number;
  readonly burst: number;
  readonly action: 'drop' | 'disconnect';
}

/** Checks the `rateLimit` option; undefined when it is not set. */
export function resolveRateLimit(options: RateLimitOptions | undefined): RateLimit | undefined {
  if (options === undefined) return undefined;
  const { packets, intervalMs, burst = packets, action = 'drop' } = options;
  for (const [name, value] of [
    ['packets', packets],
    ['intervalMs', intervalMs],
    ['burst', burst],
  ] as const) {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new ServerError(
        ServerErrorCode.INVALID_OPTION,
        `option "rateLimit.${name}" must be a positive number, got ${String(value)}`,
      );
    }
  }
  if (action !== 'drop' && action !== 'disconnect') {
    throw new ServerError(
      ServerErrorCode.INVALID_OPTION,
      `option "rateLimit.action" must be 'drop' or 'disconnect', got ${String(action)}`,
    );
  }
  return { refillPerMs: packets / intervalMs, burst, action };
}

/** One socket's bucket: starts full, refills continuously, one token per packet. */
export class TokenBucket {
  readonly #limit: RateLimit;
  readonly #clock: Clock;
  #tokens: number;
  #updatedAtMs: number;

  constructor(limit: RateLimit, clock: Clock) {
    this.#limit = limit;
    this.#clock = clock;
    this.#tokens = limit.burst;
    this.#updatedAtMs = clock.now();
  }

  /** Takes a token for one packet; false when the bucket is empty (the packet is over the limit). */
  take(): boolean {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + (now - this.#updatedAtMs) * this.#limit.refillPerMs);
    this.#updatedAtMs = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
