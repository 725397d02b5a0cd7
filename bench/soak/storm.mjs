// @ts-check
// Reconnect storm: many clients (spread over several processes) connected, the server killed and started again on the
// same port. Every client must be back within its back-off window, the server must keep answering a probe's echo
// during the storm, and the spread of reconnection times shows the jitter of randomizationFactor.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from '../lib/ipc.mjs';
import { split } from '../lib/trial.mjs';
import { childNodeArgs, spread, startSoakServer, waitFor } from './harness.mjs';

const CLIENT_SCRIPT = fileURLToPath(new URL('./storm-clients.mjs', import.meta.url));

/**
 * @typedef {{
 *   clients: number,
 *   processes: number,
 *   reconnectionDelay: number,
 *   reconnectionDelayMax: number,
 *   randomizationFactor: number,
 *   slackMs: number,
 *   bucketMs: number,
 *   clientImpl?: 'ours' | 'socketio',
 *   log?: (line: string) => void,
 * }} StormOptions
 */

/** @type {StormOptions} */
export const STORM_LONG = {
  clients: 3_000,
  processes: 3,
  reconnectionDelay: 1_000,
  reconnectionDelayMax: 5_000,
  randomizationFactor: 0.5,
  slackMs: 5_000,
  bucketMs: 250,
};

/**
 * Runs the storm and returns its figures; `withinWindow` is whether every client was back by the bound
 * (server ready + reconnectionDelayMax + slackMs), the one thing the caller asserts besides the probe answering.
 * @param {StormOptions} options
 */
export async function runStorm(options) {
  const log = options.log ?? (() => {});
  const { io } = await import('@switchboard/client');
  let server = await startSoakServer({});
  const port = server.port;
  /** @type {Worker[]} */
  const loads = [];
  /** @type {import('@switchboard/client').Socket | undefined} */
  let probe;
  try {
    for (let i = 0; i < options.processes; i++) {
      loads.push(
        new Worker(`storm clients ${i + 1}`, CLIENT_SCRIPT, ['--impl', options.clientImpl ?? 'ours'], {
          nodeArgs: childNodeArgs(),
          readyTimeoutMs: 90_000,
        }),
      );
    }
    await Promise.all(loads.map((load) => load.ready));
    const counts = split(options.clients, options.processes);
    const connectArgs = {
      port,
      reconnectionDelay: options.reconnectionDelay,
      reconnectionDelayMax: options.reconnectionDelayMax,
      randomizationFactor: options.randomizationFactor,
      timeoutMs: 60_000,
    };
    const connected = await Promise.all(
      loads.map((load, i) => load.request('connect', { ...connectArgs, count: counts[i] }, 90_000)),
    );
    const total = connected.reduce((sum, result) => sum + result.connected, 0);
    if (total !== options.clients) throw new Error(`only ${total} of ${options.clients} clients connected`);
    log(`storm: ${total} clients connected in ${options.processes} processes; killing the server`);

    await Promise.all(loads.map((load) => load.request('mark')));
    const killedAt = Date.now();
    await server.worker.stop();
    server = await startSoakServer({ port });
    const readyAt = Date.now();
    log(`storm: server back after ${readyAt - killedAt} ms`);

    // The probe is a fresh client of the new server: its echo round trips measure how the server answers mid-storm.
    probe = io(`http://127.0.0.1:${port}`, {
      forceNew: true,
      transports: ['websocket'],
      reconnectionDelay: 50,
      randomizationFactor: 0,
    });
    const probeSocket = probe;
    /** @type {number[]} */
    const roundTrips = [];
    let probeErrors = 0;
    let probing = true;
    const probeLoop = (async () => {
      await waitFor(() => probeSocket.connected, 30_000, 5);
      while (probing) {
        const sentAt = performance.now();
        try {
          await probeSocket.timeout(10_000).emitWithAck('echo', sentAt);
          roundTrips.push(performance.now() - sentAt);
        } catch {
          probeErrors++;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const bound = options.reconnectionDelayMax + options.slackMs;
    /** @returns {Promise<number>} */
    const back = async () =>
      (await Promise.all(loads.map((load) => load.request('status')))).reduce((sum, s) => sum + s.back, 0);
    const allBack = await waitFor(async () => (await back()) === options.clients, bound + 30_000, 100);
    const stormEndedAt = Date.now();
    // The new server process started at the restart: its whole CPU time is what starting and the storm cost it.
    const serverUsage = await server.worker.request('usage');
    const clientUsage = await Promise.all(loads.map((load) => load.request('usage')));
    // A short storm can end before the probe's first answer: it must still have been answered once.
    await waitFor(() => roundTrips.length + probeErrors > 0, 30_000);
    probing = false;
    await probeLoop;

    /** @type {Array<{ lostAt?: number, firstAttemptAt?: number, backAt?: number, attempts: number }>} */
    const times = (await Promise.all(loads.map((load) => load.request('times', {}, 60_000)))).flat();
    const backTimes = times.flatMap((t) => (t.backAt === undefined ? [] : [t.backAt - killedAt]));
    const firstAttemptDelays = times.flatMap((t) =>
      t.lostAt === undefined || t.firstAttemptAt === undefined ? [] : [t.firstAttemptAt - t.lostAt],
    );
    const attempts = spread(
      times.map((t) => t.attempts),
      1,
    );
    const lateClients = times.filter((t) => t.backAt === undefined || t.backAt > readyAt + bound).length;
    return {
      clients: options.clients,
      processes: options.processes,
      downtimeMs: readyAt - killedAt,
      stormMs: stormEndedAt - killedAt,
      allBack,
      notBack: times.filter((t) => t.backAt === undefined).length,
      lateClients,
      boundAfterReadyMs: bound,
      withinWindow: allBack && lateClients === 0,
      backAfterKill: spread(backTimes, options.bucketMs),
      firstAttemptDelay: spread(firstAttemptDelays, options.bucketMs),
      attempts: { p50: attempts.p50, p99: attempts.p99, max: attempts.max, histogram: attempts.histogram },
      probe: { roundTrips: roundTrips.length, errors: probeErrors, ...spread(roundTrips, 10) },
      clientImpl: options.clientImpl ?? 'ours',
      serverCpuMs: serverUsage.cpuMs,
      clientCpuMs: clientUsage.reduce((sum, usage) => sum + usage.cpuMs, 0),
      clientLoopDelayMs: clientUsage.map((usage) => usage.loopDelayMs),
      loadAverage: loadavg().map((value) => Math.round(value * 10) / 10),
    };
  } finally {
    probe?.disconnect();
    await Promise.allSettled(loads.map((load) => load.request('close').catch(() => {})));
    await Promise.allSettled(loads.map((load) => load.stop()));
    await server.worker.stop();
  }
}
