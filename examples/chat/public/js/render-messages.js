// Renders the open conversation's messages, grouping consecutive lines by the same author.
import { appendLinkified, formatDay, formatTime, paintAvatar } from './format.js';

/** Consecutive messages by one author within this window share a header. */
const GROUP_WINDOW_MS = 5 * 60 * 1000;

/** @param {HTMLElement} list @returns {boolean} whether the list is scrolled (nearly) to its end */
export const isAtBottom = (list) => list.scrollHeight - list.scrollTop - list.clientHeight < 80;

/**
 * Re-renders the message list, keeping the view pinned to the bottom if it was there.
 * @param {HTMLOListElement} list
 * @param {import('./chat-model.js').Conversation | undefined} conversation
 * @param {(id: string) => void} onRetry
 * @param {(user: import('./chat-model.js').User) => import('./chat-model.js').User} current a user as now named
 * @returns {boolean} whether the view followed to the newest message (false: the reader had scrolled up)
 */
export function renderMessages(list, conversation, onRetry, current = (user) => user) {
  const pinned = isAtBottom(list);
  // Emptying the list clamps scrollTop to 0; remember where the reader was.
  const readerTop = list.scrollTop;
  list.replaceChildren();
  if (!conversation) return true;
  if (conversation.messages.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent =
      conversation.kind === 'channel'
        ? `This is the start of ${conversation.title}. Say hello!`
        : `This is the start of your private conversation with ${conversation.title}.`;
    list.append(empty);
    return true;
  }
  let previous;
  for (const message of conversation.messages) {
    if (!previous || formatDay(previous.ts) !== formatDay(message.ts)) list.append(daySeparator(message.ts));
    if (message.system) {
      list.append(noticeItem(message));
      previous = message;
      continue;
    }
    // By user id, not name: a rename does not start a new author, and the header shows the name as it is now.
    const grouped =
      previous !== undefined &&
      !previous.system &&
      previous.from.id === message.from.id &&
      message.ts - previous.ts < GROUP_WINDOW_MS &&
      formatDay(previous.ts) === formatDay(message.ts);
    list.append(messageItem({ ...message, from: current(message.from) }, grouped, onRetry, conversation.title));
    previous = message;
  }
  list.scrollTop = pinned ? list.scrollHeight : readerTop;
  return pinned;
}

function daySeparator(ts) {
  const item = document.createElement('li');
  item.className = 'day';
  item.setAttribute('role', 'separator');
  item.textContent = formatDay(ts);
  return item;
}

/** A line of the page's own: someone joined, left or was renamed. */
function noticeItem(message) {
  const item = document.createElement('li');
  item.className = 'notice';
  item.dataset.id = message.id;
  const text = document.createElement('span');
  text.dir = 'auto';
  text.textContent = message.text;
  const time = document.createElement('time');
  time.dateTime = new Date(message.ts).toISOString();
  time.textContent = formatTime(message.ts);
  item.append(text, time);
  return item;
}

/** @param {import('./chat-model.js').Message} message */
function messageItem(message, grouped, onRetry, peerName) {
  const item = document.createElement('li');
  item.className = `message ${message.status}${grouped ? ' grouped' : ''}`;
  item.dataset.id = message.id;
  item.dataset.status = message.status;

  const avatar = document.createElement('span');
  avatar.className = 'avatar';
  avatar.setAttribute('aria-hidden', 'true');
  if (!grouped) paintAvatar(avatar, message.from);
  item.append(avatar);

  const body = document.createElement('div');
  body.className = 'message-body';
  if (!grouped) {
    const header = document.createElement('div');
    header.className = 'message-header';
    const author = document.createElement('span');
    author.className = 'author';
    author.dir = 'auto';
    author.textContent = message.from.nickname;
    const time = document.createElement('time');
    time.dateTime = new Date(message.ts).toISOString();
    time.textContent = formatTime(message.ts);
    header.append(author, time);
    body.append(header);
  }
  const text = document.createElement('p');
  text.className = 'text';
  // Arabic or Hebrew lines read right to left, with their punctuation where it belongs.
  text.dir = 'auto';
  appendLinkified(text, message.text);
  body.append(text);

  if (message.status !== 'sent') body.append(statusLine(message, onRetry));
  else if (message.recipientOffline) {
    const note = document.createElement('p');
    note.className = 'status offline-note';
    note.textContent = `${peerName} was offline: they will see it when they are back.`;
    body.append(note);
  }
  item.append(body);
  return item;
}

function statusLine(message, onRetry) {
  const status = document.createElement('p');
  status.className = 'status';
  if (message.status === 'pending') {
    status.textContent = 'Sending…';
    return status;
  }
  status.textContent = `Not sent${message.error ? `: ${message.error}` : ''}. `;
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.className = 'link-button';
  retry.textContent = 'Retry';
  retry.addEventListener('click', () => onRetry(message.id));
  status.append(retry);
  return status;
}
