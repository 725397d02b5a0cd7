// Serves the browser client under `<path>/socket.io*.js`, as socket.io serves its client: a strong ETag from the
// client's version, 304 revalidation, gzip or br compressed once per file, and the `cors` option's headers. The files
// are copies that this package carries in client-dist/ (made by scripts/copy-client-dist.mjs at build, as socket.io
// ships its client-dist/), so serving needs no @switchboard/client install beside the server.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import cors from 'cors';
import type { ServerOptions as EngineOptions } from '@switchboard/engine';
import createDebug from 'debug';

const debug = createDebug('switchboard:server:serve-client');
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The files a browser may ask for: the build copies exactly these from the client package's dist/browser/. */
export const CLIENT_FILES: ReadonlySet<string> = new Set([
  'socket.io.js',
  'socket.io.js.map',
  'socket.io.min.js',
  'socket.io.min.js.map',
  'socket.io.esm.min.js',
  'socket.io.esm.min.js.map',
  'socket.io.msgpack.min.js',
  'socket.io.msgpack.min.js.map',
  'socket.io.websocket.min.js',
  'socket.io.websocket.min.js.map',
]);

/** client-dist/, beside src/ and dist/ alike, so the ES module, its CommonJS twin and the sources find it. */
const CLIENT_DIST = new URL('../client-dist/', import.meta.url);
/** Written beside the copies: `{ "version": <the client's version> }`, from which the ETag is made. */
export const CLIENT_DIST_MANIFEST = 'client.json';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type Encoding = 'br' | 'gzip' | 'identity';

/** One client file, read once; its compressed forms are made on first demand and kept. */
interface CachedFile {
  readonly body: Buffer;
  br?: Promise<Buffer>;
  gzip?: Promise<Buffer>;
}

interface ClientBundles {
  readonly dir: string;
  /** Strong validator: the files change only with the client package's version (as socket.io's). */
  readonly etag: string;
}

let bundles: ClientBundles | null | undefined;
const files = new Map<string, Promise<CachedFile | undefined>>();

/** Where the client files live and their ETag; null when this package was built without them. */
function resolveBundles(): ClientBundles | null {
  if (bundles !== undefined) return bundles;
  try {
    const manifest = readFileSync(new URL(CLIENT_DIST_MANIFEST, CLIENT_DIST), 'utf8');
    const { version } = JSON.parse(manifest) as { version: string };
    bundles = { dir: fileURLToPath(CLIENT_DIST), etag: `"${version}"` };
  } catch (err) {
    debug('client-dist/%s not readable: %o', CLIENT_DIST_MANIFEST, err);
    bundles = null;
  }
  return bundles;
}

function loadFile(dir: string, file: string): Promise<CachedFile | undefined> {
  let loaded = files.get(file);
  if (loaded === undefined) {
    loaded = readFile(join(dir, file)).then(
      (body) => ({ body }),
      (err: unknown) => {
        debug('reading client file %s failed: %o', file, err);
        files.delete(file);
        return undefined;
      },
    );
    files.set(file, loaded);
  }
  return loaded;
}

function compressed(file: CachedFile, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'br') {
    file.br ??= brotliAsync(file.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } });
    return file.br;
  }
  if (encoding === 'gzip') {
    file.gzip ??= gzipAsync(file.body, { level: 9 });
    return file.gzip;
  }
  return Promise.resolve(file.body);
}

/**
 * The encoding `Accept-Encoding` prefers among br and gzip: the highest q, ties going to the one listed first (as
 * socket.io's negotiation does); none when the header is absent or refuses both.
 */
export function chooseEncoding(header: string | undefined): Encoding {
  if (header === undefined) return 'identity';
  let best: Encoding = 'identity';
  let bestQ = 0;
  let wildcardQ = 0;
  const listed = new Set<string>();
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.trim().toLowerCase().split(';');
    const name = rawName.trim();
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2)) || 0;
    listed.add(name);
    if (name === '*') wildcardQ = q;
    else if ((name === 'br' || name === 'gzip') && q > bestQ) {
      best = name;
      bestQ = q;
    }
  }
  // A wildcard admits what is not listed by name.
  if (wildcardQ > bestQ) for (const name of ['br', 'gzip'] as const) if (!listed.has(name)) return name;
  return best;
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

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
  const found = resolveBundles();
  const cached = found === null ? undefined : await loadFile(found.dir, file);
  if (found === null || cached === undefined) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found: the browser client is missing from @switchboard/server (its client-dist/ was not built)');
    return;
  }
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch === found.etag || ifNoneMatch === `W/${found.etag}`) {
    res.writeHead(304, { ETag: found.etag });
    res.end();
    return;
  }
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const body = await compressed(cached, encoding);
  const headers: Record<string, string | number> = {
    'Cache-Control': 'public, max-age=0',
    'Content-Type': `application/${file.endsWith('.map') ? 'json' : 'javascript'}; charset=utf-8`,
    ETag: found.etag,
    Vary: 'Accept-Encoding',
    'Content-Length': body.byteLength,
  };
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Puts the client-file handler in front of the HTTP server's request listeners (the engine's included, since the
 * engine would otherwise claim `<path>/socket.io.js` as one of its own URLs). The `cors` option applies to the files
 * too, as in socket.io.
 */
export function attachServeClient(server: HttpServer, path: string, corsOptions: EngineOptions['cors']): void {
  const corsMiddleware =
    corsOptions === undefined || corsOptions === false ? undefined : cors(corsOptions as cors.CorsOptions);
  const previous = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const file = matchClientFile(req.url, path);
    if (file === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      for (const listener of previous) listener.call(server, req, res);
      return;
    }
    const serve = (): void => {
      sendFile(req, res, file).catch((err: unknown) => {
        debug('serving %s failed: %o', file, err);
        res.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    };
    if (corsMiddleware === undefined) serve();
    else corsMiddleware(req, res, serve);
  });
}
