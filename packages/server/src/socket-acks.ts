// Acknowledgements a socket waits for: plain callbacks, callbacks with a timeout, and shared broadcast ids.
import type { Clock } from './clock.js';
import { ServerError, ServerErrorCode } from './errors.js';
import type { UserCodeBoundary } from './user-code.js';

type Listener = (...args: unknown[]) => void;

// The application awaits these timers (a callback or a promise): they keep the process alive, as socket.io's do.
const KEEP_ALIVE = Object.freeze({ keepAlive: true });

interface PendingAck {
  fn: Listener;
  /** Set for acks with a timeout: cleared on answer; `fail` reports the timeout or a disconnection. */
  timer: unknown;
  fail: ((err: Error) => void) | undefined;
}

/** The pending acknowledgements of one socket, keyed by ack id. */
export class AckRegistry {
  readonly #pending = new Map<number, PendingAck>();
  readonly #clock: Clock;
  readonly #userCode: UserCodeBoundary;

  /** Ack timeouts run on `clock`; ack callbacks run behind `userCode`. */
  constructor(clock: Clock, userCode: UserCodeBoundary) {
    this.#clock = clock;
    this.#userCode = userCode;
  }

  /** How many acknowledgements are awaited. */
  get size(): number {
    return this.#pending.size;
  }

  /** Waits for the ack `id`; with `timeoutMs`, `ack` gets an Error first (null on success), as socket.io does. */
  register(id: number, ack: Listener, timeoutMs: number | undefined): void {
    if (timeoutMs === undefined) {
      this.#pending.set(id, { fn: ack, timer: undefined, fail: undefined });
      return;
    }
    const timer = this.#clock.setTimeout(
      () => {
        this.#pending.delete(id);
        this.#userCode.call(ack, undefined, [new ServerError(ServerErrorCode.ACK_TIMEOUT, 'operation has timed out')]);
      },
      timeoutMs,
      KEEP_ALIVE,
    );
    this.#pending.set(id, { fn: (...args) => ack(null, ...args), timer, fail: ack });
  }

  /** Compatibility surface: socket.io's `socket.acks.set(id, fn)`: a broadcast's ack, without timeout (the broadcast has its own). */
  set(id: number, ack: Listener): this {
    this.register(id, ack, undefined);
    return this;
  }

  /** Calls the callback of ack `id` with the client's answer; false when no such ack is pending. */
  resolve(id: number, args: unknown[]): boolean {
    const pending = this.#pending.get(id);
    if (pending === undefined) return false;
    this.#pending.delete(id);
    if (pending.timer !== undefined) this.#clock.clearTimeout(pending.timer);
    this.#userCode.call(pending.fn, undefined, args);
    return true;
  }

  /** The socket left: acks with a timeout fail now; plain acks are dropped, as in socket.io. */
  failAll(): void {
    for (const pending of this.#pending.values()) {
      if (pending.fail === undefined) continue;
      this.#clock.clearTimeout(pending.timer);
      this.#userCode.call(pending.fail, undefined, [
        new ServerError(ServerErrorCode.SOCKET_DISCONNECTED, 'socket has been disconnected'),
      ]);
    }
    this.#pending.clear();
  }
}
