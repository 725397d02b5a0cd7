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

/** One Engine.IO session, as `@switchboard/engine` emits it with 'connection'. */
export interface EngineConnection extends EventEmitter {
  readonly id: string;
  /** Engine.IO protocol revision of the client (3 or 4). */
  readonly protocol: number;
  readonly readyState: string;
  readonly request: EngineRequest;
  readonly remoteAddress?: string | undefined;
  readonly transport: { readonly name: string; readonly writable?: boolean | undefined };
  write(data: string | Uint8Array, options?: { compress?: boolean }, callback?: () => void): unknown;
  sendPrepared(message: PreparedMessage, options?: { volatile?: boolean }): unknown;
  /** Bytes held for the client (write buffer and socket); absent on engines without back-pressure. */
  readonly bufferedBytes?: number;
  /** Told of the connection's messages and close before any listener (the engine's `SessionConsumer`). */
  consumer: SessionConsumer | undefined;
  close(): unknown;
}
