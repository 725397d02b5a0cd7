// Wires the chat onto a Socket.IO server: who a socket is (handshake auth), channels, presence.
import createDebug from 'debug';
import { attachMessageHandlers } from './message-handlers.mjs';
import { failure, onClientEvent } from './safe-handler.mjs';
import { channelOfRoom, channelRoom, userRoom } from './rooms.mjs';
import { syncRooms } from './room-sync.mjs';
import { DEFAULT_CHANNEL } from './chat-store.mjs';
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
      return next(
        refusal('invalid_identity', 'Pick a nickname of 1-24 letters, digits, spaces, dots, dashes or underscores.'),
      );
    }
    if (store.isNicknameTaken(nickname, userId)) {
      return next(refusal('nickname_taken', `“${nickname}” is already in use; pick another nickname.`));
    }
    socket.data.user = { id: userId, nickname };
    next();
  });

  const presenceChanged = (/** @type {string} */ name) => {
    announcePresence(io, store, name);
    io.emit('channels', store.listChannels());
  };
  const rooms = syncRooms(io, store, presenceChanged);

  io.on('connection', (socket) => {
    // Set by the handshake check above (or a rename), and restored with the session on recovery.
    const data = /** @type {{ user: UserRef }} */ (socket.data);
    const user = data.user;
    const known = store.findUser(user.id);
    store.connectSocket(user, socket.id);
    void socket.join(userRoom(user.id));
    debug('%s connected as %s (recovered: %s)', socket.id, user.nickname, socket.recovered);
    if (socket.recovered) restorePresence(io, store, socket, user);
    // Renamed while away: the handshake brought the new name.
    if (known !== undefined && known.nickname !== user.nickname) announceRename(io, store, user, known.nickname);
    rooms.track(socket);

    onClientEvent(socket, 'channel:list', (_payload, ack) => {
      ack({ ok: true, channels: store.listChannels() });
    });

    onClientEvent(socket, 'channel:join', (payload, ack) => {
      const request = asRecord(payload);
      const name = parseChannelName(request?.name);
      if (name === null) {
        return ack(
          failure('invalid_channel', 'Channel names are 1-32 lower-case letters, digits, dashes or underscores.'),
        );
      }
      const existed = store.getChannel(name) !== undefined;
      if (!existed && request?.create !== true) {
        return ack(failure('no_such_channel', `#${name} does not exist.`));
      }
      const channel = store.ensureChannel(name);
      if (channel === null) return ack(failure('too_many_channels', 'The server has reached its channel limit.'));
      // The store first: the room watcher (room-sync.mjs) then sees a change the chat made itself.
      const changed = store.addMember(channel, user.id, socket.id);
      void socket.join(channelRoom(name));
      ack({ ok: true, channel: name, history: channel.history, members: store.membersOf(name) });
      if (changed) announcePresence(io, store, name);
      if (changed || !existed) io.emit('channels', store.listChannels());
    });

    onClientEvent(socket, 'channel:leave', (payload, ack) => {
      const name = parseChannelName(asRecord(payload)?.name);
      if (name === null) return ack(failure('invalid_channel', 'That is not a channel name.'));
      const changed = store.removeMember(name, user.id, socket.id);
      void socket.leave(channelRoom(name));
      ack({ ok: true, channel: name });
      if (changed) presenceChanged(name);
    });

    onClientEvent(socket, 'channel:delete', (payload, ack) => {
      const name = parseChannelName(asRecord(payload)?.name);
      if (name === null) return ack(failure('invalid_channel', 'That is not a channel name.'));
      if (name === DEFAULT_CHANNEL) return ack(failure('cannot_delete', `#${name} is everyone's channel; it stays.`));
      if (store.getChannel(name) === undefined) return ack(failure('no_such_channel', `#${name} does not exist.`));
      if (!store.deleteChannel(name)) return ack(failure('channel_not_empty', `#${name} still has people in it.`));
      ack({ ok: true, channel: name });
      io.emit('channels', store.listChannels());
    });

    onClientEvent(socket, 'user:rename', (payload, ack) => {
      const nickname = parseNickname(asRecord(payload)?.nickname);
      if (nickname === null) {
        return ack(
          failure('invalid_identity', 'Pick a nickname of 1-24 letters, digits, spaces, dots, dashes or underscores.'),
        );
      }
      const current = data.user;
      if (nickname === current.nickname) return ack({ ok: true, user: current });
      if (store.isNicknameTaken(nickname, current.id)) {
        return ack(failure('nickname_taken', `“${nickname}” is already in use; pick another nickname.`));
      }
      const renamed = { id: current.id, nickname };
      data.user = renamed; // a recovered session keeps the new name
      store.connectSocket(renamed, socket.id);
      ack({ ok: true, user: renamed });
      announceRename(io, store, renamed, current.nickname);
    });

    onClientEvent(socket, 'dm:list', (_payload, ack) => {
      ack({ ok: true, conversations: store.conversationsOf(user.id) });
    });

    attachMessageHandlers(io, store, socket, () => store.findUser(user.id) ?? data.user);

    socket.on('disconnecting', () => {
      rooms.untrack(socket);
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
  io.to(channelRoom(name)).emit('presence', { channel: name, members: store.membersOf(name), ts: Date.now() });
}

/**
 * Tells everyone (every tab of the user included) and refreshes the member lists that show the name.
 * @param {Server} io @param {ChatStore} store @param {UserRef} user @param {string} previous
 */
function announceRename(io, store, user, previous) {
  io.emit('user:renamed', { user, previous, ts: Date.now() });
  for (const name of store.channelsOf(user.id)) announcePresence(io, store, name);
}
