// The browser's view of the chat: conversations (channels and private ones), their messages by id, members,
// typing, unread counts. Message ids make every insert idempotent, so replays and re-sends never duplicate.

/** How long a typing notice stays up without a refresh from the typist. */
const TYPING_TTL_MS = 6000;
/** Messages kept per conversation in the page; the oldest delivered ones go first (the server keeps fewer). */
const MAX_MESSAGES_PER_CONVERSATION = 500;

/** @typedef {{ id: string, nickname: string }} User */
/**
 * @typedef {object} Message
 * @property {string} id
 * @property {User} from
 * @property {string} text
 * @property {number} ts
 * @property {string} [channel]
 * @property {User} [to]
 * @property {'pending' | 'sent' | 'failed'} status
 * @property {string} [error] why a failed message failed
 * @property {boolean} [system] a line from the page itself (joins, leaves, renames), not a person's message
 * @property {boolean} [recipientOffline] a private message sent while its reader was offline
 */
/**
 * @typedef {object} Conversation
 * @property {string} key '#name' for a channel, '@userId' for a private conversation
 * @property {'channel' | 'dm'} kind
 * @property {string} title
 * @property {User} [peer] the other person in a private conversation
 * @property {Message[]} messages confirmed ones in server time order, then pending ones in send order
 * @property {Map<string, Message>} byId
 * @property {User[]} members channels only
 * @property {boolean} membersKnown set once the server listed the members, so later changes can be told apart
 * @property {Map<string, { user: User, until: number }>} typing
 * @property {number} unread
 * @property {number} version bumped whenever the message list changes, so the view re-renders only then
 */

export const channelKey = (name) => `#${name}`;
export const dmKey = (userId) => `@${userId}`;

export class ChatModel {
  /** @type {Map<string, Conversation>} */
  conversations = new Map();
  /** @type {{ name: string, online: number }[]} every channel on the server */
  allChannels = [];
  /** @type {string | null} */
  activeKey = null;
  /** @type {Map<string, User>} everyone's current name, so old messages show who they are now */
  #users = new Map();
  #notices = 0;
  #me;
  #listeners = new Set();

  /** @param {User} me */
  constructor(me) {
    this.#me = me;
  }

  get me() {
    return this.#me;
  }

  /** @param {() => void} listener called after every change */
  onChange(listener) {
    this.#listeners.add(listener);
  }

