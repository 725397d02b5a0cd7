// The Socket.IO connection and its visible state: connecting, connected, reconnecting (attempt n), offline.
// Uses the `io` global from /socket.io/socket.io.js, the client bundle served by the chat's own server.

/** How long the server has to acknowledge an emit before the client sends it again. */
const ACK_TIMEOUT_MS = 6000;
/** Re-sends per message (beyond the first) before it is shown as failed with a Retry button. */
const SEND_RETRIES = 8;

/** @typedef {'connecting' | 'connected' | 'reconnecting' | 'offline' | 'kicked'} ConnectionState */

/**
 * @param {{ userId: string, nickname: () => string }} identity nickname is read on every (re)connect
 * @param {(state: ConnectionState, detail: { attempt?: number, reason?: string }) => void} onState
 */
export function createConnection(identity, onState) {
  const params = new URLSearchParams(window.location.search);
  /** @type {Record<string, unknown>} */
  const options = {
    // Called before each (re)connection, so a nickname change applies to the next handshake.
    auth: (send) => send({ userId: identity.userId, nickname: identity.nickname() }),
    retries: SEND_RETRIES,
    ackTimeout: ACK_TIMEOUT_MS,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    autoConnect: false,
  };
  // ?transports=polling forces HTTP long-polling, for networks that block WebSocket.
  const transports = params.get('transports');
  if (transports === 'polling') options.transports = ['polling'];
  else if (transports === 'websocket') options.transports = ['websocket'];

  const socket = window.io(options);
  let state = /** @type {ConnectionState} */ ('connecting');
  let attempt = 0;
  const set = (next, detail = {}) => {
    state = next;
    onState(next, detail);
  };

  socket.on('connect', () => {
    attempt = 0;
    set('connected');
  });
  socket.on('disconnect', (reason) => {
    // A disconnect we asked for (nickname change) is not a network problem.
    if (reason === 'io client disconnect') set('offline', { reason });
    // The server (the admin dashboard's Disconnect) closed the session: the client does not reconnect by itself.
    else if (reason === 'io server disconnect') set('kicked', { reason });
    else set(navigator.onLine ? 'reconnecting' : 'offline', { attempt, reason });
  });
  socket.io.on('reconnect_attempt', (n) => {
    attempt = n;
    set(navigator.onLine ? 'reconnecting' : 'offline', { attempt: n });
  });
  socket.io.on('reconnect_failed', () => set('offline', { reason: 'gave up reconnecting' }));
  // The browser knows about a lost network before the heartbeat does; say so at once.
  window.addEventListener('offline', () => {
    if (state !== 'kicked') set('offline', { attempt });
  });
  window.addEventListener('online', () => {
    if (socket.connected) set('connected');
    else if (socket.active) set('reconnecting', { attempt });
  });

  return { socket, state: () => state };
}
