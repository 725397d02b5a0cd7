// Serves the browser app (public/) over plain HTTP: fixed content types, no directory listing, no path escape.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

const CONTENT_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
});

const SECURITY_HEADERS = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Everything the page needs is served from here; ws:/wss: for the Socket.IO WebSocket transport.
  'Content-Security-Policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
});

/**
 * Answers GET/HEAD for files under public/. Always responds.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export async function serveStatic(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed', { Allow: 'GET, HEAD' }, req.method);
  }
  const pathname = safePathname(req.url ?? '/');
  const file = pathname === null ? null : resolvePublicFile(pathname);
  const type = file === null ? undefined : CONTENT_TYPES[/** @type {keyof CONTENT_TYPES} */ (extname(file))];
  if (file === null || type === undefined) return notFound(req, res);
  let body;
  try {
    body = await readFile(file);
  } catch {
    return notFound(req, res);
  }
  send(res, 200, type, body, { 'Cache-Control': 'no-cache' }, req.method);
}

/** @param {string} url @returns {string | null} the decoded path, or null if it cannot be decoded */
function safePathname(url) {
  try {
    return decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return null;
  }
}

/** @param {string} pathname @returns {string | null} an absolute path inside PUBLIC_DIR, or null */
function resolvePublicFile(pathname) {
  if (pathname.includes('\0')) return null;
  const relative = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
  const file = normalize(join(PUBLIC_DIR, relative));
  return file.startsWith(PUBLIC_DIR.endsWith(sep) ? PUBLIC_DIR : PUBLIC_DIR + sep) ? file : null;
}

/** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
function notFound(req, res) {
  send(res, 404, 'text/plain; charset=utf-8', 'Not Found', {}, req.method);
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} type
 * @param {string | Buffer} body
 * @param {Record<string, string>} headers
 * @param {string | undefined} method
 */
function send(res, status, type, body, headers, method) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(method === 'HEAD' ? undefined : body);
}
