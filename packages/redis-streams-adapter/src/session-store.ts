// Sessions in Redis, one key per private session id (`${sessionKeyPrefix}${pid}`, base64 msgpack of {sid, pid,
// rooms, data}, as @socket.io/redis-streams-adapter 0.3 stores them), expiring after maxDisconnectionDuration. Besides
// the sessions saved at disconnection, the sessions of connected sockets are kept too (refreshed while they live), so
// a client whose server died without a word (SIGKILL, power cut) can still recover on another server.
import createDebug from 'debug';
import notepack from 'notepack.io';
import type { AdapterNamespace, PrivateSessionId, SessionToPersist, SocketId } from '@switchboard/server';
import type { Connection } from './redis-client.js';

const debug = createDebug('switchboard:redis-streams-adapter:sessions');

function encodeSession(session: SessionToPersist): string {
  return (
    notepack.encode({ sid: session.sid, pid: session.pid, rooms: session.rooms, data: session.data }) as Buffer
  ).toString('base64');
}

function decodeSession(raw: string): SessionToPersist | undefined {
  const value = notepack.decode(Buffer.from(raw, 'base64')) as Partial<SessionToPersist> | null;
  if (value === null || typeof value !== 'object' || typeof value.sid !== 'string' || typeof value.pid !== 'string')
    return undefined;
  const rooms = Array.isArray(value.rooms)
    ? value.rooms.filter((room): room is string => typeof room === 'string')
    : [];
  return { sid: value.sid, pid: value.pid, rooms, data: value.data };
}

/** Reads and writes session keys. */
export class SessionStore {
  readonly #redis: Connection;
  readonly #prefix: string;

  constructor(redis: Connection, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  async save(session: SessionToPersist, ttlMs: number): Promise<void> {
    await this.#redis.command([
      'SET',
      this.#prefix + session.pid,
      encodeSession(session),
      'PX',
      String(Math.max(1, Math.round(ttlMs))),
    ]);
  }

  async delete(pid: PrivateSessionId): Promise<void> {
    await this.#redis.command(['DEL', this.#prefix + pid]);
  }

  /** Reads and deletes a session in one step (GETDEL, Redis >= 6.2): a session is usable once. */
  async take(pid: PrivateSessionId): Promise<SessionToPersist | undefined> {
    const raw = await this.#redis.command(['GETDEL', this.#prefix + pid]);
    if (typeof raw !== 'string' && !Buffer.isBuffer(raw)) return undefined;
    try {
      return decodeSession(raw.toString());
    } catch (err) {
      debug('session %s does not decode: %o', pid, err);
      return undefined;
    }
  }
}

/**
 * The sessions of one namespace's connected sockets, kept in Redis while they live: written when a socket joins or
 * leaves a room (coalesced per turn of the event loop), rewritten every `refreshMs`, deleted when it leaves on purpose.
 */
export class LiveSessions {
  readonly #nsp: AdapterNamespace;
  readonly #store: SessionStore;
  readonly #ttlMs: number;
  readonly #pids = new Map<SocketId, PrivateSessionId>();
  readonly #dirty = new Set<SocketId>();
  #flushScheduled = false;
  readonly #refreshTimer: NodeJS.Timeout;

  /** A key outlives its last refresh by `maxDisconnectionDuration`: a crash keeps the session at least that long. */
  constructor(nsp: AdapterNamespace, store: SessionStore, maxDisconnectionDurationMs: number) {
    this.#nsp = nsp;
    this.#store = store;
    const refreshMs = Math.max(1000, Math.floor(maxDisconnectionDurationMs / 2));
    this.#ttlMs = maxDisconnectionDurationMs + refreshMs;
    this.#refreshTimer = setInterval(() => {
      for (const sid of this.#pids.keys()) this.#dirty.add(sid);
      this.#scheduleFlush();
    }, refreshMs);
    this.#refreshTimer.unref();
  }

  /** The socket's rooms changed (or it connected): its session is written at the end of this turn. */
  touch(sid: SocketId): void {
    this.#dirty.add(sid);
    this.#scheduleFlush();
  }

  /** The socket left and its session was saved by `persistSession`: no longer tracked here. */
  untrack(sid: SocketId): void {
    this.#dirty.delete(sid);
    this.#pids.delete(sid);
  }

  /** The socket left for good (not recoverable): its session key goes. */
  forget(sid: SocketId): void {
    this.#dirty.delete(sid);
    const pid = this.#pids.get(sid);
    this.#pids.delete(sid);
    if (pid !== undefined)
      this.#store.delete(pid).catch((err: unknown) => debug('deleting the session of %s failed: %o', sid, err));
  }

  close(): void {
    clearInterval(this.#refreshTimer);
    this.#dirty.clear();
    this.#pids.clear();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // After the connection handler ran: `socket.data` set there is part of the first write.
    setImmediate(() => {
      this.#flushScheduled = false;
      for (const sid of this.#dirty) this.#write(sid);
      this.#dirty.clear();
    });
  }

  #write(sid: SocketId): void {
    const socket = this.#nsp.sockets.get(sid);
    const pid = socket?.pid;
    if (socket === undefined || pid === undefined) return;
    this.#pids.set(sid, pid);
    let saved: Promise<void>;
    try {
      saved = this.#store.save({ sid, pid, rooms: [...socket.rooms], data: socket.data }, this.#ttlMs);
    } catch (err) {
      debug('the session of %s does not encode: %o', sid, err);
      return;
    }
    saved.catch((err: unknown) => debug('saving the session of %s failed: %o', sid, err));
  }
}
