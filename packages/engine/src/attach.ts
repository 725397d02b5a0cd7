// Hooking an engine into a Node HTTP(S) server: requests under the path go to the engine, others to the listeners
// that were there before; upgrades under the path go to the engine, others are left to other upgrade listeners.
import { createServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ignoreError } from './http/respond.js';
import type { AttachOptions, ServerOptions } from './options.js';
import { computePath } from './options.js';
import { Server } from './server.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** @internal Implements `Server#attach`. */
export function attachServer(engine: Server, server: HttpServer, options: AttachOptions): void {
  const path = computePath(options);
  const destroyUpgradeTimeoutMs = options.destroyUpgradeTimeout ?? 1000;
  const matches = (req: IncomingMessage): boolean => (req.url ?? '').startsWith(path);
  // Take over the existing request listeners (an Express or Fastify app) so each request is answered once.
  const previous = server.listeners('request').slice() as RequestListener[];
  server.removeAllListeners('request');
  server.on('close', () => engine.close());
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (matches(req)) engine.handleRequest(req, res);
    else for (const listener of previous) listener.call(server, req, res);
  });
  if (!engine.opts.transports.includes('websocket')) return;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (matches(req)) {
      engine.handleUpgrade(req, socket, head);
      return;
    }
    if (options.destroyUpgrade === false) return;
    // Our listener stops Node from closing unanswered upgrades, so we do it, unless another listener answered.
    socket.on('error', ignoreError);
    setTimeout(() => {
      if (socket.writable && (socket as Duplex & { bytesWritten?: number }).bytesWritten === 0) socket.end();
    }, destroyUpgradeTimeoutMs).unref();
  });
}

/**
 * Creates an engine and attaches it to `server`.
 * @example
 * const engine = attach(http.createServer(app).listen(3000), { path: '/engine.io' });
 */
export function attach(server: HttpServer, options: ServerOptions = {}): Server {
  const engine = new Server(options);
  engine.attach(server, options);
  return engine;
}

/**
 * Creates an HTTP server on `port` that answers only Engine.IO requests (others get 501), and an engine on it.
 * @example
 * const engine = listen(3000, { pingInterval: 10_000 }, () => console.log('listening'));
 */
export function listen(port: number, options?: ServerOptions | (() => void), callback?: () => void): Server {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  const server = createServer((_req, res) => {
    res.writeHead(501);
    res.end('Not Implemented');
  });
  const engine = attach(server, options ?? {});
  server.listen(port, callback);
  return engine;
}
