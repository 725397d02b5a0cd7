// Requests waiting on other servers (fetchSockets, serverSideEmit with ack): each ends when every expected server
// answered, when the servers it waits on are known dead, or after its timeout with ADAPTER_ERR_REQUEST_TIMEOUT.
import { AdapterError, AdapterErrorCode } from './errors.js';

/** How a request ends: null and every response, or the timeout error and the responses that did arrive. */
export type RequestDone<T> = (err: AdapterError | null, responses: T[]) => void;

interface PendingRequest<T> {
  /** Answers still expected (counted by distinct server uid). */
  expected: number;
  /** Servers known when the request left (heartbeat mode): one that dies stops being waited on. */
  readonly waitingOn: Set<string> | undefined;
  /** Servers counted towards `expected` that answered. */
  readonly responders: Set<string>;
  /** Every server that answered, counted or not (a server that came up after the request left is not counted). */
  readonly seen: Set<string>;
  readonly responses: T[];
  readonly timer: NodeJS.Timeout;
  readonly done: RequestDone<T>;
}

/** The open requests of one kind, keyed by request id. */
export class PendingRequests<T> {
  readonly #requests = new Map<string, PendingRequest<T>>();

  /** Opens a request; `initial` holds this server's own part of the answer. */
  open(
    requestId: string,
    what: string,
    expected: number,
    waitingOn: Set<string> | undefined,
    timeoutMs: number,
    initial: T[],
    done: RequestDone<T>,
  ): void {
    const timer = setTimeout(() => {
      const request = this.#requests.get(requestId);
      if (request === undefined) return;
      this.#requests.delete(requestId);
      const missing = request.expected - request.responders.size;
      const error = new AdapterError(
        AdapterErrorCode.REQUEST_TIMEOUT,
        `${what}: ${missing} of ${request.expected} servers did not answer within ${timeoutMs} ms; ` +
          'check that every server is up and reaches the broker, or raise the adapter option requestsTimeout',
      );
      request.done(error, request.responses);
    }, timeoutMs);
    this.#requests.set(requestId, {
      expected,
      waitingOn,
      responders: new Set(),
      seen: new Set(),
      responses: initial,
      timer,
      done,
    });
  }

  /** Records a server's answer; a second answer from the same server is ignored. */
  respond(requestId: string, uid: string, items: T[]): void {
    const request = this.#requests.get(requestId);
    if (request === undefined || request.seen.has(uid)) return;
    request.seen.add(uid);
    request.responses.push(...items);
    if (request.waitingOn !== undefined && !request.waitingOn.has(uid)) return;
    request.responders.add(uid);
    this.#settleIfComplete(requestId, request);
  }

  /** A server is gone: requests stop waiting for it. */
  forgetServer(uid: string): void {
    for (const [requestId, request] of this.#requests) {
      if (request.waitingOn?.delete(uid) !== true || request.responders.has(uid)) continue;
      request.expected--;
      this.#settleIfComplete(requestId, request);
    }
  }

  #settleIfComplete(requestId: string, request: PendingRequest<T>): void {
    if (request.responders.size < request.expected) return;
    clearTimeout(request.timer);
    this.#requests.delete(requestId);
    request.done(null, request.responses);
  }

  get size(): number {
    return this.#requests.size;
  }
}
