// Writing the engine's HTTP answers: protocol error bodies, the upgrade refusal, and (compressed) polling responses.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createDeflate, createGzip } from 'node:zlib';
import type { HandshakeErrorCodeValue } from '../errors.js';
import { HandshakeErrorCode, HANDSHAKE_ERROR_MESSAGES } from '../errors.js';
import type { HttpCompressionOptions } from '../options.js';

/** Answers a refused polling request: 403 for `allowRequest` refusals, else 400, with `{"code":N,"message":"..."}`. */
export function abortRequest(res: ServerResponse, code: HandshakeErrorCodeValue, message?: string): void {
  // A middleware may have committed the response before failing; all we can do then is end it.
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const body = JSON.stringify({ code, message: message ?? HANDSHAKE_ERROR_MESSAGES[code] });
  res.writeHead(code === HandshakeErrorCode.FORBIDDEN ? 403 : 400, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Answers a refused WebSocket upgrade with a plain `400 Bad Request` whose body is the message, then destroys the socket. */
export function abortUpgrade(socket: Duplex, code: HandshakeErrorCodeValue, message?: string): void {
  socket.on('error', ignoreError);
  if (socket.writable) {
    const body = message ?? HANDSHAKE_ERROR_MESSAGES[code];
    socket.write(
      'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Swallows errors of a socket we are abandoning anyway (a reset during our refusal must not crash the process). */
export function ignoreError(): void {}

/** The `Content-Encoding` the client accepts that we can produce, preferring gzip; undefined for none. */
export function pickEncoding(req: IncomingMessage): 'gzip' | 'deflate' | undefined {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return undefined;
  let deflate = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    // "gzip;q=0" explicitly refuses the coding.
    if (params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) continue;
    if (name === 'gzip' || name === '*') return 'gzip';
    if (name === 'deflate') deflate = true;
  }
  return deflate ? 'deflate' : undefined;
}

/**
 * Sends a 200 polling body; compresses it when allowed, large enough, and accepted by the client.
 * Calls `done` once the response is finished (or failed), exactly once.
 */
export function writePollingBody(
  req: IncomingMessage,
  res: ServerResponse,
  headers: OutgoingHttpHeaders,
  body: string | Uint8Array,
  compression: false | HttpCompressionOptions,
  done: () => void,
): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const encoding = compression !== false && length >= (compression.threshold ?? 1024) ? pickEncoding(req) : undefined;
  if (encoding === undefined || compression === false) {
    headers['Content-Length'] = length;
    res.writeHead(200, headers);
    res.end(body);
    done();
    return;
  }
  headers['Content-Encoding'] = encoding;
  res.writeHead(200, headers);
  const stream = encoding === 'gzip' ? createGzip(compression) : createDeflate(compression);
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    done();
  };
  stream.on('error', () => {
    res.destroy();
    finish();
  });
  res.once('finish', finish);
  res.once('close', finish);
  stream.pipe(res);
  stream.end(body);
}
