// The server's options: their types, documented defaults, and the one place that validates and fills them in.
import type { IncomingMessage } from 'node:http';
import type { CorsOptions, CorsOptionsDelegate } from './cors-options.js';
import { WebSocketServer } from 'ws';
import type { PerMessageDeflateOptions, WsEngine } from './transports/ws-engine.js';
import type { Clock } from './clock.js';
import { createOriginCheck, isAllowedOrigins } from './http/origin.js';
import type { AllowedOrigins, OriginCheck } from './http/origin.js';
import { systemClock } from './clock.js';
import { EngineError, EngineErrorCode } from './errors.js';

export type { PerMessageDeflateOptions } from './transports/ws-engine.js';

/** A transport name the server can offer. */
export type TransportName = 'polling' | 'websocket';

/** The transports of a server built without its own registry, in upgrade order. */
export const BUILT_IN_TRANSPORTS: readonly TransportName[] = ['polling', 'websocket'];

/** Answer of `allowRequest`: an error message (or null) and whether the handshake may proceed. */
export type AllowRequestCallback = (err: string | null | undefined, success: boolean) => void;

/** Options of the `io` session cookie, as the `cookie` package's `serialize` takes them. */
export interface CookieOptions {
  /** @default 'io' */
  name?: string;
  /** @default '/' */
  path?: string | false;
  /** @default true */
  httpOnly?: boolean;
  /** @default 'lax' */
  sameSite?: boolean | 'lax' | 'strict' | 'none';
  domain?: string;
  secure?: boolean;
  /** Lifetime in seconds. */
  maxAge?: number;
  expires?: Date;
  partitioned?: boolean;
}

/** zlib options for compressing polling responses. */
export interface HttpCompressionOptions {
  /** Responses smaller than this many bytes go out uncompressed. @default 1024 */
  threshold?: number;
  level?: number;
  memLevel?: number;
  windowBits?: number;
  chunkSize?: number;
}

/** Where and how the server hooks into an HTTP server. */
export interface AttachOptions {
  /** URL path the engine answers under; other paths pass through to the HTTP server's other listeners. @default '/engine.io' */
  path?: string;
  /** Destroy upgrade requests for other paths that nobody else answered within `destroyUpgradeTimeout`. @default true */
  destroyUpgrade?: boolean;
  /** Milliseconds to wait before destroying an unanswered foreign upgrade. @default 1000 */
  destroyUpgradeTimeout?: number;
  /** Match the path with a trailing slash (`/engine.io/`), as engine.io does. @default true */
  addTrailingSlash?: boolean;
}

