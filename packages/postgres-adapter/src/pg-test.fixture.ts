// Test support: the shared PostgreSQL (DATABASE_URL overrides), unique names per test run, servers with our adapter
// in this process, a private PostgreSQL cluster for restarts, and clients that record what they receive.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, chown } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { io, type Socket } from '@switchboard/client';
import { Server } from '@switchboard/server';
import { createAdapter, type PostgresAdapterOptions } from './index.js';

const run = promisify(execFile);

export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A name of letters, digits and underscores, unique to this run (the database is shared). */
export function uniqueName(label: string): string {
  return `sbtest_${label}_${randomBytes(5).toString('hex')}`;
}

/** A pool whose idle-client errors are recorded instead of crashing the test (node-postgres asks for a listener). */
export function createPool(connectionString = DATABASE_URL, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => {});
  return pool;
}

/** Runs one statement on its own connection. */
export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
  connectionString = DATABASE_URL,
): Promise<T[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A Switchboard server with our adapter, listening on 127.0.0.1. */
export interface TestNode {
  io: Server;
  port: number;
  pool: pg.Pool;
  errors: Error[];
  close(): Promise<void>;
}

export async function startNode(opts: PostgresAdapterOptions, connectionString = DATABASE_URL): Promise<TestNode> {
  const pool = createPool(connectionString);
  const errors: Error[] = [];
  const httpServer: HttpServer = createServer();
  const io = new Server(httpServer, {
    adapter: createAdapter(pool, {
      heartbeatInterval: 200,
      heartbeatTimeout: 2000,
      requestsTimeout: 1000,
      ...opts,
      errorHandler: (err) => errors.push(err),
    }),
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    io,
    pool,
    errors,
    port: (httpServer.address() as AddressInfo).port,
    async close() {
      await io.close();
      await pool.end().catch(() => {});
    },
  };
}

/** A client that records events; `next(event)` waits for one with a deadline. */
export class TestClient {
  readonly socket: Socket;
  readonly received: { event: string; args: unknown[] }[] = [];
  #wake: (() => void)[] = [];

  constructor(port: number) {
    this.socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.socket.onAny((...all: unknown[]) => {
      this.received.push({ event: String(all[0]), args: all.slice(1) });
      for (const wake of this.#wake.splice(0)) wake();
    });
  }

  connected(ms = 5000): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return withTimeout(new Promise((resolve) => this.socket.once('connect', () => resolve())), ms, 'client connect');
  }

  /** The arguments of the first `event` received (now or within `ms`). */
  async next(event: string, ms: number): Promise<unknown[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.received.find((r) => r.event === event);
      if (found !== undefined) return found.args;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${event}" within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.disconnect();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not complete within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` every 50 ms until true; fails after `ms`. */
export async function eventually(what: string, ms: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: still not true after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Emits `event` from `from` every 100 ms until `to` receives it (broadcasts sent while no connection listens are
 * lost, by design); fails after `ms`. Each attempt carries its number, so the test can tell which one arrived.
 */
export async function emitUntilReceived(from: Server, to: TestClient, event: string, ms: number): Promise<unknown[]> {
  const deadline = Date.now() + ms;
  for (let attempt = 0; ; attempt++) {
    from.emit(event, attempt);
    try {
      return await to.next(event, 100);
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A PostgreSQL cluster of our own (initdb in a temp dir, a free port), which a test may stop and start at will. */
export class PrivatePostgres {
  readonly #dir: string;
  readonly port: number;
  readonly #bin: string;

  private constructor(dir: string, port: number, bin: string) {
    this.#dir = dir;
    this.port = port;
    this.#bin = bin;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** initdb refuses to run as root: then the cluster belongs to the `postgres` user. */
  static #asOwner(command: string, args: string[]): Promise<unknown> {
    const isRoot = process.getuid?.() === 0;
    return isRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  }

  static async create(): Promise<PrivatePostgres> {
    const version = readdirSync('/usr/lib/postgresql').sort().at(-1);
    if (version === undefined) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
    const bin = `/usr/lib/postgresql/${version}/bin`;
    const dir = await mkdtemp(join(tmpdir(), 'sb-pg-'));
    if (process.getuid?.() === 0) await chown(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), 0);
    await PrivatePostgres.#asOwner(`${bin}/initdb`, [
      '-D',
      join(dir, 'data'),
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
    ]);
    const cluster = new PrivatePostgres(dir, await freePort(), bin);
    await cluster.start();
    return cluster;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.#dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await PrivatePostgres.#asOwner(`${this.#bin}/pg_ctl`, [
      '-D',
      join(this.#dir, 'data'),
      '-l',
      join(this.#dir, 'log'),
      '-o',
      options,
      '-w',
      'start',
    ]);
  }

  /** A fast shutdown: every connection is closed at once, as when a server restarts. */
  async stop(): Promise<void> {
    await PrivatePostgres.#asOwner(`${this.#bin}/pg_ctl`, ['-D', join(this.#dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => {});
    await rm(this.#dir, { recursive: true, force: true });
  }
}
