// The Origin check against cross-site WebSocket hijacking: browsers apply no CORS to WebSocket handshakes and send
// cookies with them, so without it any page can open a session with the user's credentials. Polling requests are
// checked too, since a refused preflight does not stop a simple GET from reaching the server.
import type { CorsOptions, CorsOptionsDelegate } from '../cors-options.js';

/** Origins allowed to talk to the engine: an exact origin (`https://app.example`), a pattern, or a list of them. */
export type AllowedOrigins = string | RegExp | ReadonlyArray<string | RegExp>;

/** Whether a request's Origin header may proceed. */
export type OriginCheck = (origin: string) => boolean;

function isOriginList(value: unknown): value is ReadonlyArray<string | RegExp> {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string' || entry instanceof RegExp);
}

/** Whether `value` is usable as `allowedOrigins` (a string, a RegExp, or a list of them). */
export function isAllowedOrigins(value: unknown): value is AllowedOrigins {
  return typeof value === 'string' || value instanceof RegExp || isOriginList(value);
}

/**
 * The check to run: `allowedOrigins` when given (`false` turns it off), else the static origins of `cors.origin`
 * (a string other than `*`, a RegExp, or a list of them); undefined when nothing restricts origins.
 */
export function createOriginCheck(
  allowedOrigins: AllowedOrigins | false | undefined,
  cors: false | CorsOptions | CorsOptionsDelegate,
): OriginCheck | undefined {
  if (allowedOrigins === false) return undefined;
  let allowed = allowedOrigins;
  if (allowed === undefined && typeof cors === 'object') {
    const origin = cors.origin;
    if ((typeof origin === 'string' && origin !== '*') || origin instanceof RegExp || isOriginList(origin))
      allowed = origin;
  }
  if (allowed === undefined) return undefined;
  const entries = typeof allowed === 'string' || allowed instanceof RegExp ? [allowed] : allowed;
  // Origins are ASCII serializations (scheme://host[:port]); browsers send them lower-case.
  const exact = new Set(entries.filter((entry) => typeof entry === 'string').map((entry) => entry.toLowerCase()));
  const patterns = entries.filter((entry) => entry instanceof RegExp);
  return (origin) => exact.has(origin.toLowerCase()) || patterns.some((pattern) => pattern.test(origin));
}
