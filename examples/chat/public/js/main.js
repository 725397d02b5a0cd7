// Starts the chat page: the nickname screen, then the connection, the model and the view wired together.
import { ChatModel } from './chat-model.js';
import { createConnection } from './connection.js';
import { createChatActions } from './chat-actions.js';
import { createView } from './view.js';
import { loadNickname, loadUserId, saveNickname } from './storage.js';

// Mirrors the server's rule (examples/chat/lib/validate.mjs) so most mistakes are caught before a round trip.
const NICKNAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,23}$/u;

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const entry = $('entry');
const entryForm = /** @type {HTMLFormElement} */ ($('entry-form'));
const nicknameInput = /** @type {HTMLInputElement} */ ($('nickname-input'));
const entryError = $('entry-error');

const userId = loadUserId();
let nickname = loadNickname();
/** @type {ReturnType<typeof start> | undefined} */
let chat;

function askNickname(message = '') {
  entry.hidden = false;
  $('app').hidden = true;
  // Renaming from inside the chat can be called off; a first visit or a refused nickname cannot.
  const renaming = chat !== undefined && message === '';
  $('entry-cancel').hidden = !renaming;
  $('entry-submit').textContent = renaming ? 'Change nickname' : 'Join chat';
  nicknameInput.value = nickname ?? '';
  entryError.textContent = message;
  nicknameInput.focus();
  nicknameInput.select();
}

$('entry-cancel').addEventListener('click', () => {
  entry.hidden = true;
  $('app').hidden = false;
});

entryForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const wanted = nicknameInput.value.trim().replace(/\s+/g, ' ');
  if (!NICKNAME_PATTERN.test(wanted)) {
    entryError.textContent =
      'Use 1–24 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.';
    return;
  }
  const changed = wanted !== nickname;
  nickname = wanted;
  saveNickname(wanted);
  entry.hidden = true;
  $('app').hidden = false;
  if (chat && changed && chat.isConnected()) {
    chat.rename(wanted).then((response) => {
      if (response.ok) return;
      nickname = response.previous;
      saveNickname(response.previous);
      askNickname(response.message ?? 'Please pick another nickname.');
    });
  } else if (chat && (changed || !chat.isConnected())) chat.reconnectAs(wanted);
  else chat = start();
});

function start() {
  const model = new ChatModel({ id: userId, nickname: nickname ?? '' });
  const view = createView(model);
  const connection = createConnection({ userId, nickname: () => nickname ?? '' }, view.showConnection);
  const { socket } = connection;
  const actions = createChatActions(socket, model, view);
  view.bind({ ...actions, changeNickname: () => askNickname(), rejoin: () => socket.connect() });

  socket.on('connect', () => {
    // A recovered session got every missed event replayed and kept its rooms; anything else starts afresh.
    if (!socket.recovered) actions.synchronize();
  });
  socket.on('connect_error', (error) => {
    if (error.message === 'nickname_taken' || error.message === 'invalid_identity') {
      socket.disconnect();
      askNickname(error.data?.message ?? 'Please pick another nickname.');
    }
  });
  socket.on('message', (message) => {
    const isNew = model.upsertMessage(message, 'sent');
    if (isNew && message.from.id !== userId) {
      const where = message.channel !== undefined ? ` in #${message.channel}` : ' (private)';
      view.announce(`${message.from.nickname}${where}: ${message.text}`);
    }
    model.changed();
  });
  socket.on('presence', ({ channel, members, ts }) => {
    if (!model.conversations.has(`#${channel}`)) return;
    model.applyPresence(channel, members, typeof ts === 'number' ? ts : Date.now());
    model.changed();
  });
  socket.on('user:renamed', ({ user, previous, ts }) => {
    model.renameUser(user, previous, typeof ts === 'number' ? ts : Date.now());
    if (user.id === userId) {
      // Another tab of ours renamed: the next handshake must carry the new name too.
      nickname = user.nickname;
      saveNickname(user.nickname);
      view.showMe();
    }
    model.changed();
  });
  socket.on('channel:added', (payload) => actions.added(payload));
  socket.on('channel:removed', (payload) => actions.removed(payload));
  socket.on('channels', (channels) => {
    model.allChannels = channels;
    model.changed();
  });
  socket.on('typing', ({ channel, dm, user, typing }) => {
    model.setTyping(channel !== undefined ? `#${channel}` : `@${dm}`, user, typing);
    model.changed();
  });

  // A handle for debugging from the console (and for the browser tests).
  window.switchboardChat = { socket, model };
  actions.restoreLocal();
  actions.resumeOutbox();
  socket.connect();

  return {
    isConnected: () => socket.connected,
    /** @returns {Promise<{ ok: boolean, message?: string, previous: string }>} */
    async rename(next) {
      const previous = model.me.nickname;
      const response = await actions.rename(next);
      if (response.ok) view.showMe();
      return { ...response, previous };
    },
    reconnectAs(next) {
      model.setMe({ id: userId, nickname: next });
      view.showMe();
      // A manual disconnect ends the session, so the next handshake carries the new nickname.
      socket.disconnect();
      socket.connect();
    },
  };
}

if (nickname && NICKNAME_PATTERN.test(nickname)) {
  $('app').hidden = false;
  chat = start();
} else {
  askNickname();
}
