// Serializes the `io` session cookie (RFC 6265 Set-Cookie syntax), for the `cookie` option.
import type { CookieOptions } from '../options.js';

const TOKEN = /^[\u0021\u0023-\u002b\u002d-\u003a\u003c-\u005b\u005d-\u007e]+$/; // cookie-name / cookie-octet safe

/** Builds one `Set-Cookie` value for `name=value` with the given attributes. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!TOKEN.test(name)) throw new TypeError(`cookie name ${JSON.stringify(name)} is invalid`);
  let cookie = `${name}=${encodeURIComponent(value)}`;
  if (options.maxAge !== undefined) cookie += `; Max-Age=${Math.floor(options.maxAge)}`;
  if (options.domain !== undefined) cookie += `; Domain=${options.domain}`;
  if (typeof options.path === 'string') cookie += `; Path=${options.path}`;
  if (options.expires !== undefined) cookie += `; Expires=${options.expires.toUTCString()}`;
  if (options.httpOnly === true) cookie += '; HttpOnly';
  if (options.secure === true) cookie += '; Secure';
  if (options.partitioned === true) cookie += '; Partitioned';
  const sameSite = options.sameSite === true ? 'strict' : options.sameSite;
  if (sameSite === 'lax') cookie += '; SameSite=Lax';
  else if (sameSite === 'strict') cookie += '; SameSite=Strict';
  else if (sameSite === 'none') cookie += '; SameSite=None';
  return cookie;
}
