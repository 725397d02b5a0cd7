// What the user can do (join, leave, open, send, type) and the session sync after a fresh connection.
import { channelKey, dmKey } from './chat-model.js';
import { newId } from './ids.js';
import { createSendQueue } from './send-queue.js';
import { loadActive, loadChannels, loadOutbox, saveActive, saveChannels, saveOutbox } from './storage.js';

/** Minimum gap between two "is typing" notices for the same conversation. */
const TYPING_THROTTLE_MS = 2500;
/** Idle time after which the typist is reported as stopped. */
const TYPING_IDLE_MS = 4000;

/**
 * @param {any} socket a socket.io-client Socket
 * @param {import('./chat-model.js').ChatModel} model
 * @param {{ showError: (text: string) => void, clearError: () => void, showNotice: (text: string) => void }} view
 */
export function createChatActions(socket, model, view) {
  /** Emits with an ack; the client's `retries` option re-sends until the server answers. */
  const request = (event, payload) =>
    new Promise((resolve) => {
      const callback = (err, response) =>
        resolve(err ? { ok: false, error: 'timeout', message: 'The server did not answer.' } : response);
      if (payload === undefined) socket.emit(event, callback);
      else socket.emit(event, payload, callback);
    });

  /** History is what a conversation already had when we (re)joined: it is not news, so it leaves unread alone. */
  function loadHistory(conversation, history) {
    const unread = conversation.unread;
    for (const message of history) model.upsertMessage(message, 'sent');
    conversation.unread = unread;
  }

  const persistChannels = () => saveChannels(model.list('channel').map((c) => c.title.slice(1)));

  function open(key) {
    if (!model.conversations.has(key)) return;
    view.clearError();
    stopTyping();
    model.setActive(key);
    saveActive(key);
    model.changed();
  }

  /** @returns {Promise<boolean>} */
  async function join(name, { activate = true, create = true } = {}) {
    const response = await request('channel:join', { name, create });
    if (!response.ok) {
      view.showError(response.message);
      return false;
    }
    const conversation = model.ensureChannel(response.channel);
    loadHistory(conversation, response.history);
    model.setMembers(response.channel, response.members);
    persistChannels();
    if (activate) open(conversation.key);
    model.changed();
    return true;
  }

  async function leave(name) {
    const key = channelKey(name);
    model.removeConversation(key);
    persistChannels();
    if (model.activeKey === null) open(channelKey('general'));
    model.changed();
    await request('channel:leave', { name });
  }

  /** Deletes a channel nobody is in (the server checks). */
  async function deleteChannel(name) {
    const response = await request('channel:delete', { name });
    if (!response.ok) view.showError(response.message);
  }

  /** Renames in place, without reconnecting. @returns {Promise<{ ok: boolean, message?: string }>} */
  async function rename(nickname) {
    const response = await request('user:rename', { nickname });
    if (response.ok) {
      model.setMe(response.user);
      model.changed();
    }
    return response;
  }

  /** An administrator put this socket in a channel (dashboard "Join"): show it as joined. */
  function added({ channel, history, members }) {
    const conversation = model.ensureChannel(channel);
    loadHistory(conversation, history);
    model.setMembers(channel, members);
    model.addNotice(conversation.key, `An administrator added you to #${channel}.`, Date.now());
    persistChannels();
    model.changed();
  }

  /** An administrator took this socket out of a channel (dashboard "Leave"): stop showing it as joined. */
  function removed({ channel }) {
    model.removeConversation(channelKey(channel));
    persistChannels();
    if (model.activeKey === null && model.conversations.has(channelKey('general'))) open(channelKey('general'));
    view.showNotice(`An administrator removed you from #${channel}.`);
    model.changed();
  }

  function message(user) {
    if (user.id === model.me.id) return;
    model.ensureDm(user);
    open(dmKey(user.id));
  }

  /** Before the first connection: show the remembered channels at once, so the page is usable while connecting. */
  function restoreLocal() {
    const names = loadChannels();
    if (!names.includes('general')) names.unshift('general');
    for (const name of names) model.ensureChannel(name);
    const wanted = loadActive();
    open(wanted !== null && model.conversations.has(wanted) ? wanted : channelKey('general'));
  }

  /** After a connection that did not recover its session: re-join channels and reload history. */
  async function synchronize() {
    const names = loadChannels();
    if (!names.includes('general')) names.unshift('general');
    const wanted = loadActive();
    const list = await request('channel:list');
    if (list.ok) model.allChannels = list.channels;
    for (const name of names) await join(name, { activate: false });
    const dms = await request('dm:list');
    if (dms.ok) {
      for (const { user, history } of dms.conversations) loadHistory(model.ensureDm(user), history);
    }
    const fallback = channelKey('general');
    open(wanted !== null && model.conversations.has(wanted) ? wanted : (model.activeKey ?? fallback));
  }

  /** Unconfirmed sends by id, mirrored to sessionStorage, in the order they were typed. */
  const outbox = new Map();
  const persistOutbox = () => saveOutbox([...outbox.values()]);
  /**
   * One message in flight at a time, in typing order: a message refused by the rate limit is sent again after the
   * wait the server names, before anything typed after it, so everyone sees a person's messages in the order typed.
   * While disconnected (network lost, or an administrator's disconnect) the head simply waits for the connection.
   */
  const queue = createSendQueue(
    (pending) => request('message:send', payloadOf(pending)),
    () => socket.connected,
    (pending, key, response) => {
      outbox.delete(pending.id);
      persistOutbox();
      if (response.ok) {
        model.upsertMessage(response.message, 'sent');
        if (response.recipientOnline === false) model.markRecipientOffline(key, pending.id);
      } else {
        model.failMessage(key, pending.id, response.message);
      }
      model.changed();
    },
  );
  socket.on('connect', () => queue.resume());

  const payloadOf = (pending) =>
    pending.channel !== undefined
      ? { id: pending.id, channel: pending.channel, text: pending.text }
      : { id: pending.id, to: pending.to.id, text: pending.text };

  function deliver(key, pending) {
    outbox.set(pending.id, pending);
    persistOutbox();
    queue.push(pending, key);
  }

  /** Sends again what an earlier page load left unconfirmed (same ids, so never twice). */
  function resumeOutbox() {
    for (const pending of loadOutbox()) {
      if (typeof pending?.id !== 'string' || typeof pending.text !== 'string') continue;
      const message = { ...pending, from: model.me };
      model.upsertMessage(message, 'pending');
      deliver(model.conversationFor(message).key, message);
    }
    model.changed();
  }

  function send(text) {
    const conversation = model.active;
    if (!conversation) return;
    const base = { id: newId(), from: model.me, text, ts: Date.now() };
    const pending =
      conversation.kind === 'channel'
        ? { ...base, channel: conversation.title.slice(1) }
        : { ...base, to: conversation.peer };
    model.upsertMessage(pending, 'pending');
    model.changed();
    stopTyping();
    deliver(conversation.key, pending);
  }

  function retry(id) {
    const key = model.activeKey;
    const pending = key === null ? undefined : model.retryMessage(key, id);
    if (!pending) return;
    model.changed();
    deliver(key, pending);
  }

  let typingKey = null;
  let lastTypingAt = 0;
  let idleTimer;
  const typingTarget = (key) => (key.startsWith('#') ? { channel: key.slice(1) } : { to: key.slice(1) });

  function typing() {
    const key = model.activeKey;
    if (key === null || !socket.connected) return;
    const now = Date.now();
    if (typingKey !== key || now - lastTypingAt > TYPING_THROTTLE_MS) {
      if (typingKey !== null && typingKey !== key) stopTyping();
      // Volatile: a stale typing notice is worthless, so it is neither queued nor retried.
      socket.volatile.emit('typing', { ...typingTarget(key), typing: true });
      typingKey = key;
      lastTypingAt = now;
    }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function stopTyping() {
    clearTimeout(idleTimer);
    if (typingKey === null) return;
    if (socket.connected) socket.volatile.emit('typing', { ...typingTarget(typingKey), typing: false });
    typingKey = null;
    lastTypingAt = 0;
  }

  return {
    open,
    join,
    leave,
    message,
    synchronize,
    send,
    retry,
    typing,
    restoreLocal,
    resumeOutbox,
    deleteChannel,
    rename,
    added,
    removed,
  };
}
