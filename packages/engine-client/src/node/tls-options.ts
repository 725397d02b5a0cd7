// The TLS options a Node client passes to `https` (polling) and `ws` (WebSocket) alike.
import type { ConnectionOptions } from 'node:tls';
import type { TransportOptions } from '../options.js';

/** The socket's TLS options as `tls.connect()` takes them; unset ones are left out, so Node's defaults apply. */
export function tlsOptions(opts: TransportOptions): ConnectionOptions {
  const { ca, cert, key, pfx, passphrase, ciphers } = opts;
  const tls: ConnectionOptions = { rejectUnauthorized: opts.rejectUnauthorized !== false };
  // Node's types want mutable arrays of string | Buffer; ours are read-only and accept any Uint8Array, which Node takes.
  const set = { ca, cert, key, pfx, passphrase, ciphers } as Record<string, unknown>;
  for (const name of Object.keys(set)) if (set[name] !== undefined) (tls as Record<string, unknown>)[name] = set[name];
  return tls;
}
