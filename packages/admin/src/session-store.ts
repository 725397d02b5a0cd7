// Dashboard sessions: a successful login gets a session id, so a page reload needs no password (as in admin-ui).

/** Where session ids live; implement it over Redis or a database to share logins across a cluster. */
export interface SessionStore {
  doesSessionExist(sessionId: string): Promise<boolean>;
  saveSession(sessionId: string): void | Promise<void>;
}

/** Sessions kept in this process, forgotten after `ttlMs` or on restart. */
export class InMemoryStore implements SessionStore {
  readonly #sessions = new Map<string, number>();
  readonly #ttlMs: number;

  /** @param ttlMs how long a session stays valid @default 86_400_000 (one day, as admin-ui's Redis store) */
  constructor(ttlMs = 86_400_000) {
    this.#ttlMs = ttlMs;
  }

  doesSessionExist(sessionId: string): Promise<boolean> {
    const expiresAt = this.#sessions.get(sessionId);
    if (expiresAt === undefined) return Promise.resolve(false);
    if (expiresAt < Date.now()) {
      this.#sessions.delete(sessionId);
      return Promise.resolve(false);
    }
    return Promise.resolve(true);
  }

  saveSession(sessionId: string): void {
    this.#sessions.set(sessionId, Date.now() + this.#ttlMs);
  }
}
