// The part of an Engine.IO connection the Socket.IO layer relies on, stated once so the contract is explicit.
import type { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import type { PreparedMessage, SessionConsumer } from '@switchboard/engine';

/** The lightweight view of the first HTTP request that the engine keeps per connection. */
export interface EngineRequest {
  readonly headers: IncomingHttpHeaders;
  readonly url?: string | undefined;
  readonly method?: string | undefined;
  readonly connection?: { readonly remoteAddress?: string | undefined; readonly encrypted?: boolean | undefined } | undefined;
  readonly _query?: ParsedUrlQuery | undefined;
}

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
