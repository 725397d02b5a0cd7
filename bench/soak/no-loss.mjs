// @ts-check
// No loss under faults: clients of @switchboard/client with `retries` send numbered messages with acknowledgements
// while transports are killed at random on both sides and the server (connection state recovery on) is restarted
// once on the same port. Every acknowledged message must be in the server's log, and first deliveries in order.
// The server also broadcasts numbered ticks: a client whose session was recovered must miss none of them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spread, startSoakServer, waitFor } from './harness.mjs';

/**
 * @typedef {{
 *   clients: number,
 *   messagesPerClient: number,
 *   sendEveryMs: number,
 *   faultEveryMs: number,
 *   serverKillsPerFault: number,
 *   clientClosesPerFault: number,
 *   restartAfterMs: number,
 *   deadlineMs: number,
 *   log?: (line: string) => void,
 * }} NoLossOptions
 *
 * @typedef {{
 *   clients: number,
 *   sent: number,
 *   acknowledged: number,
 *   failed: number,
 *   received: number,
 *   lost: number,
 *   duplicates: number,
 *   outOfOrder: number,
 *   receivedNotAcknowledged: number,
 *   serverKills: number,
 *   clientCloses: number,
 *   reconnects: number,
 *   recovered: number,
 *   ticksReceived: number,
 *   ticksMissed: number,
 *   ticksRepeated: number,
 *   restarted: boolean,
 *   restartedAtMs: number,
 *   clientsDoneAtMs: ReturnType<typeof spread>,
 *   finished: boolean,
 *   elapsedMs: number,
 * }} NoLossResult
 */

const TICK_EVERY_MS = 100;
/** The restarted server numbers its ticks from here, so they cannot be taken for the first server's. */
const SECOND_TICK_BASE = 1_000_000_000;
/** In a client's stream of ticks: a connection that started a new session (ticks before it may be missing). */
const NEW_SESSION = -1;
/** In a client's stream of ticks: a connection that recovered its session (the server replays what was missed). */
const RECOVERED_SESSION = -2;

/** @type {NoLossOptions} */
export const NO_LOSS_LONG = {
  clients: 300,
  messagesPerClient: 200,
  sendEveryMs: 100,
  faultEveryMs: 250,
  serverKillsPerFault: 3,
  clientClosesPerFault: 2,
  restartAfterMs: 10_000,
  deadlineMs: 240_000,
};

/**
 * Runs the scenario and counts; the caller judges (lost and outOfOrder must be 0).
 * @param {NoLossOptions} options
 * @returns {Promise<NoLossResult>}
 */
