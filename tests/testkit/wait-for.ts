// Waiting on events and promises with a deadline, so a missing event fails the test with its name instead of hanging.

/**
 * Anything with once/off in the Node or component-emitter style (http servers, sockets and managers of any
 * Socket.IO flavour). The parameters are `never` so that emitters whose event names are a typed union (a
 * socket.io-client Manager) fit too; the helpers below pass a plain string and an untyped listener.
 */
export interface EventSource {
  once(event: never, listener: never): unknown;
  off(event: never, listener: never): unknown;
}

type Listener = (...args: unknown[]) => void;

function subscribeOnce(emitter: EventSource, event: string, listener: Listener): void {
  emitter.once(event as never, listener as never);
}

function unsubscribe(emitter: EventSource, event: string, listener: Listener): void {
  emitter.off(event as never, listener as never);
}

/** Default wait, well under the per-file budget: a local event that takes longer than this is a failure. */
export const DEFAULT_WAIT_MS = 5000;

/**
 * Resolves with the arguments of the next `event` on `emitter`; rejects after `ms` with an error naming the event.
 * @example const [reason] = await waitFor<[string]>(socket, 'disconnect');
 */
export function waitFor<Args extends unknown[] = unknown[]>(
  emitter: EventSource,
  event: string,
  ms: number = DEFAULT_WAIT_MS,
  label?: string,
): Promise<Args> {
  return new Promise<Args>((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as Args);
    };
    const timer = setTimeout(() => {
      unsubscribe(emitter, event, listener);
      reject(new Error(`timed out after ${ms} ms waiting for event '${event}'${label ? ` on ${label}` : ''}`));
    }, ms);
    subscribeOnce(emitter, event, listener);
  });
}

/**
 * Resolves with the arguments of `success`, or rejects as soon as `failure` fires (its first argument's message
 * in the error) or after `ms`. Both listeners are removed either way.
 * @example await waitForOutcome(socket, 'connect', 'connect_error');
 */
export function waitForOutcome<Args extends unknown[] = unknown[]>(
  emitter: EventSource,
  success: string,
  failure: string,
  ms: number = DEFAULT_WAIT_MS,
  label?: string,
): Promise<Args> {
  return new Promise<Args>((resolve, reject) => {
    const where = label ? ` on ${label}` : '';
    const settle = (): void => {
      clearTimeout(timer);
      unsubscribe(emitter, success, onSuccess);
      unsubscribe(emitter, failure, onFailure);
    };
    const onSuccess = (...args: unknown[]): void => {
      settle();
      resolve(args as Args);
    };
    const onFailure = (...args: unknown[]): void => {
      settle();
      const first = args[0];
      const detail = first instanceof Error ? first.message : JSON.stringify(first);
      reject(new Error(`got '${failure}' instead of '${success}'${where}: ${detail}`, { cause: first }));
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`timed out after ${ms} ms waiting for event '${success}'${where}`));
    }, ms);
    subscribeOnce(emitter, success, onSuccess);
    subscribeOnce(emitter, failure, onFailure);
  });
}

/** Settles like `promise`, or rejects after `ms` with an error saying what was awaited. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Collects every `event` on `emitter` into an array (arguments as a tuple) until `stop()` is called. */
export function record<Args extends unknown[] = unknown[]>(
  emitter: { on(event: never, listener: never): unknown } & EventSource,
  event: string,
): { readonly calls: Args[]; stop(): void } {
  const calls: Args[] = [];
  const listener = (...args: unknown[]): void => {
    calls.push(args as Args);
  };
  emitter.on(event as never, listener as never);
  return { calls, stop: () => unsubscribe(emitter, event, listener) };
}
