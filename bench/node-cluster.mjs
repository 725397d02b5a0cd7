// @ts-check
// The node-cluster bench: node:cluster with 2 workers behind sticky routing, 1,000 WebSocket clients (thin raw
// Engine.IO/Socket.IO clients, in this process), broadcasts emitted on worker 0 and delivered by both workers (half
// of them through the node:cluster adapter's IPC relay). Ours (@switchboard/cluster-adapter + @switchboard/sticky)
// side by side with socket.io 4.8 + @socket.io/cluster-adapter + @socket.io/sticky, in the same run, alternating.
// Reports deliveries per second and the CPU of the primary and both workers per 1,000 deliveries (from /proc).
// Usage: node --conditions=switchboard-source --import tsx bench/node-cluster.mjs [--clients 1000] [--broadcasts 200] [--rounds 3]
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const CLIENTS = arg('clients', 1000);
const BROADCASTS = arg('broadcasts', 200);
const ROUNDS = arg('rounds', 3);
/** Every step is bounded: a stack that cannot finish a round in this long fails the run. */
const STEP_TIMEOUT_MS = 60_000;
const APP = fileURLToPath(new URL('../tests/cluster/cluster-app.ts', import.meta.url));
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** @param {'switchboard' | 'socket.io'} impl */
async function startApp(impl) {
  const config = {
    workers: [
      { server: impl, adapter: impl },
      { server: impl, adapter: impl },
    ],
    primary: impl,
    loadBalancingMethod: 'round-robin',
    requestsTimeout: 5000,
    heartbeatInterval: 5000,
    heartbeatTimeout: 10000,
    pingInterval: 25000,
    respawn: false,
  };
  const child = fork(APP, [], {
    execArgv: ['--conditions=switchboard-source', '--import', 'tsx'],
    env: { ...process.env, CLUSTER_APP_CONFIG: JSON.stringify(config) },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pids = [child.pid];
  let nextId = 1;
  const pending = new Map();
  const port = await new Promise((resolve, reject) => {
    let listening;
    let ready = 0;
    const timer = setTimeout(() => reject(new Error(`${impl}: no start`)), STEP_TIMEOUT_MS);
    child.on('message', (m) => {
      if (m.kind === 'ready') listening = m.port;
      if (m.kind === 'worker-ready') (pids.push(m.pid), ready++);
      if (m.kind === 'reply') pending.get(m.id)?.(m);
      if (listening !== undefined && ready === 2) (clearTimeout(timer), resolve(listening));
    });
  });
  /** @param {number} worker @param {string} op @param {unknown[]} args */
  const call = (worker, op, ...args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`${impl}: ${op} timed out`)), STEP_TIMEOUT_MS);
      pending.set(id, (m) => (clearTimeout(timer), m.ok ? resolve(m.value) : reject(new Error(m.message))));
      child.send({ kind: 'command', id, worker, op, args });
    });
  const close = () => new Promise((resolve) => (child.once('exit', resolve), child.disconnect()));
  return { port, pids, call, close };
}

/** CPU ticks (user + system) of the processes so far. */
function cpuTicks(pids) {
  let total = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += Number(fields[11]) + Number(fields[12]);
  }
  return total;
}

/** Thin clients: Engine.IO v4 over WebSocket, the Socket.IO CONNECT, pong, and a count of EVENT packets. */
async function connectClients(port, count) {
  const state = { delivered: 0, retries: 0, sockets: /** @type {WebSocket[]} */ ([]) };
  const url = `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;
  /** One client; a connection that has not completed the CONNECT after 10 s is dropped and opened again (counted). */
  const open = (deadline) =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const retry = setTimeout(() => {
        ws.terminate();
        state.retries++;
        if (Date.now() > deadline) reject(new Error(`a client did not connect on port ${port}`));
        else open(deadline).then(resolve, reject);
      }, 10_000);
      ws.on('message', (data) => {
        const text = data.toString();
        if (text.startsWith('42')) state.delivered++;
        else if (text === '2') ws.send('3');
        else if (text.startsWith('0')) ws.send('40');
        else if (text.startsWith('40')) {
          clearTimeout(retry);
          state.sockets.push(ws);
          resolve(undefined);
        }
      });
      ws.on('error', () => {});
    });
  for (let start = 0; start < count; start += 100) {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    await Promise.all(Array.from({ length: Math.min(100, count - start) }, () => open(deadline)));
  }
  return state;
}

async function waitFor(check, what) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${STEP_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** @param {'switchboard' | 'socket.io'} impl */
async function measure(impl) {
  const app = await startApp(impl);
  try {
    const clients = await connectClients(app.port, CLIENTS);
    const perWorker = await Promise.all([app.call(0, 'clientsCount'), app.call(1, 'clientsCount')]);
    // Warm-up round, not measured.
    await app.call(0, 'burst', 20);
    await waitFor(() => clients.delivered >= 20 * CLIENTS, `${impl} warm-up`);
    const results = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = clients.delivered;
      const expected = before + BROADCASTS * CLIENTS;
      const cpuBefore = cpuTicks(app.pids);
      const startedAt = process.hrtime.bigint();
      await app.call(0, 'burst', BROADCASTS);
      await waitFor(() => clients.delivered >= expected, `${impl} round ${round}`);
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const cpuSeconds = (cpuTicks(app.pids) - cpuBefore) / TICKS_PER_SECOND;
      const deliveries = clients.delivered - before;
      results.push({ rate: deliveries / seconds, cpuMsPer1000: (cpuSeconds * 1000 * 1000) / deliveries });
    }
    for (const ws of clients.sockets) ws.terminate();
    return { perWorker, results, connectRetries: clients.retries };
  } finally {
    await app.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = {};
for (const impl of /** @type {const} */ (['switchboard', 'socket.io'])) out[impl] = await measure(impl);
const row = (impl) => {
  const r = out[impl].results;
  return {
    rate: median(r.map((x) => x.rate)),
    cpu: median(r.map((x) => x.cpuMsPer1000)),
    perWorker: out[impl].perWorker,
    connectRetries: out[impl].connectRetries,
    rounds: r,
  };
};
const ours = row('switchboard');
const theirs = row('socket.io');
console.log(JSON.stringify({ clients: CLIENTS, broadcasts: BROADCASTS, rounds: ROUNDS, ours, theirs }, null, 2));
console.log(`node-cluster, ${CLIENTS} clients on 2 workers, ${BROADCASTS} broadcasts per round (median of ${ROUNDS}):`);
console.log(
  `  deliveries/s      ours ${ours.rate.toFixed(0)}  socket.io ${theirs.rate.toFixed(0)}  ratio ${(ours.rate / theirs.rate).toFixed(2)}x (target >= 2x)`,
);
console.log(
  `  CPU ms / 1,000    ours ${ours.cpu.toFixed(2)}  socket.io ${theirs.cpu.toFixed(2)}  ratio ${(ours.cpu / theirs.cpu).toFixed(2)}x (target <= 0.5x)`,
);
console.log(`  load average      ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
