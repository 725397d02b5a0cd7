// The long fuzz run behind bench/fuzz.mjs: the decoder corpus through every decoder, then the endpoint corpus against
// our server and socket.io 4.8 at once, bounded by case counts and seconds; prints one summary table per part.
// Usage: node --conditions=switchboard-source --import tsx tests/fuzz/cli.ts [--cases N] [--endpoint-cases N]
//        [--seconds S] [--seed N] [--only decoders|endpoints] [--max-buffer BYTES (default 1e6, as deployed)]
//        or, to rerun chosen endpoint cases of a run one by one: --seed N --replay http:1016,ws:3 [--repeat N]
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { decoderCase, GOLDEN_COUNTS } from './decoder-corpus.js';
import { DECODER_TARGETS, judge } from './decoder-targets.js';
import { httpCase, wsCase } from './endpoint-corpus.js';
import { type EndpointReport, fuzzEndpoints, type Implementation, startTarget } from './endpoint-driver.js';
import { describeCase, parseReplaySpec, replayCases, selectCases } from './replay.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '2000000' },
    'endpoint-cases': { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '600' },
    seed: { type: 'string' },
    'max-buffer': { type: 'string', default: '1000000' },
    only: { type: 'string' },
    replay: { type: 'string' },
    repeat: { type: 'string', default: '1' },
  },
});
const decoderCases = Number(values.cases);
const endpointCases = Number(values['endpoint-cases']);
const seconds = Number(values.seconds);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const only = values.only;
const maxBuffer = Number(values['max-buffer']);
const BATCH = 500;

