// Running a Python peer that speaks JSON lines: stdout lines parsed in order, commands written to stdin, and a
// hard time bound after which the process is killed whatever the test is doing.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DEFAULT_WAIT_MS } from './wait-for.js';

/** The interpreter that has Debian's python3-socketio/aiohttp; the first `python3` on PATH may not. */
export const PYTHON = process.env['SWITCHBOARD_PYTHON'] ?? '/usr/bin/python3';

/** One parsed stdout line of a peer. */
export type JsonLine = Record<string, unknown>;

/** What `next` looks for: a predicate, or fields that must all be deep-equal (compared as JSON). */
export type LineMatcher = ((line: JsonLine) => boolean) | JsonLine;

export interface RunPythonOptions {
  /** Kills the process after this long even if nobody called `close()`. @default 20000 */
  killAfterMs?: number;
  /** Working directory (the script's imports resolve from its own folder regardless). */
  cwd?: string;
}

const STDERR_TAIL_CHARS = 2000;

function describeMatcher(matcher: LineMatcher): string {
  return typeof matcher === 'function' ? matcher.toString() : JSON.stringify(matcher);
}

function matches(line: JsonLine, matcher: LineMatcher): boolean {
  if (typeof matcher === 'function') return matcher(line);
  return Object.entries(matcher).every(([key, value]) => JSON.stringify(line[key]) === JSON.stringify(value));
}

interface Waiter {
  matcher: LineMatcher;
  resolve: (line: JsonLine) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** A running Python peer. Lines are consumed by `next` in arrival order, each at most once. */
export class PythonPeer {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #script: string;
  readonly #unconsumed: JsonLine[] = [];
  readonly #all: JsonLine[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #killTimer: NodeJS.Timeout;
  #stderr = '';
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;

  constructor(script: string, args: readonly string[], options: RunPythonOptions = {}) {
    this.#script = script;
    this.#child = spawn(PYTHON, ['-u', script, ...args], {
      cwd: options.cwd ?? process.cwd(),
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    this.#child.stderr.setEncoding('utf8');
    this.#child.stderr.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    // a peer that exits early must not crash the test run with EPIPE on our next write
    this.#child.stdin.on('error', () => undefined);
    createInterface({ input: this.#child.stdout }).on('line', (text) => this.#onLine(text));
    this.exited = new Promise((resolve) => {
      this.#child.once('close', (code, signal) => {
        this.#exit = { code, signal };
        clearTimeout(this.#killTimer);
        for (const waiter of this.#waiters) waiter.reject(this.#error('exited before printing'));
        this.#waiters.clear();
        resolve();
      });
    });
    this.#killTimer = setTimeout(() => this.#child.kill('SIGKILL'), options.killAfterMs ?? 20_000);
    this.#killTimer.unref();
  }

  /** Every line printed so far, consumed or not (for diagnostics and negative checks). */
  get lines(): readonly JsonLine[] {
    return this.#all;
  }

  /** The last part of the peer's stderr (tracebacks land here). */
  get stderr(): string {
    return this.#stderr;
  }

  /** Resolves with the first unconsumed line that matches, waiting up to `ms` for it to arrive. */
  next(matcher: LineMatcher, ms: number = DEFAULT_WAIT_MS): Promise<JsonLine> {
    const index = this.#unconsumed.findIndex((line) => matches(line, matcher));
    if (index !== -1) return Promise.resolve(this.#unconsumed.splice(index, 1)[0] as JsonLine);
    if (this.#exit) return Promise.reject(this.#error(`exited; never printed ${describeMatcher(matcher)}`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        matcher,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(this.#error(`timed out after ${ms} ms waiting for line ${describeMatcher(matcher)}`));
        }, ms),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Settles like `promise`, but rejects at once (with the peer's stderr) if the peer exits first. */
  unlessExited<T>(promise: Promise<T>): Promise<T> {
    if (this.#exit) return Promise.reject(this.#error('exited'));
    return Promise.race([promise, this.exited.then(() => Promise.reject(this.#error('exited')))]);
  }

  /** Writes one command as a JSON line on the peer's stdin. */
  send(command: JsonLine): void {
    this.#child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** Closes stdin (the peers exit on EOF), then kills the process if it is still there after `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    if (this.#exit) return;
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  #onLine(text: string): void {
    let line: JsonLine;
    try {
      line = JSON.parse(text) as JsonLine;
    } catch {
      line = { ev: 'unparsed', text };
    }
    this.#all.push(line);
    for (const waiter of this.#waiters) {
      if (matches(line, waiter.matcher)) {
        this.#waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(line);
        return;
      }
    }
    this.#unconsumed.push(line);
  }

  #error(what: string): Error {
    const exit = this.#exit ? ` (exit code ${this.#exit.code}, signal ${this.#exit.signal})` : '';
    const recent = this.#all
      .slice(-8)
      .map((line) => JSON.stringify(line))
      .join('\n  ');
    return new Error(
      `python peer ${this.#script}: ${what}${exit}\n recent lines:\n  ${recent}\n stderr tail:\n${this.#stderr}`,
    );
  }
}

/**
 * Spawns `/usr/bin/python3 -u script ...args` and returns the peer; call `close()` in `after()`.
 * @example const peer = runPython(script, ['--deadline', '20']); const { port } = await peer.next({ ev: 'listening' });
 */
export function runPython(script: string, args: readonly string[] = [], options?: RunPythonOptions): PythonPeer {
  return new PythonPeer(script, args, options);
}
