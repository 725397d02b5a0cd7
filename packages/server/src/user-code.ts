// The server's side of the user-code boundary (callUserCode, from @switchboard/protocol): how events reach the
// application's listeners. Every listener, middleware and ack callback the server calls goes through here or through
// callUserCode directly, so an exception in application code never unwinds a transport, the decoder or the delivery
// to another socket; it still surfaces as the application's own uncaught exception.
import { EventEmitter } from 'node:events';
import { callUserCode } from '@switchboard/protocol';

export { callUserCode };

/** Hands an exception of application code caught elsewhere to the boundary: it surfaces as the application's own. */
export function reportUserError(err: unknown): void {
  callUserCode(rethrow, undefined, [err]);
}

function rethrow(err: unknown): never {
  throw err;
}

/**
 * Calls each listener of `event` in turn, each behind the boundary: one that throws does not keep the others (the
 * admin dashboard's, another library's) from hearing the event. True when there was a listener.
 */
export function emitToEachListener(emitter: EventEmitter, event: string | symbol, args: readonly unknown[]): boolean {
  // rawListeners: `once` wrappers are called as such, so they remove themselves as with emit().
  const listeners = emitter.rawListeners(event);
  for (const listener of listeners) callUserCode(listener as (...args: never[]) => unknown, emitter, args);
  return listeners.length > 0;
}

/** Emits `args` (`[event, ...arguments]`) with EventEmitter semantics, the whole emit behind the boundary. */
export function emitBehindBoundary(emitter: EventEmitter, args: readonly unknown[]): void {
  // The prototype's emit, never an instance's override (a Socket's own emit sends to the client).
  // eslint-disable-next-line @typescript-eslint/unbound-method -- callUserCode calls it with `emitter` as `this`
  callUserCode(EventEmitter.prototype.emit, emitter, args);
}
