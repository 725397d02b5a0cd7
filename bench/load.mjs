// @ts-check
// Load-generator process of a trial: opens clients of one implementation against the server's port and runs what
// the runner asks (connect, hold idle, count broadcasts, echo with acks), reporting its own measurements over IPC.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { measureMemory, serve } from './lib/ipc.mjs';
import { ECHO_PAYLOAD } from './lib/payloads.mjs';
import { percentile } from './lib/stats.mjs';

const { values } = parseArgs({
  // --client lib: the implementation's own client library; thin: a wire-level client identical for every Socket.IO
  // server; counting: thin clients that only count broadcast frames.
  options: { impl: { type: 'string' }, port: { type: 'string' }, client: { type: 'string', default: 'lib' } },
});
const impl = values.impl ?? '';
const port = Number(values.port);
if (!(port > 0)) throw new Error(`load: bad --port "${values.port}"`);

/** @returns {Promise<(port: number, options: import('./clients/sio.mjs').ConnectOptions) => Promise<import('./clients/sio.mjs').BenchClient>>} */
async function loadConnector() {
  // The handshake floor (ws-sio) has no client library: the thin wire-level client is the one that speaks to it.
  if (impl === 'ws-sio' || (values.client === 'thin' && (impl === 'ours' || impl === 'socketio'))) {
    return (await import('./clients/ws.mjs')).connectThinEcho;
  }
  switch (impl) {
    case 'ours':
      return (await import('./clients/sio.mjs')).sioConnector((await import('@switchboard/client')).io);
    case 'socketio':
      return (await import('./clients/sio.mjs')).sioConnector((await import('socket.io-client')).io);
    case 'ws':
    case 'ws-cork':
      return (await import('./clients/ws.mjs')).connectWs;
    default:
      throw new Error(`load: unknown --impl "${impl}"`);
  }
}

const { connectCounting } = await import('./clients/ws.mjs');
const connectLib = values.client === 'counting' ? undefined : await loadConnector();
const protocol = impl === 'ws' || impl === 'ws-cork' ? 'raw' : 'socketio';

/** @type {import('./clients/sio.mjs').BenchClient[]} */
const clients = [];
/** @type {import('./clients/ws.mjs').CountingClient[]} */
const counters = [];

/**
 * Opens `n` clients, at most `concurrency` handshakes in flight; failures are counted, not retried. With `roomEvery`
 * (counting clients on a cluster node), every roomEvery-th client asks to join the room.
 * @param {{ n: number, concurrency: number, transports: 'websocket' | 'polling' | 'default', waitUpgrade: boolean, timeoutMs: number, roomEvery?: number }} args
 */
