// Hooking an engine into a Node HTTP(S) server: requests under the path go to the engine, others to the listeners
// that were there before; upgrades under the path go to the engine, others are left to other upgrade listeners.
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ignoreError } from './http/respond.js';
import type { AttachOptions } from './options.js';
import { computePath } from './options.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** What `attachServer` routes to: the engine `Server`. */
export interface AttachTarget {
  handleRequest(req: IncomingMessage, res: ServerResponse): void;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): unknown;
}

/**
 * @internal Implements `Server#attach`; `upgrades` is false when no offered transport arrives by WebSocket, and then
 * upgrade requests are left alone.
 */
export function attachServer(
  engine: AttachTarget,
  server: HttpServer,
  options: AttachOptions,
  upgrades: boolean,
): void {
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
  if (!upgrades) return;
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