  changed() {
    for (const listener of this.#listeners) listener();
  }

  /** @returns {Conversation} */
  ensureChannel(name) {
    return this.#ensure(channelKey(name), () => ({ kind: 'channel', title: `#${name}` }));
  }

  /** @param {User} user @returns {Conversation} */
  ensureDm(user) {
    const conversation = this.#ensure(dmKey(user.id), () => ({ kind: 'dm', title: user.nickname, peer: user }));
    conversation.peer = user;
    conversation.title = user.nickname;
    return conversation;
  }

  removeConversation(key) {
    this.conversations.delete(key);
    if (this.activeKey === key) this.activeKey = null;
  }

  /** @param {'channel' | 'dm'} kind */
  list(kind) {
    return [...this.conversations.values()].filter((c) => c.kind === kind);
  }

  /** @returns {Conversation | undefined} */
  get active() {
    return this.activeKey === null ? undefined : this.conversations.get(this.activeKey);
  }

  setActive(key) {
    const conversation = this.conversations.get(key);
    if (!conversation) return;
    this.activeKey = key;
    conversation.unread = 0;
  }

  /** @param {Message} message @returns {Conversation} the conversation a message belongs to */
  conversationFor(message) {
    if (message.channel !== undefined) return this.ensureChannel(message.channel);
    const peer = message.from.id === this.#me.id ? message.to : message.from;
    return this.ensureDm(this.current(peer ?? message.from));
  }

  /**
   * Adds a message, or confirms the pending copy with the same id. Idempotent.
   * @param {Omit<Message, 'status'>} incoming
   * @param {'pending' | 'sent'} status
   * @returns {boolean} whether this was a message not seen before
   */
  upsertMessage(incoming, status) {
    const conversation = this.conversationFor(incoming);
    const existing = conversation.byId.get(incoming.id);
    if (existing) {
      if (status === 'sent' && existing.status !== 'sent') {
        Object.assign(existing, incoming, { status: 'sent', error: undefined });
        this.#reposition(conversation, existing);
        conversation.version += 1;
      }
      return false;
    }
    const message = { ...incoming, status };
    if (!this.#users.has(message.from.id)) this.#users.set(message.from.id, message.from);
    conversation.byId.set(message.id, message);
    if (status === 'pending') conversation.messages.push(message);
    else this.#insertConfirmed(conversation, message);
    this.#trim(conversation);
    conversation.version += 1;
    if (status === 'sent' && conversation.key !== this.activeKey && message.from.id !== this.#me.id) {
      conversation.unread += 1;
    }
    this.clearTyping(conversation.key, message.from.id);
    return true;
  }

  /** @param {string} key @param {string} id @param {string} error */
  failMessage(key, id, error) {
    const message = this.conversations.get(key)?.byId.get(id);
    if (message && message.status !== 'sent') {
      message.status = 'failed';
      message.error = error;
      this.conversations.get(key).version += 1;
    }
  }

  /** @param {string} key @param {string} id */
  retryMessage(key, id) {
    const message = this.conversations.get(key)?.byId.get(id);
    if (message && message.status === 'failed') {
      message.status = 'pending';
      message.error = undefined;
      this.conversations.get(key).version += 1;
    }
    return message;
  }

  /** @param {string} name @param {User[]} members */
  setMembers(name, members) {
    const conversation = this.ensureChannel(name);
    conversation.members = members;
    conversation.membersKnown = true;
    for (const user of members) this.#users.set(user.id, user);
  }

  /**
   * A channel's new member list from the server, with a line for each person who came or went.
   * @param {string} name @param {User[]} members @param {number} ts
   */
  applyPresence(name, members, ts) {
    const conversation = this.ensureChannel(name);
    if (conversation.membersKnown) {
      const before = new Map(conversation.members.map((user) => [user.id, user]));
      const after = new Set(members.map((user) => user.id));
      for (const user of members) {
        if (!before.has(user.id) && user.id !== this.#me.id)
          this.addNotice(conversation.key, `${user.nickname} joined ${conversation.title}`, ts);
      }
      for (const user of before.values()) {
        if (!after.has(user.id) && user.id !== this.#me.id)
          this.addNotice(conversation.key, `${this.nameOf(user)} left ${conversation.title}`, ts);
      }
    }
    this.setMembers(name, members);
  }

  /** @param {User} user @returns {string} the user's current name */
  nameOf(user) {
    return this.#users.get(user.id)?.nickname ?? user.nickname;
  }

  /** @param {User} user @returns {User} the user as currently named */
  current(user) {
    return this.#users.get(user.id) ?? user;
  }

  /**
   * Someone changed their nickname: their messages show the new name, and every conversation they are in says so.
   * @param {User} user @param {string} previous @param {number} ts
   */
  renameUser(user, previous, ts) {
    this.#users.set(user.id, user);
    if (user.id === this.#me.id) this.#me = user;
    const text =
      user.id === this.#me.id
        ? `You are now known as ${user.nickname}`
        : `${previous} is now known as ${user.nickname}`;
    for (const conversation of this.conversations.values()) {
      const inIt =
        conversation.kind === 'dm'
          ? conversation.peer?.id === user.id
          : conversation.members.some((member) => member.id === user.id);
      if (!inIt) continue;
      if (conversation.kind === 'dm') this.ensureDm(user);
      else conversation.members = conversation.members.map((member) => (member.id === user.id ? user : member));
      this.addNotice(conversation.key, text, ts);
    }
  }

  /** Adds a line of the page's own (not a message) at time `ts`. @param {string} key @param {string} text @param {number} ts */
  addNotice(key, text, ts) {
    const conversation = this.conversations.get(key);
    if (!conversation) return;
    this.#notices += 1;
    const notice = {
      id: `notice-${this.#notices}`,
      from: { id: '', nickname: '' },
      text,
      ts,
      status: 'sent',
      system: true,
    };
    conversation.byId.set(notice.id, notice);
    this.#insertConfirmed(conversation, notice);
    this.#trim(conversation);
    conversation.version += 1;
  }

  /** @param {string} key @param {string} id */
  markRecipientOffline(key, id) {
    const message = this.conversations.get(key)?.byId.get(id);
    if (!message) return;
    message.recipientOffline = true;
    this.conversations.get(key).version += 1;
  }

  /** @param {string} key @param {User} user @param {boolean} typing */
  setTyping(key, user, typing) {
    const conversation = this.conversations.get(key);
    if (!conversation || user.id === this.#me.id) return;
    if (typing) conversation.typing.set(user.id, { user, until: Date.now() + TYPING_TTL_MS });
    else conversation.typing.delete(user.id);
  }

  clearTyping(key, userId) {
    this.conversations.get(key)?.typing.delete(userId);
  }

  /** @returns {User[]} who is typing in a conversation now; drops stale notices */
  typistsIn(key) {
    const conversation = this.conversations.get(key);
    if (!conversation) return [];
    const now = Date.now();
    for (const [id, entry] of conversation.typing) if (entry.until <= now) conversation.typing.delete(id);
    return [...conversation.typing.values()].map((entry) => entry.user);
  }

  /** @param {User} me after a nickname change */
  setMe(me) {
    this.#me = me;
    this.#users.set(me.id, me);
  }

  #ensure(key, make) {
    let conversation = this.conversations.get(key);
    if (!conversation) {
      conversation = {
        key,
        messages: [],
        byId: new Map(),
        members: [],
        membersKnown: false,
        typing: new Map(),
        unread: 0,
        version: 0,
        ...make(),
      };
      this.conversations.set(key, conversation);
    }
    return conversation;
  }

  #insertConfirmed(conversation, message) {
    const list = conversation.messages;
    let index = list.length;
    // Walk back over pending messages (they stay last) and newer confirmed ones.
    while (index > 0) {
      const previous = list[index - 1];
      if (previous.status === 'sent' && previous.ts <= message.ts) break;
      index -= 1;
    }
    list.splice(index, 0, message);
  }

  #trim(conversation) {
    const list = conversation.messages;
    while (list.length > MAX_MESSAGES_PER_CONVERSATION && list[0].status === 'sent') {
      conversation.byId.delete(list.shift().id);
    }
  }

  #reposition(conversation, message) {
    const list = conversation.messages;
    list.splice(list.indexOf(message), 1);
    this.#insertConfirmed(conversation, message);
  }
}
