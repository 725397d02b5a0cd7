// ADMIN MOUNT POINT: attaches the Switchboard admin dashboard (packages/admin) to the chat, served at /admin.
//
// Credentials come from the environment: ADMIN_USER and ADMIN_PASSWORD_HASH (a bcrypt hash, e.g.
// `node -e "console.log(require('bcryptjs').hashSync(process.argv[1], 10))" 'my password'`). Without them the
// dashboard runs without authentication only when the chat listens on a loopback address (HOST unset,
// 127.0.0.1, ::1 or localhost); on any other host it stays off rather than open to the network.
// The official dashboard (admin.socket.io) can connect to the same /admin namespace.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createAdminHandler, instrument } from '@switchboard/admin';

/**
 * An HTTP handler that returns true when it answered the request, false to let the static files try.
 * @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean} HttpHandler
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Attaches the admin namespace to the chat's Socket.IO server and returns the dashboard's HTTP handler.
 * @param {import('./socket-server.mjs').Server} io
 * @param {NodeJS.ProcessEnv} [env] where ADMIN_USER, ADMIN_PASSWORD_HASH and HOST are read
 * @returns {HttpHandler | undefined} the handler for /admin, or undefined when the dashboard stays off
 */
export function mountAdmin(io, env = process.env) {
  const username = env.ADMIN_USER;
  const passwordHash = env.ADMIN_PASSWORD_HASH;
  const host = env.HOST ?? '127.0.0.1';
  /** @type {import('@switchboard/admin').InstrumentOptions['auth']} */
  let auth;
  if (username && passwordHash) {
    auth = { type: 'basic', username, password: passwordHash };
  } else if (LOOPBACK_HOSTS.has(host)) {
    console.log(
      'Admin dashboard at /admin without a password (loopback only); set ADMIN_USER and ADMIN_PASSWORD_HASH to protect it.',
    );
    auth = false;
  } else {
    console.warn(
      `Admin dashboard disabled: HOST=${host} is not loopback and ADMIN_USER/ADMIN_PASSWORD_HASH are unset.`,
    );
    return undefined;
  }
  // Several chat processes on one host (REDIS_URL) must not share the default server id (the host name): the
  // dashboard's cluster-wide socket pages are cut per server id.
  const serverId = `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  instrument(io, {
    auth,
    serverId,
    namespaceName: '/admin',
    mode: env.NODE_ENV === 'production' ? 'production' : 'development',
  });
  return createAdminHandler({ basePath: '/admin', namespaceName: '/admin' });
}
