// The small record a session keeps of its handshake request, in place of the IncomingMessage itself.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** Query parameters of an Engine.IO request (`EIO`, `transport`, `sid`, `b64`, and whatever the client added). */
export type RequestQuery = Record<string, string>;

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
    this.url = req.url ?? '/';
    this.method = req.method ?? 'GET';
    this.remoteAddress = req.socket.remoteAddress;
    this.encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  }

  /** The handshake's query parameters, as engine.io exposes them. */
  get _query(): RequestQuery {
    this.#query ??= queryOf(this.url);
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

const QUERY_BASE = 'http://localhost';

function queryOf(url: string): RequestQuery {
  let parsed: URL;
  try {
    parsed = new URL(url, QUERY_BASE);
  } catch {
    return {};
  }
  // fromEntries defines properties, so a `__proto__` parameter is an ordinary key, not a prototype change.
  return Object.fromEntries(parsed.searchParams) as RequestQuery;
}

/** Parses the query string of `req.url`, reusing `req._query` when a framework already did (as engine.io does). */
export function parseQuery(req: IncomingMessage): RequestQuery {
  const existing = (req as { _query?: unknown })._query;
  if (typeof existing === 'object' && existing !== null) return existing as RequestQuery;
  const query = queryOf(req.url ?? '/');
  (req as { _query?: RequestQuery })._query = query;
  return query;
}
