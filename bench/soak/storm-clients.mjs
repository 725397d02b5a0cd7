// @ts-check
// A client process of the reconnect storm: holds many client sockets (ours, or socket.io-client 4.8 with `--impl
// socketio`) and records, for each, when it lost its connection, when its first reconnection attempt started (the
// jittered back-off) and when it was back; and its own CPU time and event-loop delay, to tell a slow client from a
// starved machine.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve } from '../lib/ipc.mjs';

const implAt = process.argv.indexOf('--impl');
const impl = implAt === -1 ? 'ours' : process.argv[implAt + 1];
/** @type {typeof import('@switchboard/client').io} */
const io =
  impl === 'socketio'
    ? /** @type {any} */ ((await import('socket.io-client')).io)
    : (await import('@switchboard/client')).io;

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
/** @type {NodeJS.CpuUsage | undefined} */
let cpuAtMark;

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
        const entry = {
          socket,
          connects: 0,
          lostAt: undefined,
          firstAttemptAt: undefined,
          backAt: undefined,
          attempts: 0,
        };
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
    /** Starts counting CPU time and event-loop delay: the runner calls it just before it kills the server. */
    mark() {
      cpuAtMark = process.cpuUsage();
      loopDelay.reset();
      loopDelay.enable();
      return { marked: true };
    },
    /** CPU milliseconds since mark() and the event-loop delay (ms) seen meanwhile. */
    usage() {
      const cpu = process.cpuUsage(cpuAtMark);
      loopDelay.disable();
      return {
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        loopDelayMs: {
          p50: loopDelay.percentile(50) / 1e6,
          p99: loopDelay.percentile(99) / 1e6,
          max: loopDelay.max / 1e6,
        },
      };
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
      return tracked.map((entry) => ({
        lostAt: entry.lostAt,
        firstAttemptAt: entry.firstAttemptAt,
        backAt: entry.backAt,
        attempts: entry.attempts,
      }));
    },
    close() {
      for (const entry of tracked) entry.socket.disconnect();
      return { closed: tracked.length };
    },
  },
  { pid: process.pid },
);
