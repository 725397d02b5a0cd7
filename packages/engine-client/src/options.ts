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
  /**
   * Transports to use, in order of preference: names, or transport classes as engine.io-client takes them
   * (`[WebSocket]`; any class whose instances are named 'polling' or 'websocket', engine.io-client's included, picks
   * this entry's own implementation of that transport). @default every transport of the entry point
   */
  transports?: readonly (TransportName | TransportClass)[] | undefined;
  /**
   * Options that apply to one transport only, over the socket's, e.g. `{ polling: { extraHeaders: {...} } }`
   * (where the server is and which transports to use are the socket's alone).
   */
  transportOptions?: Readonly<Partial<Record<TransportName, PerTransportOptions>>> | undefined;
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
  /** Node: certificate authorities to trust instead of Node's list (PEM), as `tls.connect()` takes them. */
  ca?: TlsValue | undefined;
  /** Node: the client certificate chain (PEM). */
  cert?: TlsValue | undefined;
  /** Node: the client private key (PEM). */
  key?: TlsValue | undefined;
  /** Node: the client key and certificate as PFX / PKCS#12. */
  pfx?: TlsValue | undefined;
  /** Node: the passphrase of `key` or `pfx`. */
  passphrase?: string | undefined;
  /** Node: the TLS cipher suites to allow (OpenSSL format). */
  ciphers?: string | undefined;
  /** Node: WebSocket permessage-deflate, as `ws` takes it (false to turn it off). @default { threshold: 1024 } */
  perMessageDeflate?: boolean | Readonly<Record<string, unknown>> | undefined;
  /**
   * Use the timer functions found when the package loaded, not the global `setTimeout` of the moment (which fake
   * timers may replace). @default false
   */
  useNativeTimers?: boolean | undefined;
}

/** The options `transportOptions` may set for one transport. */
export type PerTransportOptions = Omit<
  SocketOptions,
  'hostname' | 'host' | 'port' | 'secure' | 'path' | 'query' | 'transports' | 'transportOptions'
>;

/** A TLS credential as Node takes it: PEM text or bytes, or several. */
export type TlsValue = string | Uint8Array | ReadonlyArray<string | Uint8Array>;

/** A transport class, as engine.io-client exports them: its instances carry the transport's name. */
export type TransportClass = abstract new (...args: never[]) => { readonly name: string };

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
export function resolveOptions(
  uri: string | undefined,
  opts: SocketOptions,
  available: readonly TransportName[],
): ResolvedOptions {
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
  const transports = (opts.transports ?? available).map(
    // A name has no prototype; a class's prototype carries the name.
    (t) => ((t as { prototype?: { name: TransportName } }).prototype?.name ?? t) as TransportName,
  );
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
