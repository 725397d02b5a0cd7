// Renders the side panels: joined channels, other channels, private conversations, who is online.
import { paintAvatar } from './format.js';

/**
 * @typedef {import('./chat-model.js').ChatModel} ChatModel
 * @typedef {{ open: (key: string) => void, leave: (name: string) => void, join: (name: string) => void,
 *   message: (user: import('./chat-model.js').User) => void, deleteChannel: (name: string) => void }} ListActions
 */

/** @param {HTMLUListElement} list @param {ChatModel} model @param {ListActions} actions */
export function renderChannels(list, model, actions) {
  list.replaceChildren(
    ...model.list('channel').map((conversation) => {
      const name = conversation.title.slice(1);
      const item = conversationItem(conversation, model, actions);
      if (name !== 'general') {
        const leave = document.createElement('button');
        leave.type = 'button';
        leave.className = 'leave';
        leave.title = `Leave ${conversation.title}`;
        leave.setAttribute('aria-label', `Leave ${conversation.title}`);
        leave.textContent = '×';
        leave.addEventListener('click', () => actions.leave(name));
        item.append(leave);
      }
      return item;
    }),
  );
}

/** @param {HTMLUListElement} list @param {ChatModel} model @param {ListActions} actions */
export function renderDms(list, model, actions) {
  list.replaceChildren(...model.list('dm').map((conversation) => conversationItem(conversation, model, actions)));
}

/**
 * Channels on the server that this user has not joined.
 * @param {HTMLUListElement} list @param {ChatModel} model @param {ListActions} actions
 * @returns {number} how many were listed
 */
export function renderBrowse(list, model, actions) {
  const others = model.allChannels.filter((c) => !model.conversations.has(`#${c.name}`));
  list.replaceChildren(
    ...others.map((channel) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'browse-item';
      button.dataset.channel = channel.name;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = `#${channel.name}`;
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = `${channel.online} online`;
      button.append(name, count);
      button.addEventListener('click', () => actions.join(channel.name));
      item.append(button);
      if (channel.online === 0 && channel.name !== 'general') {
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'delete-channel';
        remove.title = `Delete #${channel.name} (nobody is in it)`;
        remove.setAttribute('aria-label', `Delete #${channel.name}`);
        remove.textContent = 'Delete';
        remove.addEventListener('click', () => actions.deleteChannel(channel.name));
        item.append(remove);
      }
      return item;
    }),
  );
  return others.length;
}

/**
 * @param {HTMLUListElement} list @param {ChatModel} model @param {ListActions} actions
 * @returns {string} the panel title
 */
export function renderMembers(list, model, actions) {
  const conversation = model.active;
  if (!conversation) {
    list.replaceChildren();
    return 'Online';
  }
  const members =
    conversation.kind === 'channel' ? conversation.members : [model.me, conversation.peer].filter(Boolean);
  list.replaceChildren(
    ...members.map((user) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'member';
      button.dataset.userId = user.id;
      const isMe = user.id === model.me.id;
      button.disabled = isMe;
      button.title = isMe ? 'You' : `Message ${user.nickname} privately`;
      const avatar = document.createElement('span');
      avatar.className = 'avatar small';
      avatar.setAttribute('aria-hidden', 'true');
      paintAvatar(avatar, user);
      const name = document.createElement('span');
      name.className = 'name';
      name.dir = 'auto';
      name.textContent = isMe ? `${user.nickname} (you)` : user.nickname;
      button.append(avatar, name);
      button.addEventListener('click', () => actions.message(user));
      item.append(button);
      return item;
    }),
  );
  return conversation.kind === 'channel' ? `Online in ${conversation.title} — ${members.length}` : 'Conversation';
}

/** @param {import('./chat-model.js').Conversation} conversation @param {ChatModel} model @param {ListActions} actions */
function conversationItem(conversation, model, actions) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'conversation-item';
  button.dataset.key = conversation.key;
  if (conversation.key === model.activeKey) button.setAttribute('aria-current', 'page');
  if (conversation.kind === 'dm' && conversation.peer) {
    const avatar = document.createElement('span');
    avatar.className = 'avatar tiny';
    avatar.setAttribute('aria-hidden', 'true');
    paintAvatar(avatar, conversation.peer);
    button.append(avatar);
  }
  const name = document.createElement('span');
  name.className = 'name';
  name.dir = 'auto';
  name.textContent = conversation.title;
  button.append(name);
  if (conversation.unread > 0) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = conversation.unread > 99 ? '99+' : String(conversation.unread);
    badge.setAttribute('aria-label', `${conversation.unread} unread`);
    button.append(badge);
  }
  button.addEventListener('click', () => actions.open(conversation.key));
  item.append(button);
  return item;
}
