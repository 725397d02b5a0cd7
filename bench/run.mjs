// @ts-check
// Benchmark runner: `npm run bench -- <scenario|all> [--vs socketio,ws] [--quick]`. Runs every implementation in
// turn (A B A B ...), each trial in fresh server and load processes on 127.0.0.1, then prints medians, ratios and
// verdicts and writes JSON and an SVG chart to bench/results/ (and bench/latest/ for a full run).
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE, parseArgs } from './lib/args.mjs';
import { formatMarkdownTable, formatTable, replaceResultsSection, summarizeMetric } from './lib/report.mjs';
import { renderChart } from './lib/svg.mjs';
import { SCENARIO_DEFS } from './scenarios/index.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @param {string} line */
const log = (line) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/**
 * Whether ours can run from its built dist: both packages built and exporting the socket.io entry points.
 * @returns {Promise<string | undefined>} why not, or undefined when it can
 */
async function whyOursCannotRun() {
  for (const name of ['server', 'client']) {
    if (!existsSync(join(root, 'packages', name, 'dist', 'index.js')))
      return `packages/${name}/dist is missing (npx tsc -b)`;
  }
  try {
    const server = await import('@switchboard/server');
    const client = await import('@switchboard/client');
    if (typeof server.Server !== 'function') return '@switchboard/server exports no Server';
    if (typeof client.io !== 'function') return '@switchboard/client exports no io';
  } catch (error) {
    return `loading ours failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

/** @returns {Record<string, string>} */
function versions() {
  /** @param {string} name */
  const version = (name) => {
    try {
      return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return 'missing';
    }
  };
  return {
    node: process.version,
    'socket.io': version('socket.io'),
    'socket.io-client': version('socket.io-client'),
    ws: version('ws'),
  };
}

/** `node-cluster` runs on its own (bench/node-cluster.mjs): node:cluster processes, not the trial machinery. */
async function runNodeCluster() {
  const { spawn } = await import('node:child_process');
  const child = spawn(
    process.execPath,
    [
      '--conditions=switchboard-source',
      '--import',
      'tsx',
      join(root, 'bench', 'node-cluster.mjs'),
      ...process.argv.slice(3),
    ],
    { stdio: 'inherit' },
  );
  return new Promise((resolveCode) => child.on('exit', (code) => resolveCode(code ?? 1)));
}

async function main() {
  if (process.argv[2] === 'node-cluster') return runNodeCluster();
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const skipped = {};
  if (options.impls.includes('ours')) {
    const why = await whyOursCannotRun();
    if (why !== undefined) {
      log(`leaving ours out: ${why}`);
      skipped.ours = why;
      options.impls = options.impls.filter((impl) => impl !== 'ours');
    }
  }

  if (options.profile) {
    const dir = resolve(root, options.outDir, 'profiles');
    await mkdir(dir, { recursive: true });
    process.env.BENCH_PROFILE_DIR = dir;
    log(`profiles go to ${dir}`);
  }
  const startedAt = new Date();
  /** @type {import('./lib/report.mjs').MetricResult[]} */
  const results = [];
  /** @type {{ scenario: string, impl: string, round: number, error: string }[]} */
  const failures = [];
  for (const name of options.scenarios) {
    const def = SCENARIO_DEFS[name];
    // ours-compat is ours on another adapter: it runs wherever a scenario offers it and ours runs.
    const impls = def.impls.filter((impl) => options.impls.includes(impl === 'ours-compat' ? 'ours' : impl));
    const rounds = Math.min(def.maxRounds ?? options.rounds, options.rounds);
    /** @type {Record<string, Partial<Record<import('./lib/args.mjs').Impl, number[]>>>} */
    const samples = Object.fromEntries(def.metrics.map((m) => [m.id, {}]));
    /**
     * @param {import('./lib/args.mjs').Impl} impl
     * @param {Record<string, number>} values
     */
    const record = (impl, values) => {
      for (const [id, value] of Object.entries(values)) {
        const perImpl = samples[id];
        if (perImpl === undefined || !Number.isFinite(value)) continue;
        (perImpl[impl] ??= []).push(value);
      }
    };
    /**
     * @param {string} who
     * @param {number} round
     * @param {unknown} error
     */
    const fail = (who, round, error) => {
      const text = error instanceof Error ? error.message : String(error);
      log(`${def.title}: ${who} failed: ${text}`);
      failures.push({ scenario: name, impl: who, round, error: text });
    };
    for (let round = 1; round <= rounds; round++) {
      if (def.runRound !== undefined) {
        log(`${def.title}: ${impls.join(', ')}, round ${round}/${rounds}`);
        try {
          const perImpl = await def.runRound(impls, { quick: options.quick, log });
          for (const impl of impls) record(impl, perImpl[impl] ?? {});
        } catch (error) {
          fail(impls.join(','), round, error);
        }
        continue;
      }
      for (const impl of impls) {
        log(`${def.title}: ${impl}, round ${round}/${rounds}`);
        try {
          record(impl, await def.run(impl, { quick: options.quick, log }));
        } catch (error) {
          fail(impl, round, error);
        }
      }
    }
    for (const metric of def.metrics) results.push(summarizeMetric(metric, name, samples[metric.id] ?? {}));
  }

  const finishedAt = new Date();
  const table = formatTable(results);
  process.stdout.write(`\n${table}\n\n`);
  if (failures.length > 0) process.stdout.write(`${failures.length} trial(s) failed; see the log above.\n`);

  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
    quick: options.quick,
    rounds: options.rounds,
    machine,
    versions: versions(),
    skipped,
    failures,
    metrics: results,
  };
  const subtitle = `${report.command} · ${machine.cpus} cores · node ${process.version} · medians of ${options.rounds} round(s) · ${startedAt.toISOString().slice(0, 16)}Z`;
  const svg = renderChart(results, { title: 'Switchboard vs socket.io 4.8 and raw ws', subtitle });
  const outDir = resolve(root, options.outDir);
  await mkdir(outDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const jsonPath = join(outDir, `${stamp}.json`);
  const svgPath = join(outDir, `${stamp}.svg`);
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(svgPath, svg);
  await copyFile(jsonPath, join(outDir, 'latest.json'));
  await copyFile(svgPath, join(outDir, 'latest.svg'));
  log(`wrote ${jsonPath} and ${svgPath}`);
  if (options.saveLatest) {
    const latest = join(root, 'bench', 'latest');
    await mkdir(latest, { recursive: true });
    await copyFile(jsonPath, join(latest, 'results.json'));
    await copyFile(svgPath, join(latest, 'results.svg'));
    await writeFile(join(latest, 'results.txt'), `${report.command}\n${subtitle}\n\n${table}\n`);
    const readmePath = join(root, 'bench', 'README.md');
    const readme = await readFile(readmePath, 'utf8');
    const section = `\`${report.command}\` — ${subtitle.split(' · ').slice(1).join(' · ')}\n\n${formatMarkdownTable(results)}`;
    await writeFile(readmePath, replaceResultsSection(readme, section));
    // The project README shows the targeted rows of the same run, with the chart.
    const rootReadmePath = join(root, 'README.md');
    const rootReadme = await readFile(rootReadmePath, 'utf8');
    const targeted = results.filter((r) => r.target !== undefined);
    const summary = `\`${report.command}\` — ${subtitle.split(' · ').slice(1).join(' · ')}\n\n${formatMarkdownTable(targeted)}`;
    await writeFile(rootReadmePath, replaceResultsSection(rootReadme, summary));
    log(`copied the results to ${latest}, into bench/README.md and the targeted rows into README.md`);
  }
  return failures.length > 0 ? 1 : 0;
}

process.exitCode = await main();
