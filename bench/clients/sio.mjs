// @ts-check
// Load-side client written against the socket.io-client v4 API: socket.io-client and ours run this same code.
import { ECHO_EVENT } from '../lib/payloads.mjs';

/**
 * @typedef {{
 *   emitAck: (data: unknown, onAck: () => void) => void,
 *   close: () => void,
 * }} BenchClient
 * @typedef {{ transports: 'websocket' | 'polling' | 'default', waitUpgrade: boolean, timeoutMs: number }} ConnectOptions
 */

/**
 * Returns a connect function for the given `io` factory (socket.io-client's or ours).
 * @param {(url: string, options: Record<string, unknown>) => any} io
 * @returns {(port: number, options: ConnectOptions) => Promise<BenchClient>}
 */
export function sioConnector(io) {
  return (port, options) =>
    new Promise((resolve, reject) => {
      /** @type {Record<string, unknown>} */
      const ioOptions = { forceNew: true, reconnection: false, timeout: options.timeoutMs };
      if (options.transports === 'websocket') ioOptions.transports = ['websocket'];
      if (options.transports === 'polling') ioOptions.transports = ['polling'];
      const socket = io(`http://127.0.0.1:${port}`, ioOptions);
      const timer = setTimeout(
        () => fail(new Error(`no connection within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      /** @param {Error} error */
      const fail = (error) => {
        clearTimeout(timer);
        socket.close();
        reject(error);
      };
      const done = () => {
        clearTimeout(timer);
        resolve({
          emitAck: (data, onAck) => socket.emit(ECHO_EVENT, data, onAck),
          close: () => socket.close(),
        });
      };
      socket.once('connect_error', fail);
      socket.once('connect', () => {
        socket.off('connect_error', fail);
        const engine = socket.io.engine;
        if (!options.waitUpgrade || engine.transport.name === 'websocket') done();
        else engine.once('upgrade', done);
      });
    });
}
