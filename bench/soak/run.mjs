// @ts-check
// Soak runner: `node bench/soak/run.mjs <no-loss|storm|storm-compare|leaks|all>` runs the long forms (after `npx tsc -b`: ours runs
// from dist/), prints each result as JSON and writes it to bench/results/soak-<name>.json. The short forms run in
// `npm test` (tests/bench/soak-*.test.ts). Figures of the last long runs: bench/NOTES.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LEAKS_LONG, runLeaks } from './leaks.mjs';
import { NO_LOSS_LONG, runNoLoss } from './no-loss.mjs';
import { STORM_LONG, runStorm } from './storm.mjs';

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
/** @param {string} line */
const log = (line) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** @type {Record<string, () => Promise<unknown>>} */
const SCENARIOS = {
  'no-loss': () => runNoLoss({ ...NO_LOSS_LONG, log }),
  storm: () => runStorm({ ...STORM_LONG, log }),
  // The same storm with socket.io-client 4.8 right after ours, against our server: the same machine and load, so a
  // miss that both share is the machine's, and one only ours has is our client's.
  'storm-compare': async () => ({
    ours: await runStorm({ ...STORM_LONG, clientImpl: 'ours', log }),
    socketio: await runStorm({ ...STORM_LONG, clientImpl: 'socketio', log }),
  }),
  leaks: async () => ({
    ours: await runLeaks({ ...LEAKS_LONG, impl: 'ours', log }),
    socketio: await runLeaks({ ...LEAKS_LONG, impl: 'socketio', log }),
  }),
};

const wanted = process.argv[2] ?? 'all';
const names = wanted === 'all' ? Object.keys(SCENARIOS) : [wanted];
for (const name of names) {
  const run = SCENARIOS[name];
  if (run === undefined) {
    process.stderr.write(`usage: node bench/soak/run.mjs <${Object.keys(SCENARIOS).join('|')}|all>\n`);
    process.exit(2);
  }
  log(`${name}: starting`);
  const startedAt = new Date().toISOString();
  const result = await run();
  const report = { scenario: name, startedAt, finishedAt: new Date().toISOString(), node: process.version, result };
  await mkdir(resultsDir, { recursive: true });
  await writeFile(`${resultsDir}soak-${name}.json`, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
