// One timer for many deadlines of equal length: connections waiting for their first CONNECT share it.
/**
 * Items expire `delayMs` after they are added. Because every item has the same delay, insertion order is
 * deadline order, so a Map (which iterates in insertion order) is the whole queue and one timer suffices.
 */
export class DeadlineQueue<T> {
  readonly #delayMs: number;
  readonly #onExpire: (item: T) => void;
  readonly #deadlines = new Map<T, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(delayMs: number, onExpire: (item: T) => void) {
    this.#delayMs = delayMs;
    this.#onExpire = onExpire;
  }

  get size(): number {
    return this.#deadlines.size;
  }

  add(item: T): void {
    this.#deadlines.set(item, Date.now() + this.#delayMs);
    if (this.#timer === undefined) this.#schedule(this.#delayMs);
  }

  delete(item: T): void {
    this.#deadlines.delete(item);
    if (this.#deadlines.size === 0) this.clear();
  }

  clear(): void {
    this.#deadlines.clear();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, delayMs));
    // The queue must never keep the process alive by itself.
    this.#timer.unref();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = Date.now();
    for (const [item, deadline] of this.#deadlines) {
      if (deadline > now) {
        this.#schedule(deadline - now);
        return;
      }
      this.#deadlines.delete(item);
      this.#onExpire(item);
    }
  }
}
