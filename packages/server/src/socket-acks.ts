// Acknowledgements a socket waits for: plain callbacks, callbacks with a timeout, and shared broadcast ids.
import { ServerError, ServerErrorCode } from './errors.js';
import { callUserCode } from './user-code.js';

type Listener = (...args: unknown[]) => void;

interface PendingAck {
  fn: Listener;
  /** Set for acks with a timeout: cleared on answer; `fail` reports the timeout or a disconnection. */
  timer: NodeJS.Timeout | undefined;
  fail: ((err: Error) => void) | undefined;
}

/** The pending acknowledgements of one socket, keyed by ack id. */
export class AckRegistry {
  readonly #pending = new Map<number, PendingAck>();

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
    const timer = setTimeout(() => {
      this.#pending.delete(id);
      callUserCode(ack, undefined, [new ServerError(ServerErrorCode.ACK_TIMEOUT, 'operation has timed out')]);
    }, timeoutMs);
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
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    callUserCode(pending.fn, undefined, args);
    return true;
  }

  /** The socket left: acks with a timeout fail now; plain acks are dropped, as in socket.io. */
  failAll(): void {
    for (const pending of this.#pending.values()) {
      if (pending.fail === undefined) continue;
      clearTimeout(pending.timer);
      callUserCode(pending.fail, undefined, [new ServerError(ServerErrorCode.SOCKET_DISCONNECTED, 'socket has been disconnected')]);
    }
    this.#pending.clear();
  }
}
