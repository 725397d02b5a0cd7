// Test helpers for the engine client interop suites: an official engine.io server, and waiting with a deadline.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attach, type Server as EngineServer, type ServerOptions, type Socket as EngineServerSocket } from 'engine.io';

export interface OfficialServer {
  engine: EngineServer;
  http: HttpServer;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Starts the official engine.io v6 server on 127.0.0.1:0. */
export async function startOfficialServer(opts: Partial<ServerOptions> = {}): Promise<OfficialServer> {
  const http: HttpServer = createServer();
  const engine = attach(http, opts);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    engine,
    http,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        engine.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** Stops the official server socket's ping schedule: from now on it never pings. */
export function silenceOfficialSocket(socket: EngineServerSocket): void {
  clearTimeout((socket as unknown as { pingIntervalTimer: ReturnType<typeof setTimeout> }).pingIntervalTimer);
}

// Loose on purpose: the helpers wait on Node EventEmitters and on our typed emitters alike.
type Listener = (...args: unknown[]) => void;
interface Listenable {
  once(event: string, listener: Listener): unknown;
}

/** Resolves with the arguments of the next `event`, rejects after `ms`. */
export function waitFor<T extends unknown[] = unknown[]>(target: Listenable, event: string, ms = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    target.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    });
  });
}

/** Collects `count` emissions of `event` (their first argument), rejecting after `ms`. */
export function collect<T = unknown>(
  target: { on(event: string, listener: Listener): unknown },
  event: string,
  count: number,
  ms = 5000,
): Promise<T[]> {
  const values: T[] = [];
  return new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`got ${values.length}/${count} '${event}' within ${ms} ms`)), ms);
    target.on(event, (value: unknown) => {
      values.push(value as T);
      if (values.length === count) {
        clearTimeout(timer);
        resolve(values);
      }
    });
  });
}

/** Normalises a received message for comparison: text stays, binary becomes a plain byte array. */
export function normalise(data: unknown): string | number[] {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return [...new Uint8Array(data)];
  if (ArrayBuffer.isView(data)) return [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
  throw new TypeError('unexpected message type ' + Object.prototype.toString.call(data));
}
