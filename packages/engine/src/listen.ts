// The engine.io shorthands: an engine attached to an existing HTTP server, or to a new one listening on a port.
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { ServerOptions } from './options.js';
import { Server } from './server.js';

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
