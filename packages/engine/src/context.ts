// What sessions and transports need from their server: options, shared timers, the batched flush, headers.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { EnginePacket } from '@switchboard/protocol';
import type { ResolvedOptions } from './options.js';
import type { PreparedMessage } from './prepared-message.js';
import type { TimerWheel } from './timer-wheel.js';

/** Per-packet send options, as engine.io takes them. */
export interface SendOptions {
  /** Allow compression (permessage-deflate or HTTP compression) for this packet. @default true */
  compress?: boolean;
  /** May be dropped when the connection is over `maxBufferedBytes` (a slow client), before anything else. @default false */
  volatile?: boolean;
}

/** A packet waiting in a session's write buffer; what `packetCreate` and `flush` listeners see. */
export interface OutgoingPacket extends EnginePacket {
  options: SendOptions;
  /** Set for `sendPrepared`: transports reuse its cached encodings instead of encoding `data` again. */
  prepared?: PreparedMessage;
}

/** Something whose writes are batched until the current callback (and its microtasks) is done. */
export interface Flushable {
  flush(): void;
}

/**
 * The server-wide services a session and its transports use; one instance per server, shared by all sessions.
 * Its members are internal (the server implements them), so the published types show an empty interface.
 */
export interface EngineContext {
  /** @internal */
  readonly options: ResolvedOptions;
  /** @internal The one heartbeat timer of the server. */
  readonly wheel: TimerWheel;
  /** @internal Queues `target.flush()` for when the current callback is done. */
  scheduleFlush(target: Flushable): void;
  /** @internal Lets the server add cookies and `headers`/`initial_headers` listeners' changes to a polling response. */
  decorateHeaders(headers: OutgoingHttpHeaders, req: IncomingMessage, sessionId: string): void;
}

/**
 * What a session needs of its engine besides the shared services; `S` is the session class, so this file needs no
 * import of it.
 */
export interface SessionRuntime<S> extends EngineContext {
  /** The public server, which sessions expose as `server` and on which their `flush`/`drain` are re-emitted. */
  readonly server: EventEmitter;
  /** Transports a session on `transport` may upgrade to, per the registry and `allowUpgrades`. */
  upgradesFrom(transport: string): string[];
  /** The session handed its write buffer to its transport. */
  onSessionFlush(session: S, packets: OutgoingPacket[]): void;
  /** The session's transport can take writes again. */
  onSessionDrain(session: S): void;
  /** Forgets a closed session; runs before the session's own `close` listeners. */
  removeSession(session: S): void;
}
