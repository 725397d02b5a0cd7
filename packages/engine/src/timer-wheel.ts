// One shared repeating timer per server that fires many per-session deadlines in time buckets (a hashed timing
// wheel), instead of a Node timer per socket.
import type { Clock } from './clock.js';

/** Something with a deadline in the wheel; the wheel calls it back once when the deadline passes. */
export interface WheelEntry {
  /** @internal Tick the entry sits in, or -1 when it has no deadline. Owned by the wheel. */
  wheelTick: number;
  /** @internal */
  onWheelTimeout(): void;
}

/**
 * Deadlines are rounded up to the next tick of `tickMs`, so they fire between 0 and one tick late — never early.
 * The interval runs only while at least one deadline is pending.
 */
export class TimerWheel {
  #tickMs: number;
  readonly #clock: Clock;
  readonly #buckets = new Map<number, Set<WheelEntry>>();
  #size = 0;
  #handle: unknown = undefined;
  #sweptTick: number;

  constructor(clock: Clock, tickMs: number) {
    this.#clock = clock;
    this.#tickMs = tickMs;
    this.#sweptTick = this.#currentTick();
  }

  /** Milliseconds per tick: how late a deadline may fire. */
  get tickMs(): number {
    return this.#tickMs;
  }

  /**
   * Changes the resolution (the heartbeat options changed): pending deadlines move to the buckets of the new tick,
   * still never early, and the interval restarts at the new period.
   */
  setTickMs(tickMs: number): void {
    if (tickMs === this.#tickMs) return;
    const entries: [WheelEntry, number][] = [];
    for (const [tick, bucket] of this.#buckets) for (const entry of bucket) entries.push([entry, tick * this.#tickMs]);
    this.clear();
    this.#tickMs = tickMs;
    this.#sweptTick = this.#currentTick();
    const now = this.#clock.now();
    for (const [entry, deadlineMs] of entries) this.schedule(entry, Math.max(0, deadlineMs - now));
  }

  /** Number of pending deadlines. */
  get size(): number {
    return this.#size;
  }

  /** (Re)schedules `entry` to fire `delayMs` from now, replacing its previous deadline. */
  schedule(entry: WheelEntry, delayMs: number): void {
    this.cancel(entry);
    // An idle wheel has swept nothing for a while: restart its sweep position at the present.
    if (this.#size === 0) this.#sweptTick = this.#currentTick();
    // The +1 keeps a deadline from landing in a bucket that the current sweep has already passed.
    const tick = Math.max(Math.ceil((this.#clock.now() + delayMs) / this.#tickMs), this.#sweptTick + 1);
    let bucket = this.#buckets.get(tick);
    if (bucket === undefined) {
      bucket = new Set();
      this.#buckets.set(tick, bucket);
    }
    bucket.add(entry);
    entry.wheelTick = tick;
    this.#size++;
    if (this.#handle === undefined) {
      this.#handle = this.#clock.setInterval(() => this.sweep(), this.#tickMs);
    }
  }

  /** Removes the deadline of `entry`, if any. */
  cancel(entry: WheelEntry): void {
    if (entry.wheelTick === -1) return;
    const bucket = this.#buckets.get(entry.wheelTick);
    if (bucket?.delete(entry) === true) {
      this.#size--;
      if (bucket.size === 0) this.#buckets.delete(entry.wheelTick);
    }
    entry.wheelTick = -1;
    if (this.#size === 0) this.#stop();
  }

  /** Fires every deadline that is due; the shared interval calls this, tests may too. */
  sweep(): void {
    const nowTick = this.#currentTick();
    // Bounded: at most the number of ticks elapsed, and a long stall only walks buckets that exist.
    const elapsed = nowTick - this.#sweptTick;
    if (elapsed > this.#buckets.size * 4 + 64) {
      const due = [...this.#buckets.keys()].filter((tick) => tick <= nowTick).sort((a, b) => a - b);
      for (const tick of due) this.#fire(tick);
    } else {
      for (let tick = this.#sweptTick + 1; tick <= nowTick; tick++) this.#fire(tick);
    }
    this.#sweptTick = Math.max(this.#sweptTick, nowTick);
  }

  /** Drops every deadline and stops the interval. */
  clear(): void {
    for (const bucket of this.#buckets.values()) for (const entry of bucket) entry.wheelTick = -1;
    this.#buckets.clear();
    this.#size = 0;
    this.#stop();
  }

  #fire(tick: number): void {
    const bucket = this.#buckets.get(tick);
    if (bucket === undefined) return;
    this.#buckets.delete(tick);
    this.#size -= bucket.size;
    // The bucket is detached: a callback that cancels or reschedules another entry of it changes that entry's
    // wheelTick, which is how the loop knows to skip it.
    for (const entry of bucket) {
      if (entry.wheelTick !== tick) continue;
      entry.wheelTick = -1;
      entry.onWheelTimeout();
    }
    if (this.#size === 0) this.#stop();
  }

  #currentTick(): number {
    return Math.floor(this.#clock.now() / this.#tickMs);
  }

  #stop(): void {
    if (this.#handle === undefined) return;
    this.#clock.clearInterval(this.#handle);
    this.#handle = undefined;
  }
}