export async function runNoLoss(options) {
  const log = options.log ?? (() => {});
  const { io } = await import('@switchboard/client');
  const dir = await mkdtemp(join(tmpdir(), 'soak-no-loss-'));
  const logs = [join(dir, 'first.log'), join(dir, 'second.log')];
  /** @param {string} path @param {number} [port] @param {number} [tickBase] */
  const start = (path, port, tickBase) =>
    startSoakServer({ recovery: true, log: path, port, tickEveryMs: TICK_EVERY_MS, tickBase });
  let server = await start(/** @type {string} */ (logs[0]));
  const port = server.port;
  const url = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  /** @type {Array<{ socket: import('@switchboard/client').Socket, acked: number[], failed: number[], ticks: number[], sent: number, doneAtMs: number, connects: number, recovered: number }>} */
  const clients = [];
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let sender;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let faulter;
  let serverKills = 0;
  let clientCloses = 0;
  let restarted = false;
  let restartedAtMs = NaN;
  let finished = false;
  try {
    for (let c = 0; c < options.clients; c++) {
      const socket = io(url, {
        forceNew: true,
        // Half upgrade from polling, half open a WebSocket straight away: faults hit both transports.
        transports: c % 2 === 0 ? ['polling', 'websocket'] : ['websocket'],
        retries: 1_000,
        ackTimeout: 5_000,
        reconnectionDelay: 100,
        reconnectionDelayMax: 1_000,
        randomizationFactor: 0.5,
      });
      const client = {
        socket,
        acked: /** @type {number[]} */ ([]),
        failed: /** @type {number[]} */ ([]),
        ticks: /** @type {number[]} */ ([]),
        sent: 0,
        doneAtMs: NaN,
        connects: 0,
        recovered: 0,
      };
      socket.on('connect', () => {
        client.connects++;
        if (socket.recovered) client.recovered++;
        client.ticks.push(socket.recovered ? RECOVERED_SESSION : NEW_SESSION);
      });
      socket.on('tick', (/** @type {number} */ n) => void client.ticks.push(n));
      clients.push(client);
    }
    if (!(await waitFor(() => clients.every((client) => client.connects > 0), 30_000))) {
      throw new Error(
        `only ${clients.filter((client) => client.connects > 0).length} of ${options.clients} clients connected`,
      );
    }
    log(`no-loss: ${options.clients} clients connected on port ${port}`);

    sender = setInterval(() => {
      for (const [c, client] of clients.entries()) {
        if (client.sent >= options.messagesPerClient) continue;
        const seq = client.sent++;
        // With `retries` the emit is queued: one in flight per client, re-sent until acknowledged.
        client.socket.emit('msg', { c, s: seq }, (/** @type {unknown} */ err) => {
          (err ? client.failed : client.acked).push(seq);
          if (client.acked.length + client.failed.length === options.messagesPerClient)
            client.doneAtMs = performance.now() - startedAt;
        });
      }
    }, options.sendEveryMs);

    faulter = setInterval(() => {
      server.worker.request('killTransports', { count: options.serverKillsPerFault }).then(
        (/** @type {{ killed: number }} */ result) => void (serverKills += result.killed),
        () => {},
      );
      for (let i = 0; i < options.clientClosesPerFault; i++) {
        const client = clients[Math.floor(Math.random() * clients.length)];
        const engine = client?.socket.io.engine;
        if (client?.socket.connected && engine !== undefined) {
          // Closes the Engine.IO connection under the Socket.IO layer: the manager sees a transport close.
          engine.close();
          clientCloses++;
        }
      }
    }, options.faultEveryMs);

    const settled = () =>
      clients.every((client) => client.acked.length + client.failed.length === options.messagesPerClient);
    await waitFor(() => settled() || performance.now() - startedAt >= options.restartAfterMs, options.deadlineMs);
    if (!settled()) {
      log('no-loss: restarting the server on the same port');
      await server.worker.stop();
      server = await start(/** @type {string} */ (logs[1]), port, SECOND_TICK_BASE);
      restarted = true;
      restartedAtMs = Math.round(performance.now() - startedAt);
    }
    finished = await waitFor(settled, Math.max(1, options.deadlineMs - (performance.now() - startedAt)), 50);
  } finally {
    clearInterval(sender);
    clearInterval(faulter);
    for (const client of clients) client.socket.disconnect();
    await server.worker.stop();
  }

  const lines = [];
  for (const path of logs) {
    const text = await readFile(path, 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (line !== '') lines.push(line);
  }
  await rm(dir, { recursive: true, force: true });
  /** @type {number[][]} */
  const receivedBy = clients.map(() => []);
  for (const line of lines) {
    const [c, s] = line.split(' ').map(Number);
    receivedBy[/** @type {number} */ (c)]?.push(/** @type {number} */ (s));
  }
  let lost = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let receivedNotAcknowledged = 0;
  let ticksReceived = 0;
  let ticksMissed = 0;
  let ticksRepeated = 0;
  for (const [c, client] of clients.entries()) {
    const received = receivedBy[c] ?? [];
    const firsts = new Set();
    let last = -1;
    for (const seq of received) {
      if (firsts.has(seq)) {
        duplicates++;
        continue;
      }
      firsts.add(seq);
      // First deliveries of one client must come in the order it emitted them.
      if (seq < last) outOfOrder++;
      last = seq;
    }
    for (const seq of client.acked) if (!firsts.has(seq)) lost++;
    const ticks = countTicks(client.ticks);
    ticksMissed += ticks.missed;
    ticksRepeated += ticks.repeated;
    ticksReceived += ticks.received;
    const acked = new Set(client.acked);
    for (const seq of firsts) if (!acked.has(seq)) receivedNotAcknowledged++;
  }
  return {
    clients: options.clients,
    sent: clients.reduce((sum, client) => sum + client.sent, 0),
    acknowledged: clients.reduce((sum, client) => sum + client.acked.length, 0),
    failed: clients.reduce((sum, client) => sum + client.failed.length, 0),
    received: lines.length,
    lost,
    duplicates,
    outOfOrder,
    receivedNotAcknowledged,
    serverKills,
    clientCloses,
    reconnects: clients.reduce((sum, client) => sum + client.connects - 1, 0),
    recovered: clients.reduce((sum, client) => sum + client.recovered, 0),
    ticksReceived,
    ticksMissed,
    ticksRepeated,
    restarted,
    restartedAtMs,
    finished,
    clientsDoneAtMs: spread(
      clients.map((client) => client.doneAtMs),
      1_000,
    ),
    elapsedMs: Math.round(performance.now() - startedAt),
  };
}

/**
 * Ticks a client missed within one session (across recovered reconnections) and ticks it got twice or backwards.
 * @param {readonly number[]} stream ticks and session markers in the order the client saw them
 */
export function countTicks(stream) {
  let missed = 0;
  let repeated = 0;
  let received = 0;
  /** @type {number | undefined} */
  let previous;
  for (const item of stream) {
    if (item === NEW_SESSION) previous = undefined;
    if (item < 0) continue;
    received++;
    if (previous !== undefined && item <= previous) {
      repeated++;
      continue;
    }
    if (previous !== undefined) missed += item - previous - 1;
    previous = item;
  }
  return { missed, repeated, received };
}
