// Waiting on events and promises with a deadline, so a missing event fails the test with its name instead of hanging.

/** Anything with once/off in the Node or component-emitter style (http servers, sockets of any Socket.IO flavour). */
export interface EventSource {
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
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
      emitter.off(event, listener);
      reject(new Error(`timed out after ${ms} ms waiting for event '${event}'${label ? ` on ${label}` : ''}`));
    }, ms);
    emitter.once(event, listener);
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
      emitter.off(success, onSuccess);
      emitter.off(failure, onFailure);
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
    emitter.once(success, onSuccess);
    emitter.once(failure, onFailure);
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
  emitter: { on(event: string, listener: (...args: unknown[]) => void): unknown } & EventSource,
  event: string,
): { readonly calls: Args[]; stop(): void } {
  const calls: Args[] = [];
  const listener = (...args: unknown[]): void => {
    calls.push(args as unknown as Args);
  };
  emitter.on(event, listener);
  return { calls, stop: () => void emitter.off(event, listener) };
}
