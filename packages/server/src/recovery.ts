// Connection state recovery, server side: its options, which disconnections keep a session, how a CONNECT that
// presents one is looked up, and how missed packets are replayed. (Storage lives in the adapter.)
import createDebug from 'debug';
import { PacketType } from '@switchboard/protocol';
import type { Adapter, PrivateSessionId, RecoveryOptions, Room, Session, SocketId } from './adapter/types.js';
import type { DisconnectReason } from './socket-types.js';

const debug = createDebug('switchboard:server:recovery');

/** Reasons after which the session is kept: the client did not mean to leave. */
export const RECOVERABLE_DISCONNECT_REASONS: ReadonlySet<DisconnectReason> = new Set<DisconnectReason>([
  'transport error',
  'transport close',
  'forced close',
  'ping timeout',
  'server shutting down',
  'forced server close',
]);

/** A restored session as a socket takes it. */
export interface RestoredState {
  sid: SocketId;
  pid: PrivateSessionId;
  rooms: Room[];
  data: unknown;
}

/** A restored session plus the argument lists of the EVENTs the client missed, oldest first. */
export interface RestoredSession extends RestoredState {
  missedPackets: unknown[][];
}

/** The `connectionStateRecovery` option with socket.io's defaults, or undefined when recovery is off. */
export function resolveRecoveryOptions(option: Partial<RecoveryOptions> | undefined): RecoveryOptions | undefined {
  if (option === undefined) return undefined;
  return {
    maxDisconnectionDuration: option.maxDisconnectionDuration ?? 120_000,
    skipMiddlewares: option.skipMiddlewares ?? true,
  };
}

/**
 * The session a CONNECT asks to resume (`{pid, offset}` in its auth), or undefined synchronously when it asks for
 * none: the common path then needs no promise.
 */
export function findSession(
  adapter: Adapter,
  recovery: RecoveryOptions | undefined,
  auth: Record<string, unknown> | undefined,
): Promise<RestoredSession | undefined> | undefined {
  const pid = auth?.['pid'];
  const offset = auth?.['offset'];
  if (recovery === undefined || typeof pid !== 'string' || typeof offset !== 'string') return undefined;
  let restored: Promise<Session | null> | null;
  try {
    restored = adapter.restoreSession(pid, offset);
  } catch (err) {
    restored = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  // Promise.resolve: an adapter may answer null synchronously, as socket.io-adapter's base class does.
  return Promise.resolve(restored).then(
    (session) => session ?? undefined,
    (err: unknown) => {
      // An adapter failure costs the client its state, not its connection.
      debug('restoreSession failed: %o', err);
      return undefined;
    },
  );
}

/** Writes the missed EVENTs after the CONNECT reply, in order; they already carry their offsets. */
export function replayMissedPackets(
  write: (packet: { type: typeof PacketType.EVENT; nsp: string; data: unknown[] }) => void,
  nsp: string,
  missedPackets: readonly unknown[][],
): void {
  for (const data of missedPackets) write({ type: PacketType.EVENT, nsp, data });
}
