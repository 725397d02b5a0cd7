// Calls into an adapter that nobody awaits (broadcasts, server-side emits, remote joins): a cluster adapter may
// throw or reject there (a broker down, a bug), and that must cost the message, never the process.
import createDebug from 'debug';
import type { Adapter } from './types.js';

const debug = createDebug('switchboard:server:adapter');

/** What the namespace offers to count its adapter's failures (see `Server.adapterFailureCount`); its members are internal. */
export interface AdapterFailureSink {
  /** @internal */
  onAdapterFailure(operation: string, err: unknown): void;
}

/** Logs (debug) and counts one failed adapter call. */
export function reportAdapterFailure(adapter: Adapter, operation: string, err: unknown): void {
  debug('adapter %s failed for namespace %s: %o', operation, adapter.nsp.name, err);
  // Our namespaces are the sink; an adapter constructed by hand with another namespace object is only logged.
  (adapter.nsp as Partial<AdapterFailureSink>).onAdapterFailure?.(operation, err);
}

/**
 * Watches what an adapter call returned: adapters built on socket.io-adapter's ClusterAdapter return a promise
 * from methods typed `void` (broadcast, addSockets...), whose rejection would otherwise go unhandled.
 */
export function watchAdapterResult(adapter: Adapter, operation: string, result: unknown): void {
  if (result === undefined || typeof (result as { then?: unknown }).then !== 'function') return;
  (result as PromiseLike<unknown>).then(undefined, (err: unknown) => reportAdapterFailure(adapter, operation, err));
}
