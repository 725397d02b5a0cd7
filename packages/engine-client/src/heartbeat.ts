// Engine.IO v4 client heartbeat: the server pings; no ping within pingInterval + pingTimeout means it is gone.

/** The timer functions the heartbeat uses; tests pass a fake clock to step time instead of sleeping. */
export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const realClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/**
 * A restartable deadline. The socket restarts it on the handshake and on every ping; when it fires the
 * socket closes with 'ping timeout'.
 */
export class Heartbeat {
  #timer: unknown;
  #onTimeout: () => void;
  #clock: Clock;

  constructor(onTimeout: () => void, clock: Clock = realClock) {
    this.#onTimeout = onTimeout;
    this.#clock = clock;
  }

  /** (Re)starts the deadline; `unref` lets a Node process exit while it runs. */
  reset(pingIntervalMs: number, pingTimeoutMs: number, unref: boolean): void {
    this.stop();
    const timer = this.#clock.setTimeout(this.#onTimeout, pingIntervalMs + pingTimeoutMs);
    // In browsers a timer is a number; in Node an object with unref().
    if (unref) (timer as { unref?: () => void }).unref?.();
    this.#timer = timer;
  }

  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
