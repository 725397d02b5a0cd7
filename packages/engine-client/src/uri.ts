// URI and query-string handling without Node's `url` or the DOM's `URL` (both cost bytes or are missing).

/** The parts of a connection URI the clients need. */
export interface ParsedUri {
  /** Scheme without ':' ('http', 'https', 'ws', 'wss'), or '' when the URI has none. */
  protocol: string;
  /** Host name without IPv6 brackets ('::1'), or '' for a relative URI. */
  hostname: string;
  /** Port as written, or '' when absent. */
  port: string;
  /** Path starting with '/', or '' when absent. */
  path: string;
  /** Query string without '?', or ''. */
  query: string;
  /** True for https and wss. */
  secure: boolean;
}

// scheme:// (or a bare //), optional userinfo@, host ([IPv6] or name), :port, path, ?query. A scheme needs
// '//' after it, so that 'localhost:3000' reads as host and port rather than as scheme 'localhost'.
const URI = /^(?:([a-z][a-z\d+.-]*):\/\/|\/\/)?(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?/i;

/**
 * Splits a URI such as 'wss://example.com:8443/chat?x=1', 'localhost:3000' or '/admin' into its parts.
 * @example parseUri('ws://[::1]:3000/x').hostname // '::1'
 */
export function parseUri(uri: string): ParsedUri {
  const match = URI.exec(uri) as RegExpExecArray; // every string matches: each group is optional
  const protocol = (match[1] ?? '').toLowerCase();
  const host = match[2] ?? '';
  return {
    protocol,
    hostname: host.startsWith('[') ? host.slice(1, -1) : host,
    port: match[3] ?? '',
    path: match[4] ?? '',
    query: match[5] ?? '',
    secure: protocol === 'https' || protocol === 'wss',
  };
}

/** Serialises a flat object as 'a=1&b=x%20y' (values through String()). */
export function encodeQuery(query: Readonly<Record<string, unknown>>): string {
  let text = '';
  for (const key in query) {
    if (query[key] === undefined) continue;
    text += (text ? '&' : '') + encodeURIComponent(key) + '=' + encodeURIComponent(String(query[key]));
  }
  return text;
}

/** Parses 'a=1&b=x%20y' into { a: '1', b: 'x y' }. */
export function decodeQuery(text: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const key = at < 0 ? pair : pair.slice(0, at);
    query[decodeURIComponent(key)] = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1));
  }
  return query;
}
