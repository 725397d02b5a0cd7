// Drives the endpoint corpus against a server child process (ours or socket.io 4.8): raw HTTP requests on fresh
// connections, WebSocket sessions through `ws`, then the server's faults, its heap after GC, and a well-behaved client.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import type { HttpCase, WsCase } from './endpoint-corpus.js';
import type { Fault, ServerMessage } from './endpoint-server.js';
import { documentedHttpCodes } from './documented-codes.js';
import { HANG_MS, type RawResponse, sendRaw } from './raw-http.js';

/** Which server a run targets. */
export type Implementation = 'switchboard' | 'socket.io';

export { HANG_MS };

/** How long a WebSocket case waits for the server's reaction after its last frame. */
const WS_IDLE_MS = 150;
// 431: Node refuses headers over 16 KB (a long path plus a long query) before any handler runs.
const EXPECTED_STATUSES = new Set([200, 204, 304, 400, 403, 404, 413, 431, 500]);
const EXPECTED_UPGRADE_REFUSALS = new Set([400, 403, 404]);
const HTTP_CODES = documentedHttpCodes();
const SERVER_ENTRY = fileURLToPath(new URL('./endpoint-server.ts', import.meta.url));

/** Ways an endpoint case can fail. */
export type EndpointFailure = 'hang' | 'unexpected status' | '400 without {code,message}' | 'refused connection';

/** A started server child and what it reported. */
export interface TargetProcess {
  readonly implementation: Implementation;
  readonly port: number;
  /** Set when the process exited before `stop()`: a crash. */
  readonly exit: () => { code: number | null; signal: string | null } | undefined;
  stats(): Promise<Extract<ServerMessage, { type: 'stats' }>>;
  stop(): Promise<void>;
}

/** Starts the server child and resolves once it listens; `maxHttpBufferSize` defaults to the slice's 64 KB. */
export function startTarget(implementation: Implementation, maxHttpBufferSize?: number): Promise<TargetProcess> {
  const env =
    maxHttpBufferSize === undefined ? process.env : { ...process.env, FUZZ_MAX_BUFFER: String(maxHttpBufferSize) };
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', '--conditions=switchboard-source', '--import', 'tsx', SERVER_ENTRY, implementation],
    { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env },
  );
  let exited: { code: number | null; signal: string | null } | undefined;
  let stopping = false;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.on('exit', (code, signal) => {
    if (!stopping) exited = { code, signal };
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${implementation} server did not start: ${stderr}`)), 30_000);
    child.once('exit', () => reject(new Error(`${implementation} server exited at start: ${stderr}`)));
    child.on('message', (message: ServerMessage) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve({
        implementation,
        port: message.port,
        exit: () => exited,
        stats: () =>
          new Promise((resolveStats, rejectStats) => {
            const statsTimer = setTimeout(() => rejectStats(new Error('no stats from the server')), 10_000);
            const onMessage = (reply: ServerMessage): void => {
              if (reply.type !== 'stats') return;
              clearTimeout(statsTimer);
              child.off('message', onMessage);
              resolveStats(reply);
            };
            child.on('message', onMessage);
            child.send({ type: 'stats' });
          }),
        stop: () =>
          new Promise((resolveStop) => {
            stopping = true;
            if (child.exitCode !== null || child.signalCode !== null) {
              resolveStop();
              return;
            }
            child.once('exit', () => resolveStop());
            child.kill('SIGKILL');
          }),
      });
    });
  });
}

/** Opens a real polling session and returns its id, or undefined when the server refuses. */
export async function openPollingSession(port: number): Promise<string | undefined> {
  const head = Buffer.from(
    `GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
  );
  const response = await sendRaw(port, head, Buffer.alloc(0), false, false);
  return /"sid":"([^"]+)"/.exec(response.body.toString())?.[1];
}

/** The result of one endpoint case: a failure kind, or undefined when the server behaved. */
export interface CaseResult {
  failure?: EndpointFailure;
  detail: string;
  /** Set when the answer looked like a failure but is the protocol's (overlapping POSTs). */
  excused?: 'overlapping POSTs';
}

/** Sends one HTTP case and judges the answer. */
export async function runHttpCase(port: number, testCase: HttpCase): Promise<CaseResult> {
  const sid = testCase.session === 'polling' ? ((await openPollingSession(port)) ?? 'none') : 'none';
  const body = testCase.body === undefined ? Buffer.alloc(0) : Buffer.from(testCase.body);
  const framing = testCase.headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name));
  let head = `${testCase.method} ${testCase.target.replaceAll('{sid}', sid)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`;
  for (const [name, value] of testCase.headers) head += `${name}: ${value}\r\n`;
  if (!framing && (body.length > 0 || testCase.method === 'POST')) head += `Content-Length: ${body.length}\r\n`;
  const isHead = testCase.method === 'HEAD';
  const send = (): Promise<RawResponse> =>
    sendRaw(port, Buffer.from(head + '\r\n', 'latin1'), body, isHead, testCase.malformed === true);
  if (testCase.concurrent !== true) return judgeHttp(testCase, await send());
  return judgeOverlap(testCase, await Promise.all([send(), send()]));
}

