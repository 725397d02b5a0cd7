// Wires the chat onto a Socket.IO server: who a socket is (handshake auth), channels, presence.
import createDebug from 'debug';
import { attachMessageHandlers } from './message-handlers.mjs';
import { failure, onClientEvent } from './safe-handler.mjs';
import { channelOfRoom, channelRoom, userRoom } from './rooms.mjs';
import { asRecord, LIMITS, parseChannelName, parseId, parseNickname } from './validate.mjs';

const debug = createDebug('switchboard:chat:handlers');

/**
 * @typedef {import('./chat-store.mjs').ChatStore} ChatStore
 * @typedef {import('./chat-store.mjs').UserRef} UserRef
 * @typedef {import('./socket-server.mjs').Server} Server
 * @typedef {import('./socket-server.mjs').Socket} Socket
 */

/**
 * Installs the handshake check and every chat event handler on `io`.
 * @param {Server} io
 * @param {ChatStore} store
 */
export function attachChat(io, store) {
  io.use((socket, next) => {
    const auth = asRecord(socket.handshake.auth) ?? {};
    const userId = parseId(auth.userId, LIMITS.userIdMaxChars);
    const nickname = parseNickname(auth.nickname);
    if (userId === null || nickname === null) {
      return next(refusal('invalid_identity', 'Pick a nickname of 1-24 letters, digits, spaces, dots, dashes or underscores.'));
    }
    if (store.isNicknameTaken(nickname, userId)) {
      return next(refusal('nickname_taken', `“${nickname}” is already in use; pick another nickname.`));
    }
    socket.data.user = { id: userId, nickname };
    next();
  });

  io.on('connection', (socket) => {
    // Set by the handshake check above, and restored with the session on recovery.
    const user = /** @type {{ user: UserRef }} */ (socket.data).user;
    store.connectSocket(user, socket.id);
    void socket.join(userRoom(user.id));
    debug('%s connected as %s (recovered: %s)', socket.id, user.nickname, socket.recovered);
    if (socket.recovered) restorePresence(io, store, socket, user);

    onClientEvent(socket, 'channel:list', (_payload, ack) => {
      ack({ ok: true, channels: store.listChannels() });
    });

    onClientEvent(socket, 'channel:join', (payload, ack) => {
      const request = asRecord(payload);
      const name = parseChannelName(request?.name);
      if (name === null) {
        return ack(failure('invalid_channel', 'Channel names are 1-32 lower-case letters, digits, dashes or underscores.'));
      }
      const existed = store.getChannel(name) !== undefined;
      if (!existed && request?.create !== true) {
        return ack(failure('no_such_channel', `#${name} does not exist.`));
      }
      const channel = store.ensureChannel(name);
      if (channel === null) return ack(failure('too_many_channels', 'The server has reached its channel limit.'));
      void socket.join(channelRoom(name));
      const changed = store.addMember(channel, user.id, socket.id);
      ack({ ok: true, channel: name, history: channel.history, members: store.membersOf(name) });
      if (changed) announcePresence(io, store, name);
      if (changed || !existed) io.emit('channels', store.listChannels());
    });

    onClientEvent(socket, 'channel:leave', (payload, ack) => {
      const name = parseChannelName(asRecord(payload)?.name);
      if (name === null) return ack(failure('invalid_channel', 'That is not a channel name.'));
      void socket.leave(channelRoom(name));
      ack({ ok: true, channel: name });
      if (store.removeMember(name, user.id, socket.id)) {
        announcePresence(io, store, name);
        io.emit('channels', store.listChannels());
      }
    });

    onClientEvent(socket, 'dm:list', (_payload, ack) => {
      ack({ ok: true, conversations: store.conversationsOf(user.id) });
    });

    attachMessageHandlers(io, store, socket, user);

    socket.on('disconnecting', () => {
      // Rooms are still populated here; by 'disconnect' they are gone.
      const left = [...socket.rooms].map(channelOfRoom).filter((name) => name !== null);
      socket.once('disconnect', (reason) => {
        debug('%s disconnected: %s', socket.id, reason);
        store.disconnectSocket(user.id, socket.id);
        let changed = false;
        for (const name of left) {
          if (store.removeMember(name, user.id, socket.id)) {
            announcePresence(io, store, name);
            changed = true;
          }
        }
        if (changed) io.emit('channels', store.listChannels());
      });
    });
  });
}

/**
 * A recovered socket gets its rooms back from the server, but our presence lists dropped it on
 * disconnect: put it back in each channel it is still in.
 * @param {Server} io @param {ChatStore} store @param {Socket} socket @param {UserRef} user
 */
function restorePresence(io, store, socket, user) {
  let changed = false;
  for (const room of socket.rooms) {
    const name = channelOfRoom(room);
    if (name === null) continue;
    const channel = store.ensureChannel(name);
    if (channel && store.addMember(channel, user.id, socket.id)) {
      announcePresence(io, store, name);
      changed = true;
    }
  }
  if (changed) io.emit('channels', store.listChannels());
}

/**
 * A handshake refusal: the client gets `connect_error` with `message` = code and `data.message` to show.
 * @param {string} code @param {string} message
 */
function refusal(code, message) {
  return Object.assign(new Error(code), { data: { message } });
}

/** @param {Server} io @param {ChatStore} store @param {string} name */
function announcePresence(io, store, name) {
  io.to(channelRoom(name)).emit('presence', { channel: name, members: store.membersOf(name) });
}
