// Test harness (not built or published): an engine on 127.0.0.1:0, raw HTTP requests, a raw WebSocket client, and
// event waits with timeouts.
import type { EventEmitter } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { Server } from '../server.js';
import type { ServerOptions } from '../options.js';

export interface Harness {
  engine: Server;
  http: HttpServer;
  port: number;
  close(): Promise<void>;
}

/** Starts an engine attached to a fresh HTTP server on 127.0.0.1:0. */
export async function startEngine(options: ServerOptions = {}): Promise<Harness> {
  const http = createServer((_req, res) => {
    res.writeHead(404);
    res.end('not engine');
  });
  const engine = new Server(options);
  engine.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    engine,
    http,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        engine.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  bytes: Buffer;
}

/** One HTTP request on its own connection (no keep-alive pooling, so concurrency is real). */
export function send(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: false,
        ...(init.localAddress === undefined ? {} : { localAddress: init.localAddress }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

export const OPEN_KEYS = ['sid', 'upgrades', 'pingInterval', 'pingTimeout', 'maxPayload'];

/** Performs a v4 polling handshake and returns the sid and the parsed open packet. */
export async function pollingHandshake(
  port: number,
): Promise<{ sid: string; open: Record<string, unknown>; body: string }> {
  const res = await send(port, '/engine.io/?EIO=4&transport=polling');
  if (res.status !== 200 || !res.body.startsWith('0')) throw new Error(`handshake failed: ${res.status} ${res.body}`);
  const first = res.body.split('\x1e')[0] ?? '';
  const open = JSON.parse(first.slice(1)) as Record<string, unknown>;
  return { sid: String(open['sid']), open, body: res.body };
}

/** Resolves with the arguments of the next `event`, or rejects after `timeoutMs`. */
export function waitFor<T extends unknown[] = unknown[]>(
  emitter: EventEmitter,
  event: string,
  timeoutMs = 2000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as T);
    };
    emitter.once(event, listener);
  });
}

/** A raw WebSocket client that queues what it receives, for protocol-level assertions. */
export class RawWebSocket {
  readonly ws: WebSocket;
  readonly received: Array<string | Buffer> = [];
  closeCode: number | undefined;
  readonly #waiters: Array<() => void> = [];

  constructor(port: number, query: string) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/engine.io/?${query}`);
    this.ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.received.push(isBinary ? data : data.toString('utf8'));
      this.#wake();
    });
    this.ws.on('close', (code: number) => {
      this.closeCode = code;
      this.#wake();
    });
    this.ws.on('error', () => this.#wake());
  }

  opened(timeoutMs = 2000): Promise<unknown[]> {
    return waitFor(this.ws, 'open', timeoutMs);
  }

  /** Resolves with the next frame (in arrival order), rejecting after `timeoutMs` or on close. */
  async next(timeoutMs = 2000): Promise<string | Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      if (this.closeCode !== undefined) throw new Error(`closed with ${this.closeCode}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.shift() as string | Buffer;
  }

  /** Resolves with the close code, rejecting after `timeoutMs`. */
  async closed(timeoutMs = 2000): Promise<number> {
    if (this.closeCode !== undefined) return this.closeCode;
    const [code] = await waitFor<[number]>(this.ws, 'close', timeoutMs);
    return code;
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  close(): void {
    this.ws.terminate();
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}

/** Resolves once `predicate()` holds, checking every 5 ms, rejecting after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
