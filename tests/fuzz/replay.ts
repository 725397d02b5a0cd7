// Replays chosen endpoint cases of a fuzz run one at a time against both servers, so a failure seen under load can be
// told apart from one a case causes by itself. Cases are regenerated from the run's seed: `http:1016` is the HTTP case
// at index 1016 of that seed's sample (samples are prefix-stable, so the run's case count does not matter).
import fc from 'fast-check';
import { httpCase, type HttpCase, wsCase, type WsCase } from './endpoint-corpus.js';
import { type CaseResult, type Implementation, runHttpCase, runWsCase, startTarget } from './endpoint-driver.js';

/** One case of a run, as `--replay` names it. */
export type CaseId = { kind: 'http'; index: number } | { kind: 'ws'; index: number };

/** A case regenerated from its seed. */
export type ReplayCase =
  { id: string; kind: 'http'; testCase: HttpCase } | { id: string; kind: 'ws'; testCase: WsCase };

/** One replay of one case on one server. */
export interface ReplayResult extends CaseResult {
  id: string;
  repeat: number;
  implementation: Implementation;
}

/** Parses `http:1016,ws:3` into case ids; throws naming the bad entry. */
export function parseReplaySpec(spec: string): CaseId[] {
  const ids = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry): CaseId => {
      const match = /^(http|ws):(\d+)$/.exec(entry);
      if (match === null) throw new Error(`--replay: "${entry}" is not http:N or ws:N`);
      return { kind: match[1] as 'http' | 'ws', index: Number(match[2]) };
    });
  if (ids.length === 0) throw new Error('--replay: no case given');
  return ids;
}

/** Regenerates the named cases from `seed`, in the order given. */
export function selectCases(ids: readonly CaseId[], seed: number): ReplayCase[] {
  const count = (kind: 'http' | 'ws'): number =>
    Math.max(0, ...ids.filter((id) => id.kind === kind).map((id) => id.index + 1));
  const http = fc.sample(httpCase, { numRuns: count('http'), seed });
  const ws = fc.sample(wsCase, { numRuns: count('ws'), seed });
  return ids.map((id): ReplayCase => {
    const name = `${id.kind}:${id.index}`;
    return id.kind === 'http'
      ? { id: name, kind: 'http', testCase: http[id.index] as HttpCase }
      : { id: name, kind: 'ws', testCase: ws[id.index] as WsCase };
  });
}

/** Describes a case for the replay's report: what was sent, bodies shortened. */
export function describeCase(replayCase: ReplayCase): string {
  if (replayCase.kind === 'ws') {
    const c = replayCase.testCase;
    return `${c.family}: ${c.target.slice(0, 100)} connectFirst=${c.connectFirst} frames=${c.frames.length}`;
  }
  const c = replayCase.testCase;
  const body =
    c.body === undefined
      ? 'no body'
      : typeof c.body === 'string'
        ? `body ${JSON.stringify(c.body.slice(0, 60))} (${c.body.length} chars)`
        : `body <${c.body.length} bytes>`;
  const headers = c.headers.map(([name, value]) => `${name}: ${value.slice(0, 30)}`).join('; ');
  return `${c.family}: ${c.concurrent === true ? 'two overlapping ' : ''}${c.method} ${c.target.slice(0, 120)} [${headers}] ${body}`;
}

/** Runs each case `repeat` times, one case at a time, on both servers at once; `onResult` sees each verdict. */
export async function replayCases(
  cases: readonly ReplayCase[],
  options: { repeat: number; maxHttpBufferSize: number; implementations?: readonly Implementation[] },
  onResult: (result: ReplayResult) => void,
): Promise<ReplayResult[]> {
  const implementations = options.implementations ?? (['switchboard', 'socket.io'] as const);
  const targets = await Promise.all(
    implementations.map((implementation) => startTarget(implementation, options.maxHttpBufferSize)),
  );
  const results: ReplayResult[] = [];
  try {
    for (const replayCase of cases) {
      for (let repeat = 1; repeat <= options.repeat; repeat++) {
        const round = await Promise.all(
          targets.map(async (target): Promise<ReplayResult> => {
            const verdict =
              replayCase.kind === 'http'
                ? await runHttpCase(target.port, replayCase.testCase)
                : await runWsCase(target.port, replayCase.testCase);
            return { ...verdict, id: replayCase.id, repeat, implementation: target.implementation };
          }),
        );
        for (const result of round) onResult(result);
        results.push(...round);
      }
    }
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
  }
  return results;
}
