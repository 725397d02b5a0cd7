// @ts-check
// A client process of the reconnect storm: holds many @switchboard/client sockets and records, for each, when it lost
// its connection, when its first reconnection attempt started (the jittered back-off) and when it was back.
import { serve } from '../lib/ipc.mjs';

const { io } = await import('@switchboard/client');

/**
 * @typedef {{
 *   socket: import('@switchboard/client').Socket,
 *   connects: number,
 *   lostAt: number | undefined,
 *   firstAttemptAt: number | undefined,
 *   backAt: number | undefined,
 *   attempts: number,
 * }} Tracked
 */

/** @type {Tracked[]} */
const tracked = [];

serve(
  {
    /** Opens `count` WebSocket clients with the given back-off and resolves once every one is connected (or not). */
    async connect({ port, count, reconnectionDelay, reconnectionDelayMax, randomizationFactor, timeoutMs }) {
      for (let i = 0; i < count; i++) {
        const socket = io(`http://127.0.0.1:${port}`, {
          forceNew: true,
          transports: ['websocket'],
          reconnectionDelay,
          reconnectionDelayMax,
          randomizationFactor,
        });
        /** @type {Tracked} */
        const entry = { socket, connects: 0, lostAt: undefined, firstAttemptAt: undefined, backAt: undefined, attempts: 0 };
        socket.on('connect', () => {
          entry.connects++;
          if (entry.connects > 1) entry.backAt ??= Date.now();
        });
        socket.on('disconnect', () => void (entry.lostAt ??= Date.now()));
        socket.io.on('reconnect_attempt', () => {
          // Attempts while first connecting (a busy server refusing some) are not the storm's.
          if (entry.lostAt === undefined) return;
          entry.attempts++;
          entry.firstAttemptAt ??= Date.now();
        });
        tracked.push(entry);
      }
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && tracked.some((entry) => entry.connects === 0)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { connected: tracked.filter((entry) => entry.connects > 0).length };
    },
    status() {
      return {
        connected: tracked.filter((entry) => entry.socket.connected).length,
        lost: tracked.filter((entry) => entry.lostAt !== undefined).length,
        back: tracked.filter((entry) => entry.backAt !== undefined).length,
      };
    },
    /** Wall-clock times (Date.now) per client; the runner lines them up with the moment it killed the server. */
    times() {
      return tracked.map((entry) => ({ lostAt: entry.lostAt, firstAttemptAt: entry.firstAttemptAt, backAt: entry.backAt, attempts: entry.attempts }));
    },
    close() {
      for (const entry of tracked) entry.socket.disconnect();
      return { closed: tracked.length };
    },
  },
  { pid: process.pid },
);
