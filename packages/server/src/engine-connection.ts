// The part of an Engine.IO connection the Socket.IO layer relies on, stated once so the contract is explicit.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import type { PreparedMessage, SessionConsumer } from '@switchboard/engine';

/**
 * The handshake request the engine keeps per connection: the IncomingMessage itself (as engine.io keeps it), with
 * whatever `io.engine.use()` middlewares set on it, and its parsed query.
 */
export type EngineRequest = IncomingMessage & { _query?: ParsedUrlQuery | undefined };

/** An engine.io-compatible server `io.bind()` accepts: ours, engine.io's, @socket.io/cluster-engine's. */
export interface EngineLike {
  on(event: 'connection', listener: (conn: EngineConnection) => void): unknown;
  close(): unknown;
}

/** One Engine.IO session, as `@switchboard/engine` (or any engine.io-compatible engine) emits it with 'connection'. */
export interface EngineConnection extends EventEmitter {
  readonly id: string;
  /** Engine.IO protocol revision of the client (3 or 4). */
  readonly protocol: number;
  readonly readyState: string;
  readonly request: EngineRequest;
  readonly remoteAddress?: string | undefined;
  readonly transport: { readonly name: string; readonly writable?: boolean | undefined };
  write(data: string | Uint8Array, options?: { compress?: boolean }, callback?: () => void): unknown;
  /** Our engine's shared encodings for broadcasts; absent on other engines (messages are then written one by one). */
  sendPrepared?(message: PreparedMessage, options?: { volatile?: boolean }): unknown;
  /** Packets queued and not yet handed to the transport. */
  readonly writeBuffer?: readonly unknown[];
  /** Bytes held for the client (write buffer and socket); absent on engines without back-pressure. */
  readonly bufferedBytes?: number;
  /**
   * Told of the connection's messages and close before any listener (our engine's `SessionConsumer`); on other
   * engines the client listens to `data` and `close` instead.
   */
  consumer?: SessionConsumer | undefined;
  close(): unknown;
}
