// The server's side of the user-code boundary (callUserCode, from @switchboard/protocol): how events reach the
// application's listeners. Every listener, middleware and ack callback the server calls goes through a
// UserCodeBoundary (the runtime's), so an exception in application code never unwinds a transport, the decoder or
// the delivery to another socket; it still surfaces as the application's own uncaught exception.
import { EventEmitter } from 'node:events';
import { callUserCode } from '@switchboard/protocol';

/** Where application code runs: `call` never throws to its caller, `report` hands over an exception caught elsewhere. */
export interface UserCodeBoundary {
  /** Calls `fn` with `thisArg` and `args`; an exception is reported, not thrown. */
  call(fn: (...args: never[]) => unknown, thisArg: unknown, args: readonly unknown[]): unknown;
  /** Reports an exception of application code that was caught elsewhere (a middleware that threw). */
  report(err: unknown): void;
}

/** The production boundary: an exception surfaces as the application's own uncaught exception, on a microtask. */
export const defaultUserCodeBoundary: UserCodeBoundary = Object.freeze({
  call: callUserCode,
  report(err: unknown): void {
    callUserCode(rethrow, undefined, [err]);
  },
});

function rethrow(err: unknown): never {
  throw err;
}

/**
 * Calls each listener of `event` in turn, each behind the boundary: one that throws does not keep the others (the
 * admin dashboard's, another library's) from hearing the event. True when there was a listener.
 */
export function emitToEachListener(
  emitter: EventEmitter,
  event: string | symbol,
  args: readonly unknown[],
  boundary: UserCodeBoundary = defaultUserCodeBoundary,
): boolean {
  // rawListeners: `once` wrappers are called as such, so they remove themselves as with emit().
  const listeners = emitter.rawListeners(event);
  for (const listener of listeners) boundary.call(listener as (...args: never[]) => unknown, emitter, args);
  return listeners.length > 0;
}

/** Emits `args` (`[event, ...arguments]`) with EventEmitter semantics, the whole emit behind the boundary. */
export function emitBehindBoundary(emitter: EventEmitter, args: readonly unknown[], boundary: UserCodeBoundary): void {
  // The prototype's emit, never an instance's override (a Socket's own emit sends to the client).
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the boundary calls it with `emitter` as `this`
  boundary.call(EventEmitter.prototype.emit, emitter, args);
}
