// Keeps the chat's channels in step with room changes it did not make itself: the admin dashboard's "join" and
// "leave" (on this process or, through the adapter, on another) move a socket between rooms behind the chat's back.
// The store and the user's page are brought in line, so the user sees the truth.
import createDebug from 'debug';
import { channelOfRoom } from './rooms.mjs';

const debug = createDebug('switchboard:chat:room-sync');

/**
 * @typedef {import('./chat-store.mjs').ChatStore} ChatStore
 * @typedef {import('./chat-store.mjs').UserRef} UserRef
 * @typedef {import('./socket-server.mjs').Server} Server
 * @typedef {import('./socket-server.mjs').Socket} Socket
 */

/**
 * Watches the main namespace's rooms. The chat's own handlers update the store before they join or leave a room,
 * so for them the store already agrees and nothing happens here.
 * @param {Server} io
 * @param {ChatStore} store
 * @param {(name: string) => void} onPresenceChanged announces a channel's members (and the channel list)
 * @returns {{ track: (socket: Socket) => void, untrack: (socket: Socket) => void }} which sockets are live chat users
 */
export function syncRooms(io, store, onPresenceChanged) {
  /** @type {Map<string, Socket>} sockets past the chat's connection handler and not leaving */
  const live = new Map();
  const adapter = io.of('/').adapter;

  adapter.on('join-room', (/** @type {string} */ room, /** @type {string} */ id) => {
    const name = channelOfRoom(room);
    const socket = live.get(id);
    if (name === null || socket === undefined) return;
    const user = userOf(socket);
    if (store.hasMember(name, user.id, id)) return;
    const channel = store.ensureChannel(name);
    if (channel === null) return;
    debug('%s was put in #%s from outside the chat', id, name);
    const changed = store.addMember(channel, user.id, id);
    socket.emit('channel:added', { channel: name, history: channel.history, members: store.membersOf(name) });
    if (changed) onPresenceChanged(name);
  });

  adapter.on('leave-room', (/** @type {string} */ room, /** @type {string} */ id) => {
    const name = channelOfRoom(room);
    const socket = live.get(id);
    if (name === null || socket === undefined) return;
    const user = userOf(socket);
    if (!store.hasMember(name, user.id, id)) return;
    debug('%s was taken out of #%s from outside the chat', id, name);
    const changed = store.removeMember(name, user.id, id);
    socket.emit('channel:removed', { channel: name });
    if (changed) onPresenceChanged(name);
  });

  return {
    track: (socket) => void live.set(socket.id, socket),
    untrack: (socket) => void live.delete(socket.id),
  };
}

/** @param {Socket} socket @returns {UserRef} */
function userOf(socket) {
  return /** @type {{ user: UserRef }} */ (socket.data).user;
}
