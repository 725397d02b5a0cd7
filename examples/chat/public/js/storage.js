// What the browser remembers across reloads: identity, joined channels, the open conversation.
import { newId } from './ids.js';

const PREFIX = 'switchboard-chat:';

/** localStorage can be missing or throw (private mode, disabled storage); the chat then just forgets. */
function read(key) {
  try {
    return window.localStorage.getItem(PREFIX + key);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value === null) window.localStorage.removeItem(PREFIX + key);
    else window.localStorage.setItem(PREFIX + key, value);
  } catch {
    // Not persisting is acceptable; the session still works.
  }
}

/** @returns {string} a stable id for this browser, created on first use */
export function loadUserId() {
  let id = read('user-id');
  if (id === null || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = newId();
    write('user-id', id);
  }
  return id;
}

export const loadNickname = () => read('nickname');
export const saveNickname = (nickname) => write('nickname', nickname);

/** @returns {string[]} joined channel names; #general for a first visit */
export function loadChannels() {
  try {
    const parsed = JSON.parse(read('channels') ?? '["general"]');
    return Array.isArray(parsed) ? parsed.filter((name) => typeof name === 'string') : ['general'];
  } catch {
    return ['general'];
  }
}

export const saveChannels = (names) => write('channels', JSON.stringify(names));
export const loadActive = () => read('active');
export const saveActive = (key) => write('active', key);

/**
 * Messages sent but not yet confirmed, so a reload does not lose them. Kept per tab (sessionStorage), as each tab
 * has its own queue; re-sending is safe because the server recognises a message id it has already accepted.
 * @returns {object[]}
 */
export function loadOutbox() {
  try {
    const parsed = JSON.parse(window.sessionStorage.getItem(`${PREFIX}outbox`) ?? '[]');
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export function saveOutbox(messages) {
  try {
    if (messages.length === 0) window.sessionStorage.removeItem(`${PREFIX}outbox`);
    else window.sessionStorage.setItem(`${PREFIX}outbox`, JSON.stringify(messages));
  } catch {
    // As with localStorage: not persisting only costs the reload case.
  }
}
