// Types for rate-limit.mjs.
/** A token bucket: `capacity` sends at once, refilled at `refillPerSecond`. */
export class TokenBucket {
  constructor(options: { capacity: number; refillPerSecond: number; now?: () => number });
  /** Takes one token if available: 0 when allowed, otherwise the milliseconds until a token is available. */
  take(): number;
}
