// Serves the browser bundles of @switchboard/client under `<path>/socket.io*.js`, with ETag revalidation.
// The client package is an optional peer, read from disk at request time: no import, so no dependency cycle.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import createDebug from 'debug';

const debug = createDebug('switchboard:server:serve-client');

/** The files a browser may ask for, relative to the client package's dist/browser/. */
const CLIENT_FILES: ReadonlySet<string> = new Set([
  'socket.io.js',
  'socket.io.js.map',
  'socket.io.min.js',
  'socket.io.min.js.map',
  'socket.io.esm.min.js',
  'socket.io.esm.min.js.map',
]);

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Where the client bundles live, or undefined when @switchboard/client is not installed. */
function resolveBundleDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('@switchboard/client/package.json')), 'dist', 'browser');
  } catch {
    return undefined;
  }
}

/** The client file a request asks for under `path`, or undefined when the request is not for one. */
export function matchClientFile(url: string | undefined, path: string): string | undefined {
  if (url === undefined) return undefined;
  const queryStart = url.indexOf('?');
  const pathname = queryStart === -1 ? url : url.slice(0, queryStart);
  const prefix = `${path}/`;
  if (!pathname.startsWith(prefix)) return undefined;
  const file = pathname.slice(prefix.length);
  return CLIENT_FILES.has(file) ? file : undefined;
}

/** Answers a request for a client file; false when the request is not for one (another listener answers). */
export function serveClientFile(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const file = matchClientFile(req.url, path);
  if (file === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  void sendFile(req, res, file);
  return true;
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
  const dir = resolveBundleDir();
  const fullPath = dir === undefined ? undefined : join(dir, file);
  const info = fullPath === undefined ? undefined : await stat(fullPath).catch(() => undefined);
  if (fullPath === undefined || info === undefined || !info.isFile()) {
    debug('client bundle %s not found (is @switchboard/client installed and built?)', file);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('Not found: install and build @switchboard/client to serve the browser bundle');
    return;
  }
  // Weak validator from size and modification time: changes whenever the bundle is rebuilt.
  const etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
  res.setHeader('Cache-Control', 'public, max-age=0');
  res.setHeader('ETag', etag);
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304);
    res.end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': file.endsWith('.map') ? 'application/json' : 'application/javascript; charset=utf-8',
    'Content-Length': info.size,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(fullPath);
  stream.on('error', (err) => {
    debug('reading %s failed: %o', fullPath, err);
    res.destroy(err);
  });
  stream.pipe(res);
}

/**
 * Puts the client-file handler in front of the HTTP server's request listeners (the engine's included, since the
 * engine would otherwise claim `<path>/socket.io.js` as one of its own URLs).
 */
export function attachServeClient(server: HttpServer, path: string): void {
  const previous = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (serveClientFile(req, res, path)) return;
    for (const listener of previous) listener.call(server, req, res);
  });
}
