// The worker's side: a ClusterAdapter whose transport is the IPC channel to the node:cluster primary, which relays
// every message to the other workers (see primary.ts). One `process.on('message')` listener serves every namespace.
import createDebug from 'debug';
import type { AdapterConstructor, AdapterNamespace } from '@switchboard/server';
import {
  AdapterError,
  AdapterErrorCode,
  ClusterAdapter,
  type ClusterAdapterOptions,
  type ClusterMessage,
} from '@switchboard/adapter';
import { isEnvelope, MESSAGE_SOURCE, type IpcEnvelope } from './envelope.js';

const debug = createDebug('switchboard:adapter:node-cluster');

/** Options of `createAdapter`: the kit's (requestsTimeout, heartbeatInterval, heartbeatTimeout). */
export type NodeClusterAdapterOptions = ClusterAdapterOptions;

/** The adapters of this process by namespace name: the one IPC listener hands each message to its namespace. */
const adaptersByNamespace = new Map<string, Set<NodeClusterAdapter>>();

function onIpcMessage(message: unknown): void {
  if (!isEnvelope(message) || typeof message.nsp !== 'string') return;
  const adapters = adaptersByNamespace.get(message.nsp);
  if (adapters === undefined) return;
  for (const adapter of adapters) adapter.receive(message);
}

function register(nsp: string, adapter: NodeClusterAdapter): void {
  if (adaptersByNamespace.size === 0) process.on('message', onIpcMessage);
  let adapters = adaptersByNamespace.get(nsp);
  if (adapters === undefined) adaptersByNamespace.set(nsp, (adapters = new Set()));
  adapters.add(adapter);
}

function unregister(nsp: string, adapter: NodeClusterAdapter): void {
  const adapters = adaptersByNamespace.get(nsp);
  if (adapters === undefined || !adapters.delete(adapter)) return;
  if (adapters.size === 0) adaptersByNamespace.delete(nsp);
  if (adaptersByNamespace.size === 0) process.off('message', onIpcMessage);
}

/** A lost message is the same as on any broker: logged; the process exits on its own when the primary is gone. */
function ignoreSendError(err: Error | null): void {
  if (err !== null) debug('could not send to the primary: %s', err.message);
}

function sendToPrimary(envelope: IpcEnvelope): void {
  if (process.send === undefined || !process.connected) return;
  process.send(envelope, undefined, {}, ignoreSendError);
}

/** A worker's adapter: messages go to the primary over IPC, which relays them to the other workers. */
export class NodeClusterAdapter extends ClusterAdapter {
  #registered = false;

  constructor(nsp: AdapterNamespace, opts: NodeClusterAdapterOptions = {}) {
    super(nsp, opts);
    if (process.send === undefined) {
      throw new AdapterError(
        AdapterErrorCode.INVALID_OPTION,
        'the node:cluster adapter needs an IPC channel to the primary: use it in a worker (cluster.fork()), not in the primary or a plain process',
      );
    }
  }

  // Listening starts before the first heartbeat leaves, so the other workers' answers to it are heard.
  override init(): Promise<void> | void {
    if (!this.#registered) {
      register(this.nsp.name, this);
      this.#registered = true;
    }
    return super.init();
  }

  override close(): Promise<void> | void {
    const result = super.close();
    unregister(this.nsp.name, this);
    this.#registered = false;
    return result;
  }

  /** Called by the process-wide IPC listener. */
  receive(message: unknown): void {
    this.onMessage(message);
  }

  protected publish(message: ClusterMessage): void {
    sendToPrimary({ ...message, source: MESSAGE_SOURCE });
  }

  // The primary delivers a response to the worker of `requesterUid` only, instead of to every worker.
  protected override publishResponse(requesterUid: string, message: ClusterMessage): void {
    sendToPrimary({ ...message, source: MESSAGE_SOURCE, requesterUid });
  }
}

/**
 * The adapter for the workers of a node:cluster primary that runs `setupPrimary()`.
 *
 * @example
 * const io = new Server(httpServer, { adapter: createAdapter() });
 */
export function createAdapter(opts: NodeClusterAdapterOptions = {}): AdapterConstructor {
  // Options are checked here, at once, rather than when the first namespace is created.
  for (const name of ['requestsTimeout', 'heartbeatInterval', 'heartbeatTimeout'] as const) {
    const value = opts[name];
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new AdapterError(
        AdapterErrorCode.INVALID_OPTION,
        `${name} must be a positive number of milliseconds, got ${String(value)}`,
      );
    }
  }
  return class extends NodeClusterAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, opts);
    }
  };
}
