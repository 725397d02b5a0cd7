// The fast slice of the endpoint fuzz suite (the long run is bench/fuzz.mjs): our server, in a child process, gets
// random HTTP requests and WebSocket frame sequences; then socket.io 4.8 gets the same corpus and is reported.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { httpCase, wsCase } from './endpoint-corpus.js';
import { type EndpointReport, fuzzEndpoints, HANG_MS, startTarget, type TargetProcess } from './endpoint-driver.js';

const HTTP_CASES = Number(process.env.FUZZ_HTTP_CASES ?? 120);
const WS_CASES = Number(process.env.FUZZ_WS_CASES ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_HEAP_GROWTH_MB = 16;
const RUN_BUDGET_MS = 30_000;

const cases = {
  http: fc.sample(httpCase, { numRuns: HTTP_CASES, seed: SEED }),
  ws: fc.sample(wsCase, { numRuns: WS_CASES, seed: SEED }),
};

function summary(report: EndpointReport): string {
  const failures = [...report.failures].map(([kind, n]) => `${kind} ${n}`).join(', ') || 'none';
  return (
    `${report.implementation} (seed ${SEED}): ${report.httpCases} HTTP + ${report.wsCases} WebSocket cases; failures: ${failures}; ` +
    `crash: ${report.crashed ?? 'none'}; faults: ${report.faults.length}; heap growth after GC: ` +
    `${report.heapGrowthMb?.toFixed(1) ?? '?'} MB; sessions left: ${report.sessionsLeft ?? '?'}; final client: ${report.finalAck}`
  );
}

// Both servers run the corpus at once, each in its own process: the slice takes the time of the slower one.
const targets: TargetProcess[] = [];
let report: EndpointReport;
let official: EndpointReport;

async function run(implementation: 'switchboard' | 'socket.io'): Promise<EndpointReport> {
  const target = await startTarget(implementation);
  targets.push(target);
  return fuzzEndpoints(target, cases, { concurrency: 8, deadline: Date.now() + RUN_BUDGET_MS });
}

before(async () => {
  [report, official] = await Promise.all([run('switchboard'), run('socket.io')]);
});
after(async () => {
  await Promise.all(targets.map((target) => target.stop()));
});

describe('endpoint fuzz: our server', () => {
  it('runs every case of the corpus', (t) => {
    t.diagnostic(summary(report));
    assert.deepEqual([report.httpCases, report.wsCases], [HTTP_CASES, WS_CASES]);
  });

  it('keeps the server process alive', () => {
    assert.equal(report.crashed, undefined);
  });

  it('records no uncaught exception or unhandled rejection in the server', () => {
    assert.deepEqual(report.faults, []);
  });

  it(`answers every request and WebSocket handshake within ${HANG_MS} ms`, () => {
    assert.equal(report.failures.get('hang') ?? 0, 0, report.examples.join('\n'));
  });

  it('answers with an expected status, and {code,message} JSON for the engine refusals', () => {
    const wrong =
      (report.failures.get('unexpected status') ?? 0) + (report.failures.get('400 without {code,message}') ?? 0);
    assert.equal(wrong, 0, report.examples.join('\n'));
  });

  it(`keeps the heap after GC within ${MAX_HEAP_GROWTH_MB} MB of where it started`, () => {
    assert.ok(
      report.heapGrowthMb !== undefined && report.heapGrowthMb < MAX_HEAP_GROWTH_MB,
      `${report.heapGrowthMb} MB`,
    );
  });

  it('still connects a socket.io-client and acks its emit afterwards', () => {
    assert.equal(report.finalAck, 'still serving');
  });
});

describe('endpoint fuzz: socket.io 4.8 on the same corpus (reported, not asserted)', () => {
  it('runs the corpus against socket.io 4.8 and reports crashes, faults and hangs', (t) => {
    t.diagnostic(summary(official));
    for (const example of official.examples) t.diagnostic(example);
    // socket.io's own faults are findings for the report, not failures of this suite; the run itself must have ended
    // with a verdict on every case it sent.
    assert.ok(official.httpCases + official.wsCases > 0 || official.crashed !== undefined);
  });
});
