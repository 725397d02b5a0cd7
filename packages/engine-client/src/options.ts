// Options of `new Socket()` (engine.io-client v6 names) and their resolution against the URI and `location`.
import { SwitchboardError } from '@switchboard/protocol';
import { decodeQuery, parseUri } from './uri.js';

/** The transports this client implements. */
export type TransportName = 'polling' | 'websocket';

/** How received binary messages are handed out: an ArrayBuffer, or a Node Buffer (a Uint8Array in browsers). */
export type BinaryType = 'arraybuffer' | 'nodebuffer';

/** Options of `new Socket(uri, opts)`, named and defaulted as in engine.io-client v6. */
export interface SocketOptions {
  /** Host name, e.g. 'example.com'; taken from the URI when one is given. @default location.hostname or 'localhost' */
  hostname?: string | undefined;
  /** Host, possibly with a port ('example.com:3000'); only its host name is used. */
  host?: string | undefined;
  /** @default the URI's port, else location.port, else 443 or 80 */
  port?: string | number | undefined;
  /** Use https/wss. @default the URI's scheme, else location.protocol === 'https:' */
  secure?: boolean | undefined;
  /** Path of the Engine.IO endpoint on the server. @default '/engine.io' */
  path?: string | undefined;
  /** Extra query parameters sent with every request, as an object or 'a=1&b=2'. */
  query?: string | Readonly<Record<string, unknown>> | undefined;
  /** Transports to use, in order of preference. @default every transport of the entry point */
  transports?: readonly TransportName[] | undefined;
  /** Try to upgrade from polling to a better transport. @default true */
  upgrade?: boolean | undefined;
  /** Start directly with WebSocket when the previous connection upgraded to it. @default false */
  rememberUpgrade?: boolean | undefined;
  /** Try the next transport when the first one fails to open. @default false */
  tryAllTransports?: boolean | undefined;
  /** Browsers: send cookies with cross-site polling requests. Node: keep a cookie jar per socket. @default false */
  withCredentials?: boolean | undefined;
  /** Headers added to polling requests (and, in Node, to the WebSocket handshake). */
  extraHeaders?: Readonly<Record<string, string>> | undefined;
  /** Add a cache-busting timestamp to each request. @default true for polling, false for WebSocket */
  timestampRequests?: boolean | undefined;
  /** Query parameter that carries the timestamp. @default 't' */
  timestampParam?: string | undefined;
  /** Send binary as base64 text even over WebSocket. @default false */
  forceBase64?: boolean | undefined;
  /** Append '/' to the path. @default true */
  addTrailingSlash?: boolean | undefined;
  /** Close silently on the browser's 'beforeunload' event. @default false */
  closeOnBeforeunload?: boolean | undefined;
  /** Node: an http(s).Agent for polling and the WebSocket, or false for none. @default a shared keep-alive agent */
  agent?: object | false | undefined;
  /** Node: let the process exit while the connection is open. @default false */
  autoUnref?: boolean | undefined;
  /** WebSocket sub-protocols. */
  protocols?: string | readonly string[] | undefined;
  /** Abort a polling request after this many milliseconds (0: never). @default 0 */
  requestTimeout?: number | undefined;
  /** Node: reject servers whose TLS certificate does not verify. @default true */
  rejectUnauthorized?: boolean | undefined;
}

/**
 * Options after the URI, `location` and the path rules have been applied. Other defaults are applied where each
 * option is read, so this stays one spread of the caller's object (small in browser bundles).
 */
export interface ResolvedOptions extends SocketOptions {
  hostname: string;
  port: string;
  secure: boolean;
  path: string;
  query: Record<string, unknown>;
  transports: TransportName[];
}

/** What a transport reads: the socket's options with its own copy of `query` (which gains `sid` after the handshake). */
export type TransportOptions = ResolvedOptions;

/** Applies the URI and `location`; throws EIO_ERR_INVALID_OPTION for a transport this entry lacks. */
export function resolveOptions(uri: string | undefined, opts: SocketOptions, available: readonly TransportName[]): ResolvedOptions {
  let { hostname, port, secure, query } = opts;
  if (uri) {
    // As in engine.io-client, the URI's path is not the Engine.IO path (the Socket.IO client reads it as a namespace).
    const parsed = parseUri(uri);
    hostname = parsed.hostname;
    port = parsed.port;
    secure = parsed.secure;
    if (parsed.query) query = parsed.query;
  } else if (opts.host) {
    hostname = parseUri(opts.host).hostname;
  }
  const page = typeof location === 'undefined' ? undefined : location;
  secure ??= page?.protocol === 'https:';
  const defaultPort = secure ? '443' : '80';
  if (hostname && !port) port = defaultPort;
  const transports = [...(opts.transports ?? available)];
  if (!transports.length || transports.some((name) => !available.includes(name))) {
    // A literal rather than EngineClientErrorCode.INVALID_OPTION: the code table then stays out of browser bundles.
    throw new SwitchboardError('EIO_ERR_INVALID_OPTION', `transports: [${transports}] (available: ${available})`);
  }
  return {
    ...opts,
    hostname: hostname || page?.hostname || 'localhost',
    port: String(port || page?.port || defaultPort),
    secure,
    path: (opts.path ?? '/engine.io').replace(/\/$/, '') + (opts.addTrailingSlash === false ? '' : '/'),
    query: typeof query === 'string' ? decodeQuery(query) : { ...query },
    transports,
  };
}