const log = (line: string): void =>
  void process.stderr.write(`[fuzz ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

interface DecoderTally {
  cases: number;
  accepted: number;
  refused: number;
  failures: Map<string, number>;
  examples: string[];
}

function runDecoders(deadline: number): Map<string, DecoderTally> {
  const tallies = new Map<string, DecoderTally>(
    DECODER_TARGETS.map((t) => [t.name, { cases: 0, accepted: 0, refused: 0, failures: new Map(), examples: [] }]),
  );
  let done = 0;
  let lastLog = Date.now();
  for (let batch = 0; done < decoderCases && Date.now() < deadline; batch++) {
    const cases = fc.sample(decoderCase, { numRuns: Math.min(BATCH, decoderCases - done), seed: seed + batch });
    for (const testCase of cases) {
      for (const target of DECODER_TARGETS) {
        const tally = tallies.get(target.name) as DecoderTally;
        const verdict = judge(target, testCase);
        tally.cases++;
        if (verdict.kind === 'accepted') tally.accepted++;
        else if (verdict.kind === 'refused') tally.refused++;
        else {
          tally.failures.set(verdict.failure, (tally.failures.get(verdict.failure) ?? 0) + 1);
          if (tally.examples.length < 3) {
            const input = testCase.chunks.map((c) =>
              typeof c === 'string' ? JSON.stringify(c.slice(0, 100)) : `<${c.length} bytes>`,
            );
            tally.examples.push(
              `${verdict.failure} (${verdict.detail.slice(0, 80)}) on ${testCase.family}: ${input.join(' + ')}`,
            );
          }
        }
      }
    }
    done += cases.length;
    if (Date.now() - lastLog > 10_000) {
      log(`decoders: ${done} cases`);
      lastLog = Date.now();
    }
  }
  return tallies;
}

function printDecoders(tallies: Map<string, DecoderTally>): void {
  const rows = DECODER_TARGETS.map((target) => {
    const t = tallies.get(target.name) as DecoderTally;
    const failures = [...t.failures].map(([kind, n]) => `${kind} ${n}`).join(', ') || '0';
    return [target.implementation, target.name, String(t.cases), String(t.accepted), String(t.refused), failures];
  });
  console.log(
    `\nDecoders (seed ${seed}; mutations from ${GOLDEN_COUNTS.texts} golden texts, ${GOLDEN_COUNTS.bytes} byte vectors)\n`,
  );
  console.log(table(['implementation', 'decoder', 'cases', 'accepted', 'refused', 'failures by kind'], rows));
  for (const target of DECODER_TARGETS) {
    for (const example of (tallies.get(target.name) as DecoderTally).examples)
      console.log(`  ${target.name}: ${example}`);
  }
}

async function runEndpoints(implementation: Implementation, deadline: number): Promise<EndpointReport> {
  const target = await startTarget(implementation, maxBuffer);
  try {
    const http = fc.sample(httpCase, { numRuns: Math.ceil((endpointCases * 3) / 4), seed });
    const ws = fc.sample(wsCase, { numRuns: Math.floor(endpointCases / 4), seed });
    return await fuzzEndpoints(target, { http, ws }, { concurrency: 8, deadline });
  } finally {
    await target.stop();
  }
}

function printEndpoints(reports: EndpointReport[]): void {
  const rows = reports.map((r) => [
    r.implementation,
    String(r.httpCases),
    String(r.wsCases),
    r.crashed ?? 'no',
    String(r.faults.length),
    String(r.failures.get('hang') ?? 0),
    String(r.overlappingPosts),
    String(r.failures.get('unexpected status') ?? 0),
    String(r.failures.get('400 without {code,message}') ?? 0),
    r.heapGrowthMb === undefined ? '?' : r.heapGrowthMb.toFixed(1),
    r.finalAck,
  ]);
  console.log(`\nEndpoints (seed ${seed}; maxHttpBufferSize ${maxBuffer}; both servers at once, 8 connections each)\n`);
  console.log(
    table(
      [
        'implementation',
        'http',
        'ws',
        'crash',
        'uncaught+rejections',
        'hangs',
        'overlapping POSTs (400 + aborted)',
        'bad status',
        'bad 400 body',
        'heap +MB',
        'final client',
      ],
      rows,
    ),
  );
  for (const r of reports) {
    if (r.failedCases.length > 0)
      console.log(`  ${r.implementation}: failed cases (for --replay): ${r.failedCases.join(',')}`);
    for (const fault of r.faults.slice(0, 5)) console.log(`  ${r.implementation}: ${fault.kind}: ${fault.message}`);
    for (const example of r.examples) console.log(`  ${r.implementation}: ${example}`);
  }
}

async function replay(spec: string): Promise<void> {
  if (values.seed === undefined) throw new Error('--replay needs the --seed of the run that sent the cases');
  const repeat = Number(values.repeat);
  const cases = selectCases(parseReplaySpec(spec), seed);
  console.log(`\nReplay (seed ${seed}; maxHttpBufferSize ${maxBuffer}; ${repeat} time(s) each, one case at a time)\n`);
  for (const replayCase of cases) console.log(`  ${replayCase.id} ${describeCase(replayCase)}`);
  console.log('');
  const results = await replayCases(cases, { repeat, maxHttpBufferSize: maxBuffer }, (result) => {
    console.log(
      `  ${result.id} #${result.repeat} ${result.implementation}: ${result.failure ?? 'ok'}: ${result.detail}`,
    );
  });
  const rows = cases.flatMap((replayCase) =>
    (['switchboard', 'socket.io'] as const).map((implementation) => {
      const mine = results.filter((r) => r.id === replayCase.id && r.implementation === implementation);
      const failed = mine.filter((r) => r.failure !== undefined);
      return [
        replayCase.id,
        implementation,
        String(mine.length),
        String(failed.length),
        [...new Set(failed.map((r) => r.failure))].join(', ') || '-',
      ];
    }),
  );
  console.log('');
  console.log(table(['case', 'implementation', 'runs', 'failed', 'failure kinds'], rows));
}

async function main(): Promise<void> {
  const started = Date.now();
  const total = seconds * 1000;
  let oursFailed = false;
  if (only !== 'endpoints') {
    // Decoders get half the time when endpoints run too.
    const tallies = runDecoders(started + (only === 'decoders' ? total : total / 2));
    printDecoders(tallies);
    oursFailed ||= DECODER_TARGETS.some(
      (t) => t.implementation === 'switchboard' && (tallies.get(t.name) as DecoderTally).failures.size > 0,
    );
  }
  if (only !== 'decoders') {
    const deadline = started + total;
    log('endpoints: starting both servers');
    const reports = await Promise.all([runEndpoints('switchboard', deadline), runEndpoints('socket.io', deadline)]);
    printEndpoints(reports);
    const ours = reports[0];
    oursFailed ||=
      ours.crashed !== undefined ||
      ours.faults.length > 0 ||
      ours.failures.size > 0 ||
      ours.finalAck !== 'still serving';
  }
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exitCode = oursFailed ? 1 : 0;
}

await (values.replay === undefined ? main() : replay(values.replay));
