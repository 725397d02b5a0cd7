// Test helpers for the @switchboard/server interop suites: a server on 127.0.0.1:0 and official clients.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  io as connectClient,
  type ManagerOptions,
  type Socket as ClientSocket,
  type SocketOptions,
} from 'socket.io-client';
import { Server as OfficialServer } from 'socket.io';
import WebSocket from 'ws';
import { Server, type ServerOptions } from '@switchboard/server';

/** Creates a Socket.IO server on an HTTP server: ours by default; the official one proves a suite. */
export type ServerFactory = (httpServer: HttpServer, opts: Partial<ServerOptions>) => Server;

export const createSwitchboard: ServerFactory = (httpServer, opts) => new Server(httpServer, opts);

/** A server implementation a suite runs against; `precise` marks where Switchboard deliberately differs. */
export interface ServerImplementation {
  name: string;
  create: ServerFactory;
  precise: boolean;
}

/**
 * The official server first (passing there proves a suite's expectations), then ours. Ours is typed as the official
 * API's equal on purpose: moving over is an import change.
 */
export const SERVER_IMPLEMENTATIONS: readonly ServerImplementation[] = [
  {
    name: 'socket.io 4.8 (official)',
    create: (httpServer, opts) =>
      new OfficialServer(httpServer, opts as ConstructorParameters<typeof OfficialServer>[1]) as unknown as Server,
    precise: false,
  },
  { name: '@switchboard/server', create: createSwitchboard, precise: true },
];

export interface TestServer {
  io: Server;
  httpServer: HttpServer;
  port: number;
  url: string;
  /** Opens an official socket.io-client socket (no reconnection unless asked), closed by `close()`. */
  client(nsp?: string, opts?: Partial<ManagerOptions & SocketOptions>): ClientSocket;
  close(): Promise<void>;
}

/** Starts a Switchboard server on 127.0.0.1 port 0. */
export async function startServer(
  opts: Partial<ServerOptions> = {},
  port = 0,
  create: ServerFactory = createSwitchboard,
): Promise<TestServer> {
  const httpServer = createServer();
  const io = create(httpServer, opts);
  await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
  const actualPort = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${actualPort}`;
  const clients: ClientSocket[] = [];
  return {
    io,
    httpServer,
    port: actualPort,
    url,
    client(nsp = '/', clientOpts = {}) {
      const socket = connectClient(`${url}${nsp}`, { forceNew: true, reconnection: false, ...clientOpts });
      clients.push(socket);
      return socket;
    },
    async close() {
      for (const socket of clients) socket.disconnect();
      httpServer.closeAllConnections();
      await io.close();
    },
  };
}

/** Resolves with the arguments of the next `event`, rejects after `timeoutMs` (generous: CI shares 2 cores). */
export function waitFor<T extends unknown[] = unknown[]>(
  emitter: { once(event: string, listener: (...args: never[]) => void): unknown },
  event: string,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${event}"`)), timeoutMs);
    emitter.once(event, ((...args: T) => {
      clearTimeout(timer);
      resolve(args);
    }) as unknown as (...args: never[]) => void);
  });
}

/** Resolves when `promise` settles or rejects after `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs = 5000, what = 'operation'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** A raw Engine.IO v4 WebSocket session that answers pings and records text frames. */
export class RawPeer {
  readonly ws: WebSocket;
  readonly frames: string[] = [];
  #waiters: { match: (frame: string) => boolean; resolve: (frame: string) => void }[] = [];
  readonly closed: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = String(data);
      if (frame === '2') {
        this.ws.send('3');
        return;
      }
      this.frames.push(frame);
      const waiter = this.#waiters.find((w) => w.match(frame));
      if (waiter !== undefined) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    });
    this.closed = new Promise((resolve) => this.ws.once('close', () => resolve()));
  }

  next(match: (frame: string) => boolean, what: string): Promise<string> {
    const seen = this.frames.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return within(new Promise((resolve) => this.#waiters.push({ match, resolve })), 5000, what);
  }

  async open(nsp = ''): Promise<void> {
    await this.next((f) => f.startsWith('0{'), 'engine open');
    this.ws.send(nsp === '' ? '40' : `40${nsp},`);
    await this.next((f) => f.startsWith(nsp === '' ? '40{' : `40${nsp},{`), 'namespace connect');
  }

  send(frame: string | Buffer): void {
    this.ws.send(frame);
  }
}
