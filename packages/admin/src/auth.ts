// The admin namespace's login: a known session id, or the username plus a password checked against the bcrypt hash.
import { randomBytes } from 'node:crypto';
import createDebug from 'debug';
import bcrypt from 'bcryptjs';
import type { Namespace } from '@switchboard/server';
import { AdminError, AdminErrorCode } from './errors.js';
import type { BasicAuth } from './options.js';
import type { SessionStore } from './session-store.js';
import { LoginLimiter } from './login-limiter.js';
import type { ResolvedLoginRateLimit } from './login-limiter.js';

const debug = createDebug('switchboard:admin:auth');

const newSessions = new WeakMap<object, string>();

/** The session id created for this socket's password login, once; the caller sends it as `session`. */
export function takeNewSession(socket: object): string | undefined {
  const sessionId = newSessions.get(socket);
  newSessions.delete(socket);
  return sessionId;
}

/** What a dashboard sends in its handshake `auth`. */
interface Credentials {
  username?: unknown;
  password?: unknown;
  sessionId?: unknown;
}

/** True when `password` matches the bcrypt `hash`; a malformed password is a mismatch, never an exception. */
export async function verifyPassword(password: unknown, hash: string): Promise<boolean> {
  if (typeof password !== 'string') return false;
  try {
    return await bcrypt.compare(password, hash);
  } catch (error) {
    debug('bcrypt compare failed: %O', error);
    return false;
  }
}

/**
 * Admits a dashboard with a stored session or valid credentials. On a password login the new session id is sent as
 * `session` once connected (the dashboards keep it for reloads); anything else is refused with `invalid credentials`.
 * Password attempts are rate-limited per address (`limit`): over it, `too many login attempts` without checking.
 */
export function useBasicAuth(
  nsp: Namespace,
  auth: BasicAuth,
  store: SessionStore,
  limit: false | ResolvedLoginRateLimit = false,
): void {
  const limiter = limit === false ? undefined : new LoginLimiter(limit);
  nsp.use((socket, next) => {
    const credentials = socket.handshake.auth as Credentials;
    const address = socket.handshake.address;
    void (async () => {
      if (typeof credentials.sessionId === 'string' && (await store.doesSessionExist(credentials.sessionId))) {
        debug('admitted %s with a session', socket.id);
        next();
        return;
      }
      const retryAfterMs = limiter?.begin(address) ?? 0;
      if (retryAfterMs > 0) {
        debug('refused %s: %s must wait %d ms before its next login attempt', socket.id, address, retryAfterMs);
        const seconds = Math.ceil(retryAfterMs / 1000);
        next(
          new AdminError(AdminErrorCode.TOO_MANY_ATTEMPTS, `too many login attempts: retry in ${seconds} s`, {
            retryAfterMs,
          }),
        );
        return;
      }
      if (credentials.username === auth.username && (await verifyPassword(credentials.password, auth.password))) {
        limiter?.succeeded(address);
        const sessionId = randomBytes(16).toString('hex');
        await store.saveSession(sessionId);
        // Sent once connected (see takeNewSession): an event before CONNECT is not guaranteed to reach every client.
        newSessions.set(socket, sessionId);
        debug('admitted %s with credentials', socket.id);
        next();
        return;
      }
      debug('refused %s: invalid credentials', socket.id);
      next(new AdminError(AdminErrorCode.INVALID_CREDENTIALS, 'invalid credentials'));
    })().catch((error: unknown) => {
      debug('session store failed: %O', error);
      next(new AdminError(AdminErrorCode.INVALID_CREDENTIALS, 'invalid credentials', { cause: error }));
    });
  });
}