/** Options of `new Server()`; every name and default is engine.io v6's. */
export interface ServerOptions extends AttachOptions {
  /** Milliseconds the server waits for a pong after its ping before closing with `ping timeout`. @default 20000 */
  pingTimeout?: number;
  /** Milliseconds between the server's pings. @default 25000 */
  pingInterval?: number;
  /** Milliseconds a transport upgrade may take before it is cancelled. @default 10000 */
  upgradeTimeout?: number;
  /** Largest message, in bytes, a client may send (a POST body on polling, a frame on WebSocket). @default 1e6 */
  maxHttpBufferSize?: number;
  /** Milliseconds a polling POST body may take to arrive; past it, 408 and the session closes. @default 30000 */
  httpRequestBodyTimeout?: number;
  /**
   * Most chunks a polling POST body may arrive in (413 and the session closes past it); also `ws`'s limit on the
   * fragments of one WebSocket message. @default 10000
   */
  maxBufferedChunks?: number;
  /** Most packets one polling POST may carry; more gets 400 `{"code":3}` and closes the session. @default 10000 */
  maxPacketsPerPayload?: number;
  /** Decides whether a handshake may proceed; refusing answers 403 `{"code":4,...}`. @default undefined (all allowed) */
  allowRequest?: (req: IncomingMessage, callback: AllowRequestCallback) => void;
  /** Transports clients may use, in upgrade order. @default ['polling', 'websocket'] */
  transports?: readonly TransportName[];
  /** Whether polling sessions may upgrade to WebSocket. @default true */
  allowUpgrades?: boolean;
  /** WebSocket permessage-deflate: `true` or settings to enable it. @default false */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /** gzip/deflate for polling responses (per Accept-Encoding, over the threshold): `false` to disable. @default { threshold: 1024 } */
  httpCompression?: boolean | HttpCompressionOptions;
  /** Set an `io` cookie holding the session id on the handshake: `true` or cookie settings. @default false */
  cookie?: boolean | CookieOptions;
  /** CORS handling through the `cors` package; `false` leaves CORS headers alone. @default false */
  cors?: false | CorsOptions | CorsOptionsDelegate;
  /**
   * Origins whose pages may open sessions (both transports, handshakes and session requests alike): an origin string,
   * a RegExp, or a list of them. A request with another `Origin` header is refused (polling: 403 `{"code":4}`;
   * WebSocket: `400 Forbidden`); requests without one (non-browser clients) pass. `false` turns the check off.
   * @default the static origins of `cors.origin` (a string other than `*`, a RegExp or a list), else no check
   */
  allowedOrigins?: AllowedOrigins | false;
  /**
   * Serve a session's requests (polling GET/POST, the upgrade) only from the address its handshake came from. A session
   * id is a bearer token: whoever learns it can otherwise read the session's queued packets. Off by default, as in
   * engine.io: clients whose address changes (mobile networks) then reconnect, and behind a proxy every client shares
   * the proxy's address, which makes the check useless there.
   * @default false
   */
  bindSessionToAddress?: boolean;
  /** Accept Engine.IO v3 clients (socket.io-client 2.x): client-driven heartbeat, v3 payloads. @default false */
  allowEIO3?: boolean;
  /** The WebSocket server implementation, used in noServer mode. @default WebSocketServer from `ws` */
  wsEngine?: WsEngine;
  /** A message sent to every client right after the open packet. @default undefined */
  initialPacket?: string | Uint8Array;
  /** Time source for heartbeats; replace it in tests to step time. @default the system clock */
  clock?: Clock;
  /**
   * Bytes a connection may hold for a slow client (its write buffer plus what its socket has not sent yet). Past it,
   * volatile packets are dropped and writes wait for the socket to drain; a connection that stays past it for
   * `bufferFullTimeout`, or piles up twice as much, closes with `transport buffer full`. At least 65536.
   * @default 4194304 (4 MiB)
   */
  maxBufferedBytes?: number;
  /** Milliseconds a connection may stay over `maxBufferedBytes` before it is closed. @default 10000 */
  bufferFullTimeout?: number;
}

/** Options after defaults, as the server and its sessions read them. */
export interface ResolvedOptions {
  /** Writable, as in engine.io: sessions opened afterwards advertise and use the new value. */
  pingTimeout: number;
  /** Writable, as in engine.io: sessions opened afterwards advertise and use the new value. */
  pingInterval: number;
  readonly upgradeTimeout: number;
  readonly maxHttpBufferSize: number;
  readonly maxPacketsPerPayload: number;
  readonly httpRequestBodyTimeout: number;
  readonly maxBufferedChunks: number;
  readonly allowRequest: ((req: IncomingMessage, callback: AllowRequestCallback) => void) | undefined;
  readonly transports: readonly TransportName[];
  readonly allowUpgrades: boolean;
  readonly perMessageDeflate: false | PerMessageDeflateOptions;
  readonly httpCompression: false | HttpCompressionOptions;
  readonly cookie: false | (CookieOptions & { name: string });
  readonly cors: false | CorsOptions | CorsOptionsDelegate;
  /** From `allowedOrigins` or `cors.origin`; undefined when origins are not restricted. */
  readonly isOriginAllowed: OriginCheck | undefined;
  readonly allowEIO3: boolean;
  readonly bindSessionToAddress: boolean;
  readonly wsEngine: WsEngine;
  readonly initialPacket: string | Uint8Array | undefined;
  readonly clock: Clock;
  readonly maxBufferedBytes: number;
  readonly bufferFullTimeout: number;
}

