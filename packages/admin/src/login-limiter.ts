// Rate limit of the admin login, per client address: a few attempts are free, then each one must wait a delay that
// doubles up to a ceiling. Attempts are counted when they start, not when bcrypt answers, so a burst sent at once is
// cut off as surely as a sequence; refused attempts cost no bcrypt at all. A successful login clears the address.

/** How quickly wrong passwords are slowed down. */
export interface LoginRateLimit {
  /** Attempts an address may make before it has to wait. @default 5 */
  freeAttempts?: number;
  /** The wait after the last free attempt; it doubles with every further attempt. @default 1000 */
  baseDelayMs?: number;
  /** The longest wait. @default 900000 (15 minutes) */
  maxDelayMs?: number;
}

/** `LoginRateLimit` with its defaults. */
export type ResolvedLoginRateLimit = Required<LoginRateLimit>;

export const DEFAULT_LOGIN_RATE_LIMIT: ResolvedLoginRateLimit = Object.freeze({
  freeAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
});

// Addresses remembered at most; past it the least recently seen are forgotten, so a flood of addresses cannot grow
// the table without bound (at worst such an address gets its free attempts again).
const MAX_ADDRESSES = 10_000;

interface AddressRecord {
  attempts: number;
  blockedUntilMs: number;
  lastSeenMs: number;
}

/** The per-address attempt counter; `now` is injectable so tests step time. */
export class LoginLimiter {
  readonly #limit: ResolvedLoginRateLimit;
  readonly #now: () => number;
  // Map order is least recently seen first: a record is re-inserted on every attempt.
  readonly #records = new Map<string, AddressRecord>();

  constructor(limit: ResolvedLoginRateLimit, now: () => number = Date.now) {
    this.#limit = limit;
    this.#now = now;
  }

  /** Number of addresses currently remembered. */
  get size(): number {
    return this.#records.size;
  }

  /** Registers an attempt from `address`: 0 when it may be checked, else the milliseconds it must wait first. */
  begin(address: string): number {
    const now = this.#now();
    let record = this.#records.get(address);
    if (record !== undefined && now - record.lastSeenMs > this.#forgetAfterMs(record)) record = undefined;
    if (record !== undefined && now < record.blockedUntilMs) return record.blockedUntilMs - now;
    record ??= { attempts: 0, blockedUntilMs: 0, lastSeenMs: now };
    record.attempts++;
    record.lastSeenMs = now;
    const { freeAttempts, baseDelayMs, maxDelayMs } = this.#limit;
    if (record.attempts >= freeAttempts) {
      const doublings = Math.min(record.attempts - freeAttempts, 30);
      record.blockedUntilMs = now + Math.min(maxDelayMs, baseDelayMs * 2 ** doublings);
    }
    this.#records.delete(address);
    this.#records.set(address, record);
    if (this.#records.size > MAX_ADDRESSES) {
      const oldest = this.#records.keys().next();
      if (oldest.done !== true) this.#records.delete(oldest.value);
    }
    return 0;
  }

  /** The login succeeded: the address starts afresh. */
  succeeded(address: string): void {
    this.#records.delete(address);
  }

  // Quiet for longer than its current wait plus the longest one: the address is forgiven.
  #forgetAfterMs(record: AddressRecord): number {
    return Math.max(0, record.blockedUntilMs - record.lastSeenMs) + this.#limit.maxDelayMs;
  }
}
