// Polling requests in Node through `http`/`https`, over a shared keep-alive agent so connections are reused.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Requester } from '../transports/polling.js';
import type { CookieJar } from './cookie-jar.js';
import { tlsOptions } from './tls-options.js';

// Shared by every socket: a polling session needs two connections (the pending GET and a POST), and
// reusing them saves a TCP (and TLS) handshake per request.
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/** Polling requests with Node's HTTP client; with a jar, cookies go back and forth as in a browser. */
export const createHttpRequester =
  (jar?: CookieJar): Requester =>
  ({ method, url, body, opts }, done) => {
    const secure = url.startsWith('https:');
    const headers: OutgoingHttpHeaders = { ...opts.extraHeaders };
    const cookie = jar?.header();
    if (cookie) headers['cookie'] = cookie;
    if (body !== undefined) {
      headers['content-type'] = 'text/plain;charset=UTF-8';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const agent = opts.agent === undefined ? (secure ? httpsAgent : httpAgent) : (opts.agent as HttpAgent | false);
    let settled = false;
    let req: ClientRequest;
    const settle = (status: number, text: string, error?: unknown): void => {
      if (settled) return;
      settled = true;
      done(status, text, error);
    };
    const send = (isRetry: boolean): void => {
      req = (secure ? httpsRequest : httpRequest)(url, {
        method,
        headers,
        agent,
        ...tlsOptions(opts),
        ...(opts.requestTimeout && { timeout: opts.requestTimeout }),
      });
      req.on('response', (res) => {
        jar?.store(res.headers['set-cookie']);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => settle(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        res.on('error', (err) => settle(0, '', err));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed just as we reused it: the request never reached the server,
        // so sending it once more on a fresh connection is safe (Node's documented remedy).
        if (!isRetry && !settled && req.reusedSocket && err.code === 'ECONNRESET') send(true);
        else settle(0, '', err);
      });
      req.on('timeout', () => req.destroy(new Error('request timeout')));
      if (opts.autoUnref) req.on('socket', (socket) => socket.unref());
      req.end(body);
    };
    send(false);
    return () => {
      settled = true;
      req.destroy();
    };
  };
