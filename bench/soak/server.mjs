// @ts-check
// Server process of a soak run: ours or socket.io 4.8 on 127.0.0.1 (an ephemeral port, or --port to come back on the
// same one after a restart), driven over IPC: faults (destroying TCP sockets), heap after GC, live timers and handles.
import { openSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { measureMemory, serve } from '../lib/ipc.mjs';

const { values } = parseArgs({
  options: {
    impl: { type: 'string', default: 'ours' },
    port: { type: 'string', default: '0' },
    recovery: { type: 'boolean', default: false },
    log: { type: 'string' },
    'ping-interval': { type: 'string' },
    'ping-timeout': { type: 'string' },
    'tick-every': { type: 'string' },
    'tick-base': { type: 'string', default: '0' },
  },
});

/** @returns {Promise<new (http: import('node:http').Server, options?: Record<string, unknown>) => any>} */
async function loadServer() {
  if (values.impl === 'ours') return (await import('@switchboard/server')).Server;
  if (values.impl === 'socketio') return (await import('socket.io')).Server;
  throw new Error(`unknown --impl "${values.impl}"`);
}

const Server = await loadServer();
const http = createServer();
/** Every TCP connection the HTTP server holds (long polls and upgraded WebSockets), so faults can pick among them. */
const tcpSockets = new Set();
http.on('connection', (socket) => {
  tcpSockets.add(socket);
  socket.once('close', () => tcpSockets.delete(socket));
});

/** @type {Record<string, unknown>} */
const options = { serveClient: false };
if (values.recovery) options.connectionStateRecovery = { maxDisconnectionDuration: 60_000 };
if (values['ping-interval'] !== undefined) options.pingInterval = Number(values['ping-interval']);
if (values['ping-timeout'] !== undefined) options.pingTimeout = Number(values['ping-timeout']);
const io = new Server(http, options);

// Every numbered message is written to the log before it is acknowledged: a write(2) survives SIGKILL, so the log
// holds at least every message a client saw acknowledged, whatever happens to this process afterwards.
const logFd = values.log === undefined ? undefined : openSync(values.log, 'a');
let pendingAsks = 0;
io.on('connection', (/** @type {any} */ socket) => {
  socket.on('msg', (/** @type {{ c: number, s: number }} */ message, /** @type {(s: number) => void} */ ack) => {
    if (logFd !== undefined) writeSync(logFd, `${message.c} ${message.s}\n`);
    ack(message.s);
  });
  socket.on('echo', (/** @type {unknown} */ data, /** @type {(d: unknown) => void} */ ack) => ack(data));
  // Leak cycles: rooms to leave, an acknowledgement the client never answers (with a timer far in the future),
  // and a client acknowledgement this server never answers.
  socket.on('churn', (/** @type {number} */ n, /** @type {(a: unknown) => void} */ _neverAnswered) => {
    socket.join(['churn', `churn-${n % 64}`, `churn-${n}`]);
    pendingAsks++;
    socket.timeout(600_000).emit('ask', n, () => pendingAsks--);
    socket.emit('ready', n);
  });
});

// Numbered broadcasts: they give each client a recovery offset, and what a recovered client missed must be replayed.
if (values['tick-every'] !== undefined) {
  let tick = Number(values['tick-base']);
  setInterval(() => io.emit('tick', tick++), Number(values['tick-every']));
}

await new Promise((resolve, reject) => {
  http.once('error', reject);
  http.listen(Number(values.port), '127.0.0.1', () => resolve(undefined));
});
const address = http.address();
if (address === null || typeof address === 'string') throw new Error('server has no TCP address');

/** Counts of what keeps the event loop alive (timers, sockets, ...), by kind. */
function activeResources() {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** Listener counts on the objects a connection touches and must leave as it found them. */
function listenerCounts() {
  const nsp = io.of('/');
  /** @param {any} emitter */
  const total = (emitter) =>
    emitter
      .eventNames()
      .reduce((/** @type {number} */ sum, /** @type {string | symbol} */ name) => sum + emitter.listenerCount(name), 0);
  return { http: total(http), engine: total(io.engine), namespace: total(nsp), server: total(io) };
}

serve(
  {
    /** Destroys `count` TCP connections picked at random: the peer sees a transport close, the server an abrupt end. */
    killTransports({ count }) {
      const all = [...tcpSockets];
      let killed = 0;
      for (let i = 0; i < count && all.length > 0; i++) {
        const [socket] = all.splice(Math.floor(Math.random() * all.length), 1);
        socket?.destroy();
        killed++;
      }
      return { killed, open: tcpSockets.size };
    },
    /** CPU milliseconds this process has used since it started. */
    usage() {
      const cpu = process.cpuUsage();
      return { cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
    },
    stats() {
      const nsp = io.of('/');
      return {
        sockets: nsp.sockets.size,
        engineClients: io.engine.clientsCount,
        tcp: tcpSockets.size,
        rooms: nsp.adapter.rooms.size,
        pendingAsks,
      };
    },
    /** Heap after full collections, live resources and listener counts: the figures a leak check compares. */
    async probe() {
      const memory = await measureMemory();
      return { memory, resources: activeResources(), listeners: listenerCounts() };
    },
  },
  { port: address.port, pid: process.pid },
);
