// Chat state shared by several chat processes on one Redis: each change to the store is sent to the other
// processes (serverSideEmit through the Redis adapter) and applied there, and a process that starts late asks the
// others for the changes so far. Good enough for a LAN demo: a process that dies leaves its users listed as online.
import createDebug from 'debug';
import { ChatStore } from './chat-store.mjs';

const debug = createDebug('switchboard:chat:shared-store');

/** The server-side events between chat processes. */
const CHANGE_EVENT = 'chat:store-change';
const REPLAY_EVENT = 'chat:store-replay';
/** Changes kept for late joiners: enough for a LAN chat's run, bounded so a long run cannot grow without limit. */
const MAX_LOGGED_CHANGES = 20_000;

/**
 * @typedef {['ensureChannel', string]
 *   | ['addMember', string, string, string]
 *   | ['removeMember', string, string, string]
 *   | ['connectSocket', import('./chat-store.mjs').UserRef, string]
 *   | ['disconnectSocket', string, string]
 *   | ['record', import('./chat-store.mjs').ChatMessage]
 *   | ['rememberAck', string, string, unknown]
 *   | ['deleteChannel', string]} Change
 */

/** A ChatStore whose changes are replayed on the other chat processes of the cluster. */
export class SharedChatStore extends ChatStore {
  /** @type {((change: Change) => void) | undefined} */
  #send;
  /** @type {Change[]} */
  #log = [];
  #applyingRemote = false;

  /**
   * Starts sharing through `io`'s adapter and loads what the running processes already know.
   * @param {import('./socket-server.mjs').Server} io
   */
  async attach(io) {
    io.on(CHANGE_EVENT, (/** @type {unknown} */ change) => this.#apply(change));
    io.on(REPLAY_EVENT, (/** @type {(log: Change[]) => void} */ ack) => ack(this.#log));
    // Subscribed before asking: the answers must not arrive before this process listens for them.
    await io.of('/').adapter.init();
    /** @type {unknown[]} */
    let logs = [];
    try {
      // Bounded by the adapter's requestsTimeout when a process does not answer.
      logs = await io.serverSideEmitWithAck(REPLAY_EVENT);
    } catch (err) {
      debug('no complete replay from the other processes: %o', err);
    }
    // The longest log has seen the most; every process logs every change.
    const longest = logs.filter(Array.isArray).sort((a, b) => b.length - a.length)[0] ?? [];
    for (const change of longest) this.#apply(change);
    this.#send = (change) => io.serverSideEmit(CHANGE_EVENT, change);
  }

  /** @param {Change} change */
  #share(change) {
    if (this.#applyingRemote) return;
    this.#log.push(change);
    if (this.#log.length > MAX_LOGGED_CHANGES) this.#log.splice(0, this.#log.length - MAX_LOGGED_CHANGES);
    this.#send?.(change);
  }

  /** @param {unknown} change */
  #apply(change) {
    if (!Array.isArray(change) || typeof change[0] !== 'string') return debug('ignoring a malformed change');
    this.#log.push(/** @type {Change} */ (change));
    this.#applyingRemote = true;
    try {
      const [op, ...args] = change;
      if (op === 'ensureChannel') this.ensureChannel(String(args[0]));
      else if (op === 'addMember') {
        const channel = this.ensureChannel(String(args[0]));
        if (channel) this.addMember(channel, String(args[1]), String(args[2]));
      } else if (op === 'removeMember') this.removeMember(String(args[0]), String(args[1]), String(args[2]));
      else if (op === 'connectSocket') this.connectSocket(args[0], String(args[1]));
      else if (op === 'disconnectSocket') this.disconnectSocket(String(args[0]), String(args[1]));
      else if (op === 'record') this.record(args[0]);
      else if (op === 'deleteChannel') this.deleteChannel(String(args[0]));
      else if (op === 'rememberAck') this.rememberAck(String(args[0]), String(args[1]), args[2]);
      else debug('ignoring an unknown change %s', op);
    } catch (err) {
      debug('a change from another process failed: %o', err);
    } finally {
      this.#applyingRemote = false;
    }
  }

  /** @override @param {string} name */
  ensureChannel(name) {
    const existed = this.getChannel(name) !== undefined;
    const channel = super.ensureChannel(name);
    // ChatStore's constructor creates #general before this class's fields exist; every process does the same.
    if (!existed && channel !== null && #log in this) this.#share(['ensureChannel', name]);
    return channel;
  }

  /** @override @param {string} name */
  deleteChannel(name) {
    const deleted = super.deleteChannel(name);
    if (deleted) this.#share(['deleteChannel', name]);
    return deleted;
  }

  /** @override @param {import('./chat-store.mjs').Channel} channel @param {string} userId @param {string} socketId */
  addMember(channel, userId, socketId) {
    const changed = super.addMember(channel, userId, socketId);
    this.#share(['addMember', channel.name, userId, socketId]);
    return changed;
  }

  /** @override @param {string} name @param {string} userId @param {string} socketId */
  removeMember(name, userId, socketId) {
    const changed = super.removeMember(name, userId, socketId);
    this.#share(['removeMember', name, userId, socketId]);
    return changed;
  }

  /** @override @param {import('./chat-store.mjs').UserRef} user @param {string} socketId */
  connectSocket(user, socketId) {
    super.connectSocket(user, socketId);
    this.#share(['connectSocket', user, socketId]);
  }

  /** @override @param {string} userId @param {string} socketId */
  disconnectSocket(userId, socketId) {
    super.disconnectSocket(userId, socketId);
    this.#share(['disconnectSocket', userId, socketId]);
  }

  /** @override @param {import('./chat-store.mjs').ChatMessage} message */
  record(message) {
    super.record(message);
    this.#share(['record', message]);
  }

  /** @override @param {string} userId @param {string} messageId @param {unknown} ack */
  rememberAck(userId, messageId, ack) {
    super.rememberAck(userId, messageId, ack);
    this.#share(['rememberAck', userId, messageId, ack]);
  }
}
