// The suite's side of the server processes: starting them, sending commands, hearing their events, killing them.
import { fork, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Command, ConformanceNodeContext, NodeMessage, Reply } from './protocol.js';

/** Whether this file runs from TypeScript sources (tests) or from dist (a published install). */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
/** Longer than any request the suite makes (requestsTimeout, ack timeouts), shorter than a test runner's patience. */
const REPLY_TIMEOUT_MS = 10_000;
const NODE_SCRIPT = fileURLToPath(new URL(FROM_SOURCE ? './node-process.ts' : './node-process.js', import.meta.url));

/** How to start a server process. */
export interface NodeLaunch {
  factoryModule: string;
  context: ConformanceNodeContext;
  execArgv: string[] | undefined;
  startTimeoutMs: number;
  /** `cluster-worker`: forked with node:cluster, this process being the primary (for IPC adapters). */
  processModel: 'child-process' | 'cluster-worker';
}

/** A failed command: the error's code (e.g. ADAPTER_ERR_REQUEST_TIMEOUT) and how long the command ran. */
export class CommandError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
    readonly elapsedMs: number,
  ) {
    super(message);
  }
}

/** One server process of the cluster. */
export class ClusterNode extends EventEmitter {
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #replies = new Map<number, (reply: Reply) => void>();
  #nextId = 0;
  #exited = false;

  private constructor(child: ChildProcess, port: number) {
    super();
    this.#child = child;
    this.port = port;
    child.on('message', (message: NodeMessage) => {
      if (message.kind === 'reply') {
        this.#replies.get(message.id)?.(message.reply);
        this.#replies.delete(message.id);
      } else if (message.kind === 'server-side-event') {
        this.emit('server-side-event', message.event, message.args);
      }
    });
    child.on('exit', () => {
      this.#exited = true;
      for (const resolve of this.#replies.values())
        resolve({ ok: false, code: 'EXITED', message: 'process exited', elapsedMs: 0 });
      this.#replies.clear();
      this.emit('exit');
    });
  }

  /** Starts a server process and waits until it listens. */
  static start(launch: NodeLaunch): Promise<ClusterNode> {
    const execArgv = launch.execArgv ?? (FROM_SOURCE ? ['--conditions=switchboard-source', '--import', 'tsx'] : []);
    const env = {
      SWITCHBOARD_CONFORMANCE_FACTORY: launch.factoryModule,
      SWITCHBOARD_CONFORMANCE_CONTEXT: JSON.stringify(launch.context),
    };
    let child: ChildProcess;
    if (launch.processModel === 'cluster-worker') {
      // The test process is the primary: the relay the adapter needs (e.g. setupPrimary()) runs in it.
      cluster.setupPrimary({
        exec: NODE_SCRIPT,
        execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child = cluster.fork(env).process;
    } else {
      child = fork(NODE_SCRIPT, [], {
        execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, ...env },
      });
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(`server process ${launch.context.nodeIndex} did not listen within ${launch.startTimeoutMs} ms`),
        );
      }, launch.startTimeoutMs);
      const onMessage = (message: NodeMessage): void => {
        if (message.kind === 'ready') {
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(new ClusterNode(child, message.port));
        } else if (message.kind === 'fatal') {
          clearTimeout(timer);
          child.kill('SIGKILL');
          reject(new Error(`server process ${launch.context.nodeIndex} failed to start: ${message.message}`));
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server process ${launch.context.nodeIndex} exited with ${String(code)} before listening`));
      });
    });
  }

  /** Runs a command in the process; rejects with a CommandError carrying the server's error code. */
  async run<T = unknown>(command: Command): Promise<T> {
    if (this.#exited) throw new CommandError('EXITED', 'the server process has exited', 0);
    const id = this.#nextId++;
    const reply = await new Promise<Reply>((resolve) => {
      // A server that never answers fails the test that asked, instead of hanging the suite.
      const timer = setTimeout(() => {
        this.#replies.delete(id);
        resolve({
          ok: false,
          code: 'NO_REPLY',
          message: `no reply to ${command.op} within ${REPLY_TIMEOUT_MS} ms`,
          elapsedMs: REPLY_TIMEOUT_MS,
        });
      }, REPLY_TIMEOUT_MS);
      this.#replies.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
      this.#child.send({ id, command });
    });
    if (!reply.ok) throw new CommandError(reply.code, reply.message, reply.elapsedMs);
    return reply.value as T;
  }

  /** Waits for the next server-side event of that name, failing after `ms`. */
  nextServerSideEvent(event: string, ms: number): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const listener = (name: string, args: unknown[]): void => {
        if (name !== event) return;
        clearTimeout(timer);
        this.off('server-side-event', listener);
        resolve(args);
      };
      const timer = setTimeout(() => {
        this.off('server-side-event', listener);
        reject(new Error(`no server-side event "${event}" within ${ms} ms`));
      }, ms);
      this.on('server-side-event', listener);
    });
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** SIGKILL: the process gets no chance to say goodbye to the cluster. */
  kill(): Promise<void> {
    if (this.#exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.once('exit', () => resolve());
      this.#child.kill('SIGKILL');
    });
  }

  /** Closes the server (and the factory's resources), then waits for the process to exit; kills it after `ms`. */
  async stop(ms: number): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.once('exit', () => resolve()));
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), ms);
    this.run({ op: 'close' }).catch(() => {});
    await exited;
    clearTimeout(timer);
  }
}
