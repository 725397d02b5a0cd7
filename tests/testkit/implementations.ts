// The implementations a cross-implementation suite runs against: the official socket.io packages (which prove the
// suite) and ours, each behind the same factory shape. Ours are typed as the official API on purpose: "moving
// over is an import change" is exactly the claim the suites test.
import { existsSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server as OfficialServer, type ServerOptions } from 'socket.io';
import {
  io as officialIo,
  type ManagerOptions,
  type Socket as ClientSocket,
  type SocketOptions,
} from 'socket.io-client';

export type { ClientSocket };
export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** A Socket.IO server implementation; `notReady` says why its cells cannot run (each reported as a failing test). */
export interface ServerImplementation {
  readonly name: string;
  readonly notReady?: string;
  create(httpServer: HttpServer, options?: Partial<ServerOptions>): OfficialServer;
}

/** A Socket.IO client implementation, called like `io(url, options)`. */
export interface ClientImplementation {
  readonly name: string;
  readonly notReady?: string;
  create(url: string, options?: ClientOptions): ClientSocket;
}

/** A prebuilt browser bundle: `classic` defines `window.io`, `module` exports `io`. */
export interface BrowserBundle {
  readonly name: string;
  readonly kind: 'classic' | 'module';
  readonly path: string;
  /** The transports the bundle carries (the small bundle has WebSocket only). */
  readonly transports: readonly BrowserTransport[];
  readonly notReady?: string;
}

export type BrowserTransport = 'websocket' | 'polling';

type ServerConstructor = new (httpServer: HttpServer, options?: Partial<ServerOptions>) => OfficialServer;
type ClientFactory = (url: string, options?: ClientOptions) => ClientSocket;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function notReady(name: string, reason: string): { name: string; notReady: string; create(): never } {
  return {
    name,
    notReady: reason,
    create(): never {
      throw new Error(`${name} is not ready: ${reason}`);
    },
  };
}

async function loadExport(specifier: string, exportName: string): Promise<unknown> {
  // a package mid-construction may fail to import at all; that is "not ready", not a crash of every suite
  const module = (await import(specifier)) as Record<string, unknown>;
  return module[exportName];
}

export const officialServer: ServerImplementation = {
  name: 'socket.io 4.8 (official)',
  create: (httpServer, options) => new OfficialServer(httpServer, options),
};

export const officialClient: ClientImplementation = {
  name: 'socket.io-client 4.8 (official)',
  create: (url, options) => officialIo(url, options),
};

/** `Server` from @switchboard/server, or a not-ready stand-in naming what is missing. */
export async function switchboardServer(): Promise<ServerImplementation> {
  const name = '@switchboard/server';
  try {
    const Server = await loadExport('@switchboard/server', 'Server');
    if (typeof Server !== 'function') return notReady(name, 'the package does not export Server yet');
    const SwitchboardServer = Server as ServerConstructor;
    return { name, create: (httpServer, options) => new SwitchboardServer(httpServer, options) };
  } catch (error) {
    return notReady(name, `importing the package failed: ${(error as Error).message}`);
  }
}

/** `io` from @switchboard/client, or a not-ready stand-in naming what is missing. */
export async function switchboardClient(): Promise<ClientImplementation> {
  const name = '@switchboard/client';
  try {
    const io = await loadExport('@switchboard/client', 'io');
    if (typeof io !== 'function') return notReady(name, 'the package does not export io yet');
    const create = io as ClientFactory;
    return { name, create: (url, options) => create(url, options) };
  } catch (error) {
    return notReady(name, `importing the package failed: ${(error as Error).message}`);
  }
}

/** Every server the suites run against, official first. */
export async function serverImplementations(): Promise<ServerImplementation[]> {
  return [officialServer, await switchboardServer()];
}

/** Every client the suites run against, official first. */
export async function clientImplementations(): Promise<ClientImplementation[]> {
  return [officialClient, await switchboardClient()];
}

const BOTH: readonly BrowserTransport[] = ['websocket', 'polling'];

function bundle(
  name: string,
  kind: BrowserBundle['kind'],
  relativePath: string,
  missing: string,
  transports: readonly BrowserTransport[] = BOTH,
): BrowserBundle {
  const path = `${ROOT}${relativePath}`;
  const found = { name, kind, path, transports };
  return existsSync(path) ? found : { ...found, notReady: `${relativePath} ${missing}` };
}

/** The browser bundles: the official ones (prove the suite) and @switchboard/client's built bundles. */
export function browserBundles(): BrowserBundle[] {
  const build = 'does not exist; build it with `npm run build && npm run build:browser -w @switchboard/client`';
  const install = 'is missing; run npm ci';
  const official = 'node_modules/socket.io-client/dist';
  const ours = 'packages/client/dist/browser';
  return [
    bundle('socket.io-client 4.8 (official)', 'classic', `${official}/socket.io.min.js`, install),
    bundle('socket.io-client 4.8 ESM (official)', 'module', `${official}/socket.io.esm.min.js`, install),
    bundle('@switchboard/client socket.io.min.js', 'classic', `${ours}/socket.io.min.js`, build),
    bundle('@switchboard/client socket.io.esm.min.js', 'module', `${ours}/socket.io.esm.min.js`, build),
    bundle('@switchboard/client socket.io.websocket.min.js', 'classic', `${ours}/socket.io.websocket.min.js`, build, [
      'websocket',
    ]),
  ];
}