/**
 * Judges two overlapping requests on one session. Engine.IO allows one POST at a time: the second gets 400 and the
 * session closes, which destroys the first POST while its body is read (engine.io 6 does the same), so "400 plus
 * one closed without an answer" is the protocol's answer, not a hang. Otherwise each answer is judged alone and the
 * first failure, if any, is the case's.
 */
export function judgeOverlap(testCase: HttpCase, responses: readonly [RawResponse, RawResponse]): CaseResult {
  const results = responses.map((response) => judgeHttp(testCase, response));
  const detail = results.map((result) => result.detail).join(' | ');
  const outcomes = responses.map((r) => (r.outcome === 'answered' ? r.status : r.outcome));
  if (testCase.method === 'POST' && outcomes.includes(400) && outcomes.includes('closed without answer')) {
    return { detail: `${detail} (overlapping POSTs: 400, first one aborted)`, excused: 'overlapping POSTs' };
  }
  const failed = results.find((result) => result.failure !== undefined);
  return failed === undefined ? { detail } : { failure: failed.failure as EndpointFailure, detail };
}

/** Judges one answer to an HTTP case. */
export function judgeHttp(testCase: HttpCase, response: RawResponse): CaseResult {
  const isHead = testCase.method === 'HEAD';
  const headerNames = testCase.headers.map(([name, value]) => `${name}: ${value.slice(0, 30)}`).join('; ');
  const detail = `${testCase.method} ${testCase.target.slice(0, 120)} [${headerNames}] -> ${response.outcome} ${response.status ?? ''}`;
  if (response.outcome === 'refused connection') return { failure: 'refused connection', detail };
  if (response.outcome === 'hang') return { failure: 'hang', detail };
  if (response.outcome === 'closed without answer') {
    return testCase.malformed === true
      ? { detail }
      : { failure: 'hang', detail: `${detail} (closed without an answer)` };
  }
  if (response.status === undefined || !EXPECTED_STATUSES.has(response.status))
    return { failure: 'unexpected status', detail };
  // The engine's verification answers every well-formed request it refuses with {code,message}; a refusal inside a
  // live session (overlap, octet-stream on v4) may be bare, as in engine.io.
  const verificationRefusal =
    response.status === 400 && !isHead && testCase.malformed !== true && testCase.target.startsWith('/socket.io/');
  if (verificationRefusal && (testCase.session === 'none' || response.headers['content-type'] === 'application/json')) {
    if (!isProtocolErrorBody(response.body))
      return { failure: '400 without {code,message}', detail: `${detail} ${response.body.toString().slice(0, 80)}` };
  }
  return { detail };
}

function isProtocolErrorBody(body: Buffer): boolean {
  try {
    const parsed = JSON.parse(body.toString()) as { code?: unknown; message?: unknown };
    return typeof parsed.code === 'number' && HTTP_CODES.has(parsed.code) && typeof parsed.message === 'string';
  } catch {
    return false;
  }
}

/** Opens one WebSocket session, sends the frames and judges the handshake answer; never rejects. */
export async function runWsCase(port: number, testCase: WsCase): Promise<CaseResult> {
  const sid = testCase.session === 'polling' ? ((await openPollingSession(port)) ?? 'none') : 'none';
  const url = `ws://127.0.0.1:${port}${testCase.target.replaceAll('{sid}', sid)}`;
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: HANG_MS });
    let settled = false;
    const settle = (result: CaseResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      ws.terminate();
      resolve(result);
    };
    let idle: ReturnType<typeof setTimeout> | undefined;
    const detail = `${testCase.target.slice(0, 100)} frames=${testCase.frames.length}`;
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      settle(
        EXPECTED_UPGRADE_REFUSALS.has(status)
          ? { detail }
          : { failure: 'unexpected status', detail: `${detail} -> ${status}` },
      );
    });
    ws.on('error', (error: Error & { code?: string }) => {
      if (/handshake has timed out/.test(error.message))
        settle({ failure: 'hang', detail: `${detail}: ${error.message}` });
      else if (error.code === 'ECONNREFUSED') settle({ failure: 'refused connection', detail });
      // A reset or a close while the handshake was pending: the server answered by closing (a non-engine path).
      else settle({ detail: `${detail}: ${error.message}` });
    });
    ws.on('close', () => settle({ detail: `${detail}: closed` }));
    ws.once('open', () => {
      if (testCase.connectFirst) ws.send('40');
      for (const frame of testCase.frames) {
        if (ws.readyState !== WebSocket.OPEN) break;
        if ('text' in frame) ws.send(frame.text);
        else if ('binary' in frame) ws.send(frame.binary, { binary: true });
        else if ('invalidText' in frame) ws.send(Buffer.from(frame.invalidText), { binary: false });
        else ws.ping();
      }
      idle = setTimeout(() => settle({ detail: `${detail}: still open` }), WS_IDLE_MS);
    });
  });
}

