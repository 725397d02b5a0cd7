// instrument()'s options: defaults as admin-ui's, validated at once so a misconfiguration fails at startup.
import { hostname } from 'node:os';
import cluster from 'node:cluster';
import { AdminError, AdminErrorCode } from './errors.js';
import { InMemoryStore, type SessionStore } from './session-store.js';
import { DEFAULT_LOGIN_RATE_LIMIT, type LoginRateLimit, type ResolvedLoginRateLimit } from './login-limiter.js';

/** Basic authentication: `password` is a bcrypt hash (e.g. `bcrypt.hashSync('secret', 10)`), never the password. */
export interface BasicAuth {
  type: 'basic';
  username: string;
  password: string;
}

/** Options of `instrument()`, the same as @socket.io/admin-ui's. */
export interface InstrumentOptions {
  /** `false` (explicitly: no authentication) or basic authentication; required. */
  auth: false | BasicAuth;
  /** `development` also streams every socket's events and changes. @default process.env.NODE_ENV ?? 'development' */
  mode?: 'development' | 'production';
  /** The namespace the dashboards connect to. @default '/admin' */
  namespaceName?: string;
  /** Hide and refuse the actions (join, leave, disconnect, emit). @default false */
  readonly?: boolean;
  /** This server's name in the dashboard. @default the hostname (with `#pid` in a cluster worker) */
  serverId?: string;
  /** Where login sessions live. @default new InMemoryStore() */
  store?: SessionStore;
  /**
   * Slows down password guessing per client address (Switchboard's addition); `false` turns it off.
   * @default { freeAttempts: 5, baseDelayMs: 1000, maxDelayMs: 900000 }
   */
  loginRateLimit?: false | LoginRateLimit;
}

/** The options with every default applied. */
export interface ResolvedOptions {
  auth: false | BasicAuth;
  mode: 'development' | 'production';
  namespaceName: string;
  readonly: boolean;
  serverId: string;
  store: SessionStore;
  loginRateLimit: false | ResolvedLoginRateLimit;
}

// $2a$/$2b$/$2y$, two-digit cost, 22 characters of salt and 31 of hash (bcryptjs' getRounds accepts far more).
const BCRYPT_HASH = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

function invalid(message: string): AdminError {
  return new AdminError(AdminErrorCode.INVALID_OPTION, message);
}

/** Applies defaults and throws `ADMIN_ERR_INVALID_OPTION` naming the first bad option. */
export function resolveOptions(options: InstrumentOptions | undefined): ResolvedOptions {
  if (options === undefined || options.auth === undefined) {
    throw invalid('the `auth` option must be given: `{ type: "basic", username, password }` or explicitly `false`');
  }
  const auth = options.auth;
  if (auth !== false) {
    if (typeof auth !== 'object' || auth === null || auth.type !== 'basic') {
      throw invalid(
        `invalid \`auth\` option ${JSON.stringify(auth)}: expected false or { type: "basic", username, password }`,
      );
    }
    if (typeof auth.username !== 'string' || auth.username === '')
      throw invalid('`auth.username` must be a non-empty string');
    if (typeof auth.password !== 'string' || !BCRYPT_HASH.test(auth.password)) {
      throw invalid(
        '`auth.password` must be a bcrypt hash (e.g. from bcrypt.hashSync(password, 10)), not the password itself',
      );
    }
  }
  const envMode = process.env['NODE_ENV'] === 'production' ? 'production' : 'development';
  const mode = options.mode ?? envMode;
  if (mode !== 'development' && mode !== 'production')
    throw invalid(`\`mode\` must be "development" or "production", got ${JSON.stringify(mode)}`);
  const namespaceName = options.namespaceName ?? '/admin';
  if (!namespaceName.startsWith('/'))
    throw invalid(`\`namespaceName\` must start with "/", got ${JSON.stringify(namespaceName)}`);
  return {
    auth,
    mode,
    namespaceName,
    readonly: options.readonly ?? false,
    serverId: options.serverId ?? (cluster.isWorker ? `${hostname()}#${process.pid}` : hostname()),
    store: options.store ?? new InMemoryStore(),
    loginRateLimit: resolveLoginRateLimit(options.loginRateLimit),
  };
}

function resolveLoginRateLimit(limit: false | LoginRateLimit | undefined): false | ResolvedLoginRateLimit {
  if (limit === false) return false;
  if (limit !== undefined && (typeof limit !== 'object' || limit === null)) {
    throw invalid(
      `\`loginRateLimit\` must be false or { freeAttempts, baseDelayMs, maxDelayMs }, got ${JSON.stringify(limit)}`,
    );
  }
  const resolved = { ...DEFAULT_LOGIN_RATE_LIMIT, ...limit };
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < (name === 'freeAttempts' ? 1 : 0)) {
      throw invalid(
        `\`loginRateLimit.${name}\` must be a finite number${name === 'freeAttempts' ? ' of at least 1' : ' ≥ 0'}, got ${String(value)}`,
      );
    }
  }
  return resolved;
}
