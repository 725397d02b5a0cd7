// @ts-check
// How a server's CPU per WebSocket connect falls as V8 compiles its per-connection code, batch after batch: the
// evidence for where the connect scenario takes its warm measurement. Same processes, clients and IPC as the connect
// scenario; every batch of 1,000 connects is measured, and each is closed (unmeasured) before the next.
// Usage: node bench/connect-curve.mjs [--impls ours,socketio,ws-sio] [--batches 12] [--rounds 3]
import { parseArgs } from 'node:util';
import { median } from './lib/stats.mjs';
import { connectBatches } from './lib/connect-batches.mjs';
import { startLoads, startServer, stopAll } from './lib/trial.mjs';

const { values } = parseArgs({
  options: {
    impls: { type: 'string', default: 'ours,socketio,ws-sio' },
    batches: { type: 'string', default: '12' },
    rounds: { type: 'string', default: '3' },
  },
});
const impls = /** @type {import('./lib/args.mjs').Impl[]} */ ((values.impls ?? '').split(','));
const batches = Number(values.batches);
const rounds = Number(values.rounds);
const BATCH = 1_000;
const WARMUP = 100;

/**
 * One trial: a fresh server and load process; returns the server's CPU per connect of each batch, in µs.
 * @param {import('./lib/args.mjs').Impl} impl
 */
async function curve(impl) {
  const { server, port } = await startServer(impl, {});
  /** @type {import('./lib/ipc.mjs').Worker[]} */
  let loads = [];
  try {
    loads = await startLoads(impl, port, 1);
    const [load] = /** @type {[import('./lib/ipc.mjs').Worker]} */ (loads);
    const connectArgs = { concurrency: 20, transports: 'websocket', waitUpgrade: false, timeoutMs: 20_000 };
    const { closeAll, unmeasured, measured } = connectBatches(server, load, connectArgs, BATCH);
    await unmeasured(WARMUP);
    /** @type {number[]} */
    const perBatch = [];
    for (let i = 0; i < batches; i++) {
      perBatch.push((await measured()).cpu);
      await closeAll();
    }
    return perBatch;
  } finally {
    await stopAll(loads, server);
  }
}

/** @type {Map<string, number[][]>} */
const trials = new Map(impls.map((impl) => [impl, []]));
for (let round = 1; round <= rounds; round++) {
  for (const impl of impls) {
    process.stderr.write(`[connect-curve] ${impl}, round ${round}/${rounds}\n`);
    const perBatch = await curve(impl);
    process.stderr.write(`[connect-curve] ${impl}: ${perBatch.map((v) => v.toFixed(0)).join(' ')}\n`);
    trials.get(impl)?.push(perBatch);
  }
}
const header = ['connects before the batch', ...impls.map((impl) => `${impl} µs`)];
if (impls.includes('ours') && impls.includes('socketio')) header.push('ours/socket.io');
process.stdout.write(`| ${header.join(' | ')} |\n| ${header.map(() => '---:').join(' | ')} |\n`);
for (let i = 0; i < batches; i++) {
  /** @type {Record<string, number>} */
  const row = {};
  for (const impl of impls) row[impl] = median((trials.get(impl) ?? []).map((t) => t[i] ?? NaN));
  const cells = [String(WARMUP + i * BATCH), ...impls.map((impl) => (row[impl] ?? NaN).toFixed(0))];
  if (row['ours'] !== undefined && row['socketio'] !== undefined)
    cells.push(`${(row['ours'] / row['socketio']).toFixed(2)}x`);
  process.stdout.write(`| ${cells.join(' | ')} |\n`);
}
