// Wraps socket event handlers so that no client input, however malformed, can throw out of a listener.
import createDebug from 'debug';

const debug = createDebug('switchboard:chat:handlers');

/** @typedef {{ ok: boolean } & Record<string, unknown>} AckResponse an answer: ok, or an error code and message */
/** @typedef {(response: AckResponse) => void} Ack */

/**
 * Builds a failed ack response with a stable error code.
 * @param {string} error machine-readable code
 * @param {string} message human-readable explanation
 * @param {Record<string, unknown>} [extra]
 * @returns {AckResponse}
 */
export function failure(error, message, extra = {}) {
  return { ok: false, error, message, ...extra };
}

/**
 * Registers `handler` for `event`. The handler gets the first argument and an ack that is a no-op when
 * the client did not ask for one; exceptions are logged at debug level and answered as `internal`.
 * @param {import('./socket-server.mjs').Socket} socket
 * @param {string} event
 * @param {(payload: unknown, ack: Ack) => void} handler
 */
export function onClientEvent(socket, event, handler) {
  socket.on(event, (...args) => {
    const last = args[args.length - 1];
    const hasAck = typeof last === 'function';
    /** @type {Ack} */
    const ack = hasAck ? /** @type {Ack} */ (last) : () => {};
    const payload = hasAck && args.length === 1 ? undefined : args[0];
    try {
      handler(payload, ack);
    } catch (error) {
      debug('handler for %s from socket %s threw: %O', event, socket.id, error);
      ack(failure('internal', 'The server could not handle this request.'));
    }
  });
}
