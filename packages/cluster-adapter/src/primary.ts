// The primary's side: a relay. A worker's message goes to every other worker; a response (it names its
// `requesterUid`) goes only to the worker that asked. The primary keeps no other state than which worker owns which
// adapter uid, forgotten when the worker exits.
import cluster, { type Worker } from 'node:cluster';
import createDebug from 'debug';
import { AdapterError, AdapterErrorCode } from '@switchboard/adapter';
import { isEnvelope } from './envelope.js';

const debug = createDebug('switchboard:adapter:node-cluster');

/** Options of `setupPrimary`. */
export interface SetupPrimaryOptions {
  /**
   * Switch node:cluster to the `advanced` IPC serialization (unless `cluster.setupPrimary` already chose one), so
   * binary payloads cross as Buffers; with `json` they would arrive as `{ type: 'Buffer', data }` objects. @default true
   */
  advancedSerialization?: boolean;
}

function ignoreSendError(err: Error | null): void {
  if (err !== null) debug('could not relay to a worker: %s', err.message);
}

function send(worker: Worker, message: unknown): void {
  if (worker.isConnected()) worker.send(message as object, undefined, ignoreSendError);
}

/**
 * Relays the cluster adapter's messages between the workers; call it once in the primary, before forking.
 * Returns a function that stops relaying.
 *
 * @example
 * if (cluster.isPrimary) {
 *   setupPrimary();
 *   for (let i = 0; i < 2; i++) cluster.fork();
 *   cluster.on('exit', () => cluster.fork());
 * }
 */
export function setupPrimary(opts: SetupPrimaryOptions = {}): () => void {
  if (!cluster.isPrimary) {
    throw new AdapterError(
      AdapterErrorCode.INVALID_OPTION,
      'setupPrimary() runs in the node:cluster primary; workers use createAdapter()',
    );
  }
  if (opts.advancedSerialization !== false && cluster.settings.serialization === undefined) {
    cluster.setupPrimary({ serialization: 'advanced' });
  }
  const ownerOfUid = new Map<string, Worker>();

  const onMessage = (from: Worker, message: unknown): void => {
    if (!isEnvelope(message) || typeof message.uid !== 'string') return;
    ownerOfUid.set(message.uid, from);
    const requester = typeof message.requesterUid === 'string' ? ownerOfUid.get(message.requesterUid) : undefined;
    if (requester !== undefined) {
      send(requester, message);
      return;
    }
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker !== undefined && worker !== from) send(worker, message);
    }
  };
  const onExit = (worker: Worker): void => {
    for (const [uid, owner] of ownerOfUid) if (owner === worker) ownerOfUid.delete(uid);
    debug('worker %d exited; its adapters are forgotten by the others after heartbeatTimeout', worker.id);
  };
  cluster.on('message', onMessage);
  cluster.on('exit', onExit);
  return () => {
    cluster.off('message', onMessage);
    cluster.off('exit', onExit);
  };
}
