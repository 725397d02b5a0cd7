// Message sends (acked, deduplicated by client id, rate-limited) and typing indicators.
import { TokenBucket } from './rate-limit.mjs';
import { failure, onClientEvent } from './safe-handler.mjs';
import { asRecord, parseChannelName, parseId, parseMessageText } from './validate.mjs';
import { channelRoom, userRoom } from './rooms.mjs';

/** A modest limit: bursts of 10, then 3 messages a second per socket. */
export const SEND_RATE = Object.freeze({ capacity: 10, refillPerSecond: 3 });

/**
 * @param {import('./socket-server.mjs').Server} io
 * @param {import('./chat-store.mjs').ChatStore} store
 * @param {import('./socket-server.mjs').Socket} socket
 * @param {() => import('./chat-store.mjs').UserRef} currentUser the sender as now named (renames apply at once)
 */
export function attachMessageHandlers(io, store, socket, currentUser) {
  const bucket = new TokenBucket(SEND_RATE);

  onClientEvent(socket, 'message:send', (payload, ack) => {
    const user = currentUser();
    const request = asRecord(payload);
    const id = parseId(request?.id);
    if (id === null) return ack(failure('invalid_id', 'Every message needs an id of 1-64 URL-safe characters.'));
    // A re-send (after a reconnect or an ack timeout) gets the first answer again and is not re-broadcast.
    const previous = store.previousAck(user.id, id);
    if (previous !== undefined) return ack(/** @type {import('./safe-handler.mjs').AckResponse} */ (previous));

    const text = parseMessageText(request?.text);
    if (text === null) return ack(failure('invalid_text', 'Messages are 1-2000 characters of text.'));

    /** @type {import('./chat-store.mjs').ChatMessage} */
    let message;
    /** @type {string[]} */
    let rooms;
    /** @type {{ recipientOnline?: boolean }} */
    let extra = {};
    if (request?.channel !== undefined) {
      const name = parseChannelName(request.channel);
      if (name === null) return ack(failure('invalid_channel', 'That is not a channel name.'));
      // Sending may create the channel: after a server restart, queued messages can arrive before the re-join.
      if (store.ensureChannel(name) === null)
        return ack(failure('too_many_channels', 'The server has reached its channel limit.'));
      message = { id, from: user, text, ts: Date.now(), channel: name };
      rooms = [channelRoom(name)];
    } else {
      const toId = parseId(request?.to);
      const recipient = toId === null ? undefined : store.findUser(toId);
      if (recipient === undefined) return ack(failure('no_such_user', 'That user is not known to this server.'));
      message = { id, from: user, text, ts: Date.now(), to: recipient };
      rooms = [userRoom(recipient.id), userRoom(user.id)];
      // The sender's page marks a message that waits for its reader to come back.
      extra = { recipientOnline: store.isOnline(recipient.id) };
    }

    // The page sends one message at a time and waits this long before sending the same one again, so the limit
    // paces a fast typist without reordering anything (public/js/send-queue.js).
    const waitMs = bucket.take();
    if (waitMs > 0) {
      return ack(failure('rate_limited', 'You are sending too fast; slow down a little.', { retryAfterMs: waitMs }));
    }

    store.record(message);
    const response = { ok: true, message, ...extra };
    store.rememberAck(user.id, id, response);
    io.to(rooms).emit('message', message);
    ack(response);
  });

  onClientEvent(socket, 'typing', (payload) => {
    const user = currentUser();
    const request = asRecord(payload);
    const typing = request?.typing === true;
    if (request?.channel !== undefined) {
      const name = parseChannelName(request.channel);
      if (name === null || !socket.rooms.has(channelRoom(name))) return;
      socket.to(channelRoom(name)).emit('typing', { channel: name, user, typing });
      return;
    }
    const toId = parseId(request?.to);
    if (toId === null || toId === user.id || !store.isOnline(toId)) return;
    socket.to(userRoom(toId)).emit('typing', { dm: user.id, user, typing });
  });
}