/** Connects like a real application (socket.io-client 4.8), emits with an ack and resolves with the ack's value. */
export async function wellBehavedClientAck(port: number, transports: Array<'polling' | 'websocket'>): Promise<string> {
  const socket = io(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false, timeout: 5000, transports });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return (await socket.timeout(5000).emitWithAck('echo', 'still serving')) as string;
  } finally {
    socket.disconnect();
  }
}

/** The tally of one endpoint run. */
export interface EndpointReport {
  implementation: Implementation;
  httpCases: number;
  wsCases: number;
  failures: Map<EndpointFailure, number>;
  examples: string[];
  /** Ids (`http:N`, `ws:N`, indexes into the seed's samples) of the cases that failed, for `--replay`. */
  failedCases: string[];
  /** Overlapping POST pairs answered 400 + aborted, as the protocol does: counted, not failures. */
  overlappingPosts: number;
  crashed: string | undefined;
  faults: Fault[];
  heapGrowthMb: number | undefined;
  sessionsLeft: number | undefined;
  finalAck: string;
}

/** Runs `work` over `items` with `concurrency` workers; stops taking new items once `shouldStop()` says so. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  shouldStop: () => boolean,
  work: (item: T, index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !shouldStop()) {
      const index = next++;
      await work(items[index] as T, index);
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done;
}

/** Waits until the server holds no session (the short heartbeat ends abandoned ones) or `ms` pass. */
async function drainSessions(target: TargetProcess, ms: number): Promise<number | undefined> {
  const deadline = Date.now() + ms;
  let sessions: number | undefined;
  while (Date.now() < deadline && target.exit() === undefined) {
    sessions = (await target.stats()).sessions;
    if (sessions === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return sessions;
}

/** Runs the HTTP then WebSocket cases against a started target and gathers everything the report needs. */
export async function fuzzEndpoints(
  target: TargetProcess,
  cases: { http: readonly HttpCase[]; ws: readonly WsCase[] },
  options: { concurrency: number; deadline: number },
): Promise<EndpointReport> {
  const failures = new Map<EndpointFailure, number>();
  const examples: string[] = [];
  const stop = (): boolean => Date.now() > options.deadline || target.exit() !== undefined;
  const failedCases: string[] = [];
  // Failing cases are named as `--replay` takes them (`http:1016`), and listed in full.
  let overlappingPosts = 0;
  const record = (id: string, result: CaseResult): void => {
    if (result.excused === 'overlapping POSTs') overlappingPosts++;
    if (result.failure === undefined) return;
    failures.set(result.failure, (failures.get(result.failure) ?? 0) + 1);
    failedCases.push(id);
    if (examples.length < Number(process.env.FUZZ_EXAMPLES ?? 10))
      examples.push(`${id} ${result.failure}: ${result.detail}`);
  };
  const before = target.exit() === undefined ? (await target.stats()).heapUsedBytes : undefined;
  const httpCases = await pool(cases.http, options.concurrency, stop, async (c, i) =>
    record(`http:${i}`, await runHttpCase(target.port, c)),
  );
  const wsCases = await pool(cases.ws, options.concurrency, stop, async (c, i) =>
    record(`ws:${i}`, await runWsCase(target.port, c)),
  );
  const sessionsLeft = await drainSessions(target, 3000);
  const exit = target.exit();
  const after = exit === undefined ? await target.stats() : undefined;
  let finalAck: string;
  try {
    finalAck = exit === undefined ? await wellBehavedClientAck(target.port, ['polling', 'websocket']) : 'server gone';
  } catch (error) {
    finalAck = `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return {
    implementation: target.implementation,
    httpCases,
    wsCases,
    failures,
    examples,
    failedCases,
    overlappingPosts,
    crashed: exit === undefined ? undefined : `exit code ${exit.code} signal ${exit.signal}`,
    faults: after?.faults ?? [],
    heapGrowthMb: before === undefined || after === undefined ? undefined : (after.heapUsedBytes - before) / 2 ** 20,
    sessionsLeft,
    finalAck,
  };
}
