// The chat's state for the current run: users, channels with bounded history and presence, DMs, send dedup.
import { BoundedMap, pushBounded } from './bounded.mjs';

/** @typedef {{ id: string, nickname: string }} UserRef */
/**
 * @typedef {object} ChatMessage
 * @property {string} id client-generated, unique per sender
 * @property {UserRef} from
 * @property {string} text
 * @property {number} ts server time, ms since the epoch
 * @property {string} [channel] set for channel messages
 * @property {UserRef} [to] set for private messages
 */
/** @typedef {{ name: string, online: number }} ChannelSummary */

export const DEFAULT_CHANNEL = 'general';

export const STORE_LIMITS = Object.freeze({
  maxChannels: 200,
  historyPerChannel: 200,
  historyPerConversation: 200,
  maxConversations: 5000,
  maxConversationsPerUser: 100,
  // What a reconnecting client gets per private conversation; keeps that answer small.
  historyPerConversationOnSync: 50,
  dedupIdsPerUser: 500,
  maxKnownUsers: 5000,
});

/**
 * @typedef {object} Channel
 * @property {string} name
 * @property {ChatMessage[]} history
 * @property {Map<string, Set<string>>} members userId -> ids of that user's sockets in the channel
 */

export class ChatStore {
  /** @type {Map<string, Channel>} */
  #channels = new Map();
  /** @type {Map<string, { user: UserRef, sockets: Set<string> }>} */
  #online = new Map();
  /** @type {BoundedMap<string, UserRef>} everyone seen this run, so DMs to someone who just left still resolve */
  #known = new BoundedMap(STORE_LIMITS.maxKnownUsers);
  /** @type {BoundedMap<string, ChatMessage[]>} DM history keyed by the sorted pair of user ids */
  #conversations = new BoundedMap(STORE_LIMITS.maxConversations);
  /** @type {BoundedMap<string, Set<string>>} userId -> the users they have a private conversation with */
  #partners = new BoundedMap(STORE_LIMITS.maxKnownUsers);
  /** @type {BoundedMap<string, BoundedMap<string, unknown>>} userId -> message id -> the ack first sent for it */
  #sent = new BoundedMap(STORE_LIMITS.maxKnownUsers);

  constructor() {
    this.ensureChannel(DEFAULT_CHANNEL);
  }

