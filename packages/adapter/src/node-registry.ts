// The other servers of the cluster as heartbeats reveal them: a server is alive while it was heard from within
// `heartbeatTimeout`; any message it sends counts as a heartbeat.
/** uid of @socket.io/redis-emitter and the other emitters: they publish but are not servers. */
const EMITTER_UID = 'emitter';

/** Live servers by uid, with the time each was last heard from. */
export class NodeRegistry {
  readonly #lastSeen = new Map<string, number>();

  /** Notes that `uid` spoke; returns true when it was not known yet. */
  touch(uid: string, now: number): boolean {
    if (uid === EMITTER_UID) return false;
    const known = this.#lastSeen.has(uid);
    this.#lastSeen.set(uid, now);
    return !known;
  }

  remove(uid: string): boolean {
    return this.#lastSeen.delete(uid);
  }

  /** Removes and returns the servers not heard from since `now - timeoutMs`. */
  sweep(now: number, timeoutMs: number): string[] {
    const dead: string[] = [];
    for (const [uid, lastSeen] of this.#lastSeen) if (now - lastSeen > timeoutMs) dead.push(uid);
    for (const uid of dead) this.#lastSeen.delete(uid);
    return dead;
  }

  uids(): Set<string> {
    return new Set(this.#lastSeen.keys());
  }

  get size(): number {
    return this.#lastSeen.size;
  }
}
