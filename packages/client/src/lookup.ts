// `io()`: URL parsing and the Manager cache that lets namespaces of one server share a connection.
import { parseUri } from '@switchboard/engine-client';
import createDebug from 'debug';
import { Manager, type ManagerOptions } from './manager.js';
import type { Socket, SocketOptions } from './socket.js';
import type { DefaultEventsMap, EventsMap } from './typed-events.js';

/** A parsed server URL: where the engine connects, which namespace, and the Manager cache key. */
export interface ParsedUrl {
  /** Origin plus query, handed to the Manager. */
  source: string;
  /** The namespace: the URL's path. */
  nsp: string;
  /** Cache key: scheme, host, port and engine path; sockets with the same key share a Manager. */
  id: string;
}

/**
 * Resolves `uri` against the page location (in browsers) the way socket.io-client does: no URI means
 * the page's origin, '//host' borrows the page's scheme, '/nsp' the page's host, and a URI without scheme
 * gets the page's (https outside browsers).
 */
export function parseUrl(
  uri: string | undefined,
  enginePath: string,
  loc?: { protocol: string; host: string },
): ParsedUrl {
  loc ??= (globalThis as { location?: { protocol: string; host: string } }).location;
  let href = uri ?? (loc ? `${loc.protocol}//${loc.host}` : 'http://localhost');
  if (loc && href[0] === '/' && href[1] !== '/') href = loc.host + href;
  // engine-client's parser is in the bundle anyway; reusing it is cheaper than URL and its normalisation.
  const parts = parseUri(href);
  const protocol = parts.protocol || (loc ? loc.protocol.slice(0, -1) : 'https');
  const host = parts.hostname.includes(':') ? `[${parts.hostname}]` : parts.hostname;
  const port = parts.port || (protocol === 'https' || protocol === 'wss' ? '443' : '80');
  return {
    source: `${protocol}://${host}${parts.port && ':' + parts.port}${parts.query && '?' + parts.query}`,
    nsp: parts.path || '/',
    id: `${protocol}://${host}:${port}${enginePath}`,
  };
}

const cache = new Map<string, Manager>();

// Calls sit behind `DEBUG:` labels, which the browser build drops (scripts/build-browser.mjs).
const debug = /* @__PURE__ */ createDebug('switchboard:client:url');

/** Options accepted by `io()`: the Manager's and the Socket's. */
export type IoOptions = Partial<ManagerOptions & SocketOptions> & { 'force new connection'?: boolean };

/**
 * Returns a socket for the URL's namespace, sharing a Manager with earlier sockets to the same server
 * unless `forceNew`, `multiplex: false`, or the namespace is already taken on the cached Manager.
 * @example
 * const socket = io('https://example.com/admin', { auth: { token: 'x' } });
 */
export function io<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  opts?: IoOptions,
): Socket<ListenEvents, EmitEvents>;
export function io<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string,
  opts?: IoOptions,
): Socket<ListenEvents, EmitEvents>;
export function io(uri?: string | IoOptions, opts?: IoOptions): Socket {
  if (typeof uri === 'object') [uri, opts] = [undefined, uri];
  opts = { ...opts };
  const parsed = parseUrl(uri, opts.path ?? '/socket.io');
  const cached = cache.get(parsed.id);
  let manager: Manager;
  if (opts.forceNew || opts['force new connection'] || opts.multiplex === false || cached?.hasNamespace_(parsed.nsp)) {
    DEBUG: debug('new Manager for %s', parsed.source);
    manager = new Manager(parsed.source, opts);
  } else {
    DEBUG: debug(cached ? 'reusing the Manager of %s' : 'new cached Manager for %s', parsed.id);
    manager = cached ?? new Manager(parsed.source, opts);
    cache.set(parsed.id, manager);
  }
  return manager.socket(parsed.nsp, opts);
}

/** Alias of `io`, as in socket.io-client. */
export const connect = io;