async function connect({ n, concurrency, transports, waitUpgrade, timeoutMs, roomEvery }) {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  /** @type {string | undefined} */
  let firstError;
  const lane = async () => {
    while (next < n) {
      const index = next++;
      try {
        if (connectLib === undefined) {
          const inRoom = roomEvery !== undefined && index % roomEvery === 0;
          counters.push(await connectCounting(port, { protocol, timeoutMs, inRoom }));
        } else clients.push(await connectLib(port, { transports, waitUpgrade, timeoutMs }));
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return { connected: n - failed, failed, firstError, wallMs: performance.now() - started };
}

/**
 * Sets every counting client to expect `target` more deliveries of `kind`; resolves when all have them (a wall-clock
 * timestamp comparable across processes) or when `timeoutMs` passes, with what is missing. With scope 'room' only the
 * clients that joined the room expect them, and a delivery to any other is counted as unexpected. With `latency`
 * every client notes when each broadcast arrived (see `latencies`).
 * @param {{ kind: 'json' | 'binary', target: number, timeoutMs: number, scope?: 'all' | 'room', latency?: boolean }} args
 */
function expectDeliveries({ kind, target, timeoutMs, scope = 'all', latency = false }) {
  const expecting = counters.filter((client) => scope === 'all' || client.inRoom);
  let waiting = expecting.length;
  /** @type {(value: unknown) => void} */
  let finish = () => {};
  const finished = new Promise((resolve) => {
    finish = resolve;
  });
  for (const client of counters) {
    const expects = scope === 'all' || client.inRoom;
    client.events = 0;
    client.binaryFrames = 0;
    client.lastSeq = -1;
    client.outOfOrder = 0;
    client.counted = kind === 'binary' ? 'binaryFrames' : 'events';
    // A client outside the room never reaches -1: it must stay at 0.
    client.target = expects ? target : -1;
    client.arrivals = latency && expects ? new Float64Array(target).fill(NaN) : undefined;
    client.onReached = () => {
      if (--waiting === 0) finish(undefined);
    };
  }
  if (waiting === 0) finish(undefined);
  // The runner first awaits this answer (counters are armed), then starts the broadcast and awaits `done`.
  pendingDone = (async () => {
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    await finished;
    const doneAt = performance.timeOrigin + performance.now();
    clearTimeout(timer);
    let received = 0;
    let mismatched = 0;
    let outOfOrder = 0;
    let unexpected = 0;
    for (const client of counters) {
      const count = client[client.counted];
      if (client.target < 0) unexpected += count;
      else received += Math.min(count, target);
      outOfOrder += client.outOfOrder;
      // A binary broadcast is a "45" header plus one attachment frame; both must have arrived.
      if (kind === 'binary' && protocol === 'socketio' && client.events !== client.binaryFrames) mismatched++;
    }
    return {
      received,
      expected: target * expecting.length,
      lost: target * expecting.length - received,
      mismatched,
      outOfOrder,
      unexpected,
      doneAt,
    };
  })();
  return { armed: counters.length, expecting: expecting.length };
}
/** @type {Promise<unknown> | undefined} */
let pendingDone;

/**
 * The latency of every delivery noted since `expect` with `latency`: arrival minus `sentAt[seq]`, the sender's
 * wall-clock time of broadcast `seq`, in milliseconds rounded to the microsecond (the clocks are one machine's).
 * @param {{ sentAt: number[] }} args
 */
function latencies({ sentAt }) {
  /** @type {number[]} */
  const result = [];
  for (const client of counters) {
    const arrivals = client.arrivals;
    if (arrivals === undefined) continue;
    for (let seq = 0; seq < arrivals.length; seq++) {
      const arrived = /** @type {number} */ (arrivals[seq]);
      const sent = sentAt[seq];
      if (Number.isFinite(arrived) && sent !== undefined) result.push(Math.round((arrived - sent) * 1000) / 1000);
    }
    client.arrivals = undefined;
  }
  return { latencies: result };
}

/**
 * Open-loop echo: emits at `rate` per second spread over all clients for `durationMs`, timing each ack from its
 * scheduled send time (so a stalled loop shows up as latency), then waits up to `drainMs` for late acks.
 * @param {{ rate: number, durationMs: number, drainMs: number }} args
 */
async function echoOpenLoop({ rate, durationMs, drainMs }) {
  if (clients.length === 0) throw new Error('echo: no clients');
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const rtt = new Float64Array(total).fill(NaN);
  let issued = 0;
  let acked = 0;
  // Message i goes to client i % clients.length, so each client's acks must come back in increasing i.
  const lastAcked = new Float64Array(clients.length).fill(-1);
  let outOfOrder = 0;
  const started = performance.now();
  /** @type {(value: unknown) => void} */
  let allAcked = () => {};
  const drained = new Promise((resolve) => {
    allAcked = resolve;
  });
  /** @param {boolean} [last] the run's time is up: whatever is still unsent goes now */
  const issue = (last = false) => {
    const due = last ? total : Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; issued < due; issued++) {
      const index = issued;
      const scheduled = started + (index * 1000) / rate;
      const slot = index % clients.length;
      const client = /** @type {import('./clients/sio.mjs').BenchClient} */ (clients[slot]);
      client.emitAck(ECHO_PAYLOAD, () => {
        rtt[index] = performance.now() - scheduled;
        if (index < (lastAcked[slot] ?? -1)) outOfOrder++;
        else lastAcked[slot] = index;
        if (++acked === total) allAcked(undefined);
      });
    }
  };
  // The load generator's own event-loop delay: when it is high, round trips include the generator's backlog.
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const ticker = setInterval(issue, 1);
  // Timers may fire a fraction of a millisecond before performance.now() says the time is up.
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  issue(true);
  clearInterval(ticker);
  const issuedMs = performance.now() - started;
  const drainTimer = setTimeout(() => allAcked(undefined), drainMs);
  await drained;
  clearTimeout(drainTimer);
  lag.disable();
  return {
    loadLagP99Ms: lag.percentile(99) / 1e6,
    offered: rate,
    sent: issued,
    acked,
    lost: total - acked,
    outOfOrder,
    achievedRate: (acked * 1000) / Math.max(issuedMs, durationMs),
    p50Ms: percentile(rtt, 50),
    p99Ms: percentile(rtt, 99),
    maxMs: percentile(rtt, 100),
  };
}

/**
 * Round trips with one message in flight: the first client emits, waits for the ack and emits again, `count` times
 * after `warmup` unmeasured ones, for at most `timeoutMs`. The server's own latency per message, without an open-loop
 * generator's ticks or a burst's queue in it.
 * @param {{ count: number, warmup: number, timeoutMs: number }} args
 */
async function echoRoundTrips({ count, warmup, timeoutMs }) {
  const client = clients[0];
  if (client === undefined) throw new Error('echo-rtt: no clients');
  const deadline = performance.now() + timeoutMs;
  /** @returns {Promise<number>} */
  const once = () =>
    new Promise((resolve, reject) => {
      const start = performance.now();
      const timer = setTimeout(() => reject(new Error('echo-rtt: an ack did not come back within 5 s')), 5_000);
      client.emitAck(ECHO_PAYLOAD, () => {
        clearTimeout(timer);
        resolve(performance.now() - start);
      });
    });
  for (let i = 0; i < warmup && performance.now() < deadline; i++) await once();
  const rtt = new Float64Array(count).fill(NaN);
  let done = 0;
  for (; done < count && performance.now() < deadline; done++) rtt[done] = await once();
  const measured = rtt.subarray(0, done);
  return { roundTrips: done, p50Ms: percentile(measured, 50), p99Ms: percentile(measured, 99) };
}

/**
 * Closed-loop echo: every client emits its next echo when the previous ack arrives, until `durationMs` passes.
 * @param {{ durationMs: number }} args
 */
async function echoClosedLoop({ durationMs }) {
  if (clients.length === 0) throw new Error('echo-loop: no clients');
  const started = performance.now();
  const deadline = started + durationMs;
  let echoes = 0;
  /** @type {NodeJS.Timeout | undefined} */
  let giveUp;
  // A lost ack would stall its client's loop forever: the run ends a few seconds past the deadline regardless.
  const stalled = new Promise((resolve) => {
    giveUp = setTimeout(resolve, durationMs + 5_000);
  });
  const loops = Promise.all(
    clients.map(
      (client) =>
        new Promise((resolve) => {
          const step = () => {
            if (performance.now() >= deadline) return resolve(undefined);
            client.emitAck(ECHO_PAYLOAD, () => {
              echoes++;
              step();
            });
          };
          step();
        }),
    ),
  );
  await Promise.race([loops, stalled]);
  clearTimeout(giveUp);
  const wallMs = performance.now() - started;
  return { echoes, wallMs, rate: (echoes * 1000) / wallMs };
}

serve(
  {
    connect,
    memory: async () => ({ ...(await measureMemory()), clients: clients.length + counters.length }),
    expect: expectDeliveries,
    latencies,
    done: () => {
      if (pendingDone === undefined) throw new Error('done before expect');
      return pendingDone;
    },
    echo: echoOpenLoop,
    'echo-loop': echoClosedLoop,
    'echo-rtt': echoRoundTrips,
    close: () => {
      for (const client of clients) client.close();
      for (const client of counters) client.close();
      clients.length = 0;
      counters.length = 0;
    },
  },
  { pid: process.pid },
);