function invalid(name: string, value: unknown, expected: string): EngineError {
  return new EngineError(
    EngineErrorCode.INVALID_OPTION,
    `option "${name}" must be ${expected}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
  );
}

function positiveNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw invalid(name, value, 'a positive finite number');
  }
  return value;
}

// A socket's 'drain' (which resumes held writes) only fires past its high-water mark: 64 KiB on recent Node versions.
const MIN_BUFFERED_BYTES = 65_536;

function atLeast(name: string, value: number | undefined, minimum: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= minimum) || !Number.isFinite(value)) {
    throw invalid(name, value, `a finite number of at least ${minimum}`);
  }
  return value;
}

/**
 * Fills in engine.io's defaults and rejects values that cannot work, naming the option. `known` are the registered
 * transports (the default `transports`, and all it may name).
 */
export function resolveOptions(
  options: ServerOptions,
  known: readonly string[] = BUILT_IN_TRANSPORTS,
): ResolvedOptions {
  const transports = options.transports ?? (known as readonly TransportName[]);
  if (
    !Array.isArray(transports) ||
    transports.length === 0 ||
    transports.some((t: unknown) => typeof t !== 'string' || !known.includes(t))
  ) {
    const names = known.map((name) => `'${name}'`);
    throw invalid('transports', transports, `a non-empty array of ${names.join(' and ')}`);
  }
  if (options.allowRequest !== undefined && typeof options.allowRequest !== 'function') {
    throw invalid('allowRequest', options.allowRequest, 'a function');
  }
  const { allowedOrigins } = options;
  if (allowedOrigins !== undefined && allowedOrigins !== false && !isAllowedOrigins(allowedOrigins)) {
    throw invalid('allowedOrigins', allowedOrigins, 'an origin string, a RegExp, a list of them, or false');
  }
  const perMessageDeflate =
    options.perMessageDeflate === undefined || options.perMessageDeflate === false
      ? false
      : { threshold: 1024, ...(options.perMessageDeflate === true ? {} : options.perMessageDeflate) };
  const httpCompression =
    options.httpCompression === false
      ? false
      : { threshold: 1024, ...(typeof options.httpCompression === 'object' ? options.httpCompression : {}) };
  const cookie =
    options.cookie === undefined || options.cookie === false
      ? false
      : {
          name: 'io',
          path: '/',
          httpOnly: options.cookie === true || options.cookie.path !== false,
          sameSite: 'lax' as const,
          ...(options.cookie === true ? {} : options.cookie),
        };
  return {
    pingTimeout: positiveNumber('pingTimeout', options.pingTimeout, 20_000),
    pingInterval: positiveNumber('pingInterval', options.pingInterval, 25_000),
    upgradeTimeout: positiveNumber('upgradeTimeout', options.upgradeTimeout, 10_000),
    maxHttpBufferSize: positiveNumber('maxHttpBufferSize', options.maxHttpBufferSize, 1e6),
    maxPacketsPerPayload: atLeast('maxPacketsPerPayload', options.maxPacketsPerPayload, 1, 10_000),
    httpRequestBodyTimeout: positiveNumber('httpRequestBodyTimeout', options.httpRequestBodyTimeout, 30_000),
    maxBufferedChunks: atLeast('maxBufferedChunks', options.maxBufferedChunks, 1, 10_000),
    allowRequest: options.allowRequest,
    transports,
    allowUpgrades: options.allowUpgrades ?? true,
    perMessageDeflate,
    httpCompression,
    cookie,
    cors: options.cors ?? false,
    isOriginAllowed: createOriginCheck(allowedOrigins, options.cors ?? false),
    allowEIO3: options.allowEIO3 ?? false,
    bindSessionToAddress: options.bindSessionToAddress ?? false,
    wsEngine: options.wsEngine ?? WebSocketServer,
    initialPacket: options.initialPacket,
    clock: options.clock ?? systemClock,
    maxBufferedBytes: atLeast('maxBufferedBytes', options.maxBufferedBytes, MIN_BUFFERED_BYTES, 4 * 1024 * 1024),
    bufferFullTimeout: positiveNumber('bufferFullTimeout', options.bufferFullTimeout, 10_000),
  };
}

/** The path prefix requests must start with: `/engine.io/` by default, without the slash when addTrailingSlash is false. */
export function computePath(options: AttachOptions): string {
  const path = (options.path ?? '/engine.io').replace(/\/$/, '');
  return options.addTrailingSlash === false ? path : `${path}/`;
}
