// The one boundary through which Switchboard calls application code (listeners, middlewares, ack callbacks).
// An exception thrown there belongs to the application: it is rethrown on its own, outside the caller's stack (as an
// uncaught exception in Node, an `error` event in browsers), so it can never unwind a transport, a parser or the
// delivery to another socket half-way. socket.io reaches the same outcome by running user code outside its read path.

// Browsers and Node both have it; the protocol package is compiled without DOM or Node types.
declare function queueMicrotask(task: () => void): void;

/**
 * Calls `fn` with `args` and returns what it returns; if it throws, the exception is rethrown from a microtask of its
 * own and `undefined` is returned to the caller, which carries on.
 */
export function callUserCode(fn: (...args: never[]) => unknown, thisArg: unknown, args: readonly unknown[]): unknown {
  try {
    return fn.apply(thisArg, args as never[]);
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
