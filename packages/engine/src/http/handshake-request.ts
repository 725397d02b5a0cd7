// The query of engine requests, parsed once per request; and a small record of a handshake request.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { unescape } from 'node:querystring';

/** Query parameters of an Engine.IO request (`EIO`, `transport`, `sid`, `b64`, and whatever the client added). */
export type RequestQuery = Record<string, string>;

/** A request the engine answered, with its parsed query attached as engine.io attaches it. */
export type EngineRequest = IncomingMessage & { _query: RequestQuery };

/**
 * What socket.io and user code read from `socket.request`: headers, url, method, the parsed query and the peer
 * address. Keeping this instead of the request frees the IncomingMessage, its socket buffers and parser state.
 * `connection` and `socket` point back at the record itself so `request.connection.remoteAddress` keeps working.
 */
export class HandshakeRequest {
  readonly headers: IncomingHttpHeaders;
  readonly url: string;
  readonly method: string;
  readonly remoteAddress: string | undefined;
  /** True when the handshake came over TLS. */
  readonly encrypted: boolean;
  // Parsed from `url` on first read: most sessions never look at their query after the handshake.
  #query: RequestQuery | undefined;

  constructor(req: IncomingMessage) {
    this.headers = req.headers;
    const url = req.url ?? '/';
    // Equal to the target parsed last (the usual case: one client library asks for the same one every time), keep
    // that string instead of this request's copy: one string shared by all sessions, ~60 bytes less per session.
    this.url = url === lastUrl ? lastUrl : url;
    this.method = req.method ?? 'GET';
    this.remoteAddress = req.socket.remoteAddress;
    this.encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  }

  /** The handshake's query parameters, as engine.io exposes them. */
  get _query(): RequestQuery {
    this.#query ??= cachedQueryOf(this.url);
    return this.#query;
  }

  /** Stands in for `IncomingMessage#connection`. */
  get connection(): this {
    return this;
  }

  /** Stands in for `IncomingMessage#socket`. */
  get socket(): this {
    return this;
  }
}

function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  // querystring's unescape falls back to byte-wise decoding (invalid UTF-8 becomes U+FFFD), as URLSearchParams does.
  return spaced.includes('%') ? unescape(spaced) : spaced;
}

/**
 * The query of a request target, decoded as URLSearchParams decodes it (`+` is a space, the last duplicate wins),
 * without building a URL object: every polling request goes through this.
 */
function queryOf(url: string): RequestQuery {
  const query: RequestQuery = {};
  const start = url.indexOf('?');
  if (start === -1) return query;
  const end = url.indexOf('#', start);
  const search = url.slice(start + 1, end === -1 ? undefined : end);
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = decodeComponent(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decodeComponent(pair.slice(equals + 1));
    // A `__proto__` parameter must stay an ordinary key, never a prototype change; other keys take the fast path.
    if (key === '__proto__')
      Object.defineProperty(query, key, { value, writable: true, enumerable: true, configurable: true });
    else query[key] = value;
  }
  return query;
}

// The request target parsed last, and its query. The WebSocket handshakes of one client library all ask for the same
// target (`/socket.io/?EIO=4&transport=websocket`), so parsing it again would repeat identical work on every connect.
let lastUrl: string | undefined;
let lastQuery: RequestQuery = {};

/** `queryOf(url)`, reusing the previous parse when `url` is the same; every caller gets an object of its own. */
function cachedQueryOf(url: string): RequestQuery {
  if (url !== lastUrl) {
    lastQuery = queryOf(url);
    lastUrl = url;
  }
  // Spreading defines own data properties, so a `__proto__` parameter stays an ordinary key in the copy too.
  return { ...lastQuery };
}

/** Parses the query string of `req.url`, reusing `req._query` when a framework already did (as engine.io does). */
export function parseQuery(req: IncomingMessage): RequestQuery {
  const existing = (req as { _query?: unknown })._query;
  if (typeof existing === 'object' && existing !== null) return existing as RequestQuery;
  const query = cachedQueryOf(req.url ?? '/');
  (req as { _query?: RequestQuery })._query = query;
  return query;
}
