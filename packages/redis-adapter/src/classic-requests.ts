// Requests this node sent and is waiting on: each ends when enough answers arrived, at its deadline, or on close.
import type { WireMessage } from './classic-wire.js';

/** One request in flight. */
export interface PendingRequest {
  /** Takes one answer; returns true when the request is complete. */
  onResponse(message: WireMessage): boolean;
  /** Called once when `requestsTimeout` passes first. */
  onTimeout(): void;
  /** Called once when the adapter closes first. */
  onClose(): void;
}

interface Entry {
  request: PendingRequest;
  timer: NodeJS.Timeout;
}

/** The requests of one adapter, by request id. */
export class PendingRequests {
  readonly #entries = new Map<string, Entry>();

  has(requestId: string): boolean {
    return this.#entries.has(requestId);
  }

  add(requestId: string, request: PendingRequest, timeoutMs: number): void {
    const timer = setTimeout(() => {
      this.#entries.delete(requestId);
      request.onTimeout();
    }, timeoutMs);
    this.#entries.set(requestId, { request, timer });
  }

  /** Gives an answer to its request; false when no request of that id is pending (late or foreign answers). */
  respond(requestId: string, message: WireMessage): boolean {
    const entry = this.#entries.get(requestId);
    if (entry === undefined) return false;
    if (entry.request.onResponse(message)) {
      clearTimeout(entry.timer);
      this.#entries.delete(requestId);
    }
    return true;
  }

  closeAll(): void {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const { request, timer } of entries) {
      clearTimeout(timer);
      request.onClose();
    }
  }
}