  /**
   * Returns the channel, creating it if the channel cap allows.
   * @param {string} name a validated channel name
   * @returns {Channel | null} null when the cap is reached
   */
  ensureChannel(name) {
    let channel = this.#channels.get(name);
    if (channel) return channel;
    if (this.#channels.size >= STORE_LIMITS.maxChannels) return null;
    channel = { name, history: [], members: new Map() };
    this.#channels.set(name, channel);
    return channel;
  }

  /**
   * Deletes a channel nobody is in; #general stays.
   * @param {string} name @returns {boolean} whether it was deleted
   */
  deleteChannel(name) {
    const channel = this.#channels.get(name);
    if (!channel || name === DEFAULT_CHANNEL || channel.members.size > 0) return false;
    return this.#channels.delete(name);
  }

  /** @param {string} userId @returns {string[]} the channels the user has a socket in */
  channelsOf(userId) {
    return [...this.#channels.values()].filter((c) => c.members.has(userId)).map((c) => c.name);
  }

  /** @param {string} name @param {string} userId @param {string} socketId @returns {boolean} */
  hasMember(name, userId, socketId) {
    return this.#channels.get(name)?.members.get(userId)?.has(socketId) === true;
  }

  /** @param {string} name @returns {Channel | undefined} */
  getChannel(name) {
    return this.#channels.get(name);
  }

  /** @returns {ChannelSummary[]} every channel, busiest first, then by name */
  listChannels() {
    return [...this.#channels.values()]
      .map((c) => ({ name: c.name, online: c.members.size }))
      .sort((a, b) => b.online - a.online || a.name.localeCompare(b.name));
  }

  /** @param {string} name @returns {UserRef[]} the distinct users with a socket in the channel, by nickname */
  membersOf(name) {
    const channel = this.#channels.get(name);
    if (!channel) return [];
    return [...channel.members.keys()]
      .map((id) => this.#online.get(id)?.user ?? this.#known.get(id) ?? { id, nickname: '?' })
      .sort((a, b) => a.nickname.localeCompare(b.nickname));
  }

  /**
   * Records a socket in a channel.
   * @param {Channel} channel @param {string} userId @param {string} socketId
   * @returns {boolean} true if the user was not in the channel before (presence changed)
   */
  addMember(channel, userId, socketId) {
    const sockets = channel.members.get(userId);
    if (sockets) {
      sockets.add(socketId);
      return false;
    }
    channel.members.set(userId, new Set([socketId]));
    return true;
  }

  /**
   * Removes a socket from a channel.
   * @param {string} name @param {string} userId @param {string} socketId
   * @returns {boolean} true if that was the user's last socket there (presence changed)
   */
  removeMember(name, userId, socketId) {
    const sockets = this.#channels.get(name)?.members.get(userId);
    if (!sockets || !sockets.delete(socketId)) return false;
    if (sockets.size > 0) return false;
    this.#channels.get(name)?.members.delete(userId);
    return true;
  }

  /** @param {string} nickname @param {string} userId @returns {boolean} whether another online user has it */
  isNicknameTaken(nickname, userId) {
    const wanted = nickname.toLocaleLowerCase();
    for (const { user } of this.#online.values()) {
      if (user.id !== userId && user.nickname.toLocaleLowerCase() === wanted) return true;
    }
    return false;
  }

  /** @param {UserRef} user @param {string} socketId */
  connectSocket(user, socketId) {
    const entry = this.#online.get(user.id);
    if (entry) {
      entry.user = user;
      entry.sockets.add(socketId);
    } else {
      this.#online.set(user.id, { user, sockets: new Set([socketId]) });
    }
    this.#known.set(user.id, user);
  }

  /** @param {string} userId @param {string} socketId */
  disconnectSocket(userId, socketId) {
    const entry = this.#online.get(userId);
    if (!entry) return;
    entry.sockets.delete(socketId);
    if (entry.sockets.size === 0) this.#online.delete(userId);
  }

  /** @param {string} userId @returns {UserRef | undefined} a user seen during this run */
  findUser(userId) {
    return this.#online.get(userId)?.user ?? this.#known.get(userId);
  }

  /** @param {string} userId @returns {boolean} */
  isOnline(userId) {
    return this.#online.has(userId);
  }

  /** @param {ChatMessage} message appends to the channel's or the conversation's bounded history */
  record(message) {
    if (message.channel !== undefined) {
      const channel = this.#channels.get(message.channel);
      if (channel) pushBounded(channel.history, message, STORE_LIMITS.historyPerChannel);
      return;
    }
    if (message.to !== undefined) {
      const key = conversationKey(message.from.id, message.to.id);
      const history = this.#conversations.get(key) ?? [];
      pushBounded(history, message, STORE_LIMITS.historyPerConversation);
      this.#conversations.set(key, history);
      this.#addPartner(message.from.id, message.to.id);
      this.#addPartner(message.to.id, message.from.id);
    }
  }

  /** @param {string} a @param {string} b @returns {ChatMessage[]} the private messages between two users */
  conversation(a, b) {
    return this.#conversations.get(conversationKey(a, b)) ?? [];
  }

  /**
   * @param {string} userId
   * @returns {{ user: UserRef, online: boolean, history: ChatMessage[] }[]} the user's private conversations
   */
  conversationsOf(userId) {
    const partners = this.#partners.get(userId) ?? new Set();
    return [...partners].map((partnerId) => ({
      user: this.findUser(partnerId) ?? { id: partnerId, nickname: '?' },
      online: this.isOnline(partnerId),
      history: this.conversation(userId, partnerId).slice(-STORE_LIMITS.historyPerConversationOnSync),
    }));
  }

  /** @param {string} userId @param {string} partnerId */
  #addPartner(userId, partnerId) {
    const partners = this.#partners.get(userId) ?? new Set();
    if (partners.size >= STORE_LIMITS.maxConversationsPerUser && !partners.has(partnerId)) return;
    partners.add(partnerId);
    this.#partners.set(userId, partners);
  }

  /**
   * The ack already given for a message id from this user, if it was accepted before (a re-send).
   * @param {string} userId @param {string} messageId @returns {unknown}
   */
  previousAck(userId, messageId) {
    return this.#sent.get(userId)?.get(messageId);
  }

  /** @param {string} userId @param {string} messageId @param {unknown} ack */
  rememberAck(userId, messageId, ack) {
    let acks = this.#sent.get(userId);
    if (!acks) {
      acks = new BoundedMap(STORE_LIMITS.dedupIdsPerUser);
      this.#sent.set(userId, acks);
    }
    acks.set(messageId, ack);
  }
}

/** @param {string} a @param {string} b */
function conversationKey(a, b) {
  return a < b ? `${a}\n${b}` : `${b}\n${a}`;
}
