// Shared fixtures of the client interop suites: an official socket.io server on 127.0.0.1 and event waits.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';

/** The transport setups every suite runs over: polling only, WebSocket only, and polling upgraded to WebSocket. */
export const TRANSPORT_SETUPS = [
  { name: 'polling', opts: { transports: ['polling'] as const } },
  { name: 'websocket', opts: { transports: ['websocket'] as const } },
  { name: 'polling upgraded to websocket', opts: {} },
] as const;

export interface OfficialServer {
  io: Server;
  http: HttpServer;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Starts the official socket.io server on 127.0.0.1 (port 0 unless given) with short timeouts for tests. */
export async function startOfficialServer(opts: Partial<ServerOptions> = {}, port = 0): Promise<OfficialServer> {
  const http = createServer();
  const io = new Server(http, { pingInterval: 2000, pingTimeout: 2000, ...opts });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (http.address() as AddressInfo).port;
  return {
    io,
    http,
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        void io.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

interface Listenable {
  once(event: string, listener: (...args: never[]) => void): unknown;
}

/** Resolves with the arguments of the next `event` of `target`; rejects after `timeoutMs`. */
export function waitFor(target: object, event: string, timeoutMs = 4000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    (target as Listenable).once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Resolves once `predicate` holds, checking every 10 ms; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
