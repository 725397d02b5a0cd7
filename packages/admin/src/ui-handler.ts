// Serves the Switchboard dashboard (packages/admin/ui) and the client bundle it connects with, under a base path.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdminError, AdminErrorCode } from './errors.js';

/** Options of `createAdminHandler`. */
export interface AdminHandlerOptions {
  /** Where the dashboard lives. @default '/admin' */
  basePath?: string;
  /** The admin namespace the page connects to (as given to `instrument`). @default '/admin' */
  namespaceName?: string;
  /** The server's Socket.IO path. @default '/socket.io' */
  socketPath?: string;
}

/** Answers a request and returns true when it is the dashboard's, false to let other handlers try. */
export type AdminHttpHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

interface Asset {
  body: Buffer;
  type: string;
}

const UI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'ui');
const UI_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'admin.css': 'text/css; charset=utf-8',
  'admin.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};
// Only our own files and the bundle: the page makes no request anywhere else.
const CSP =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

function loadClientBundle(): Buffer | undefined {
  try {
    const require = createRequire(import.meta.url);
    const packageJson = require.resolve('@switchboard/client/package.json');
    return readFileSync(join(dirname(packageJson), 'dist', 'browser', 'socket.io.min.js'));
  } catch {
    return undefined; // not built: the page falls back to the bundle the Server itself serves
  }
}

function loadAssets(options: Required<AdminHandlerOptions>): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [file, type] of Object.entries(UI_FILES)) {
    let body = readFileSync(join(UI_DIR, file));
    if (file === 'index.html') {
      const config = JSON.stringify({ namespaceName: options.namespaceName, socketPath: options.socketPath });
      body = Buffer.from(body.toString('utf8').replace('{"sbAdminConfig":true}', config.replace(/</g, '\\u003c')));
    }
    assets.set(file, { body, type });
  }
  const bundle = loadClientBundle();
  const fallback = `${options.socketPath}/socket.io.min.js`;
  assets.set('socket.io.min.js', {
    body: bundle ?? Buffer.from(`document.write('<script src="${fallback}"><\\/script>')`),
    type: 'text/javascript; charset=utf-8',
  });
  return assets;
}

/**
 * Creates the HTTP handler of the Switchboard dashboard; mount it before your own routes.
 * @example
 * const admin = createAdminHandler({ basePath: '/admin' });
 * createServer((req, res) => admin(req, res) || app(req, res));
 */
export function createAdminHandler(options: AdminHandlerOptions = {}): AdminHttpHandler {
  const basePath = (options.basePath ?? '/admin').replace(/\/+$/, '');
  if (!basePath.startsWith('/')) {
    throw new AdminError(
      AdminErrorCode.INVALID_OPTION,
      `\`basePath\` must start with "/", got ${JSON.stringify(options.basePath)}`,
    );
  }
  const assets = loadAssets({
    basePath,
    namespaceName: options.namespaceName ?? '/admin',
    socketPath: options.socketPath ?? '/socket.io',
  });
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== basePath && !path.startsWith(`${basePath}/`)) return false;
    if (path === basePath) {
      res.writeHead(301, { location: `${basePath}/` }).end();
      return true;
    }
    const file = path.slice(basePath.length + 1) || 'index.html';
    const asset = assets.get(file);
    if (asset === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res
        .writeHead(asset === undefined ? 404 : 405, { 'content-type': 'text/plain; charset=utf-8' })
        .end(asset === undefined ? 'Not found' : 'Method not allowed');
      return true;
    }
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': asset.body.length,
      'cache-control': 'no-cache',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}
