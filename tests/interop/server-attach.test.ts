// Every documented way to create and attach the server: port, options-only + attach/listen, Express, Fastify,
// CommonJS require forms, and the served browser client.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { createServer, request, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { instrument } from '@socket.io/admin-ui';
import express from 'express';
import Fastify from 'fastify';
import { io as connectClient } from 'socket.io-client';
import { Server } from '@switchboard/server';
import { waitFor } from './server-kit.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

/** Connects an official client to `port`, checks an ack round trip, and disconnects. */
async function assertWorks(io: Server, port: number, path = '/socket.io'): Promise<void> {
  io.once('connection', (socket) => socket.on('ping', (ack: (v: string) => void) => ack('pong')));
  const client = connectClient(`http://127.0.0.1:${port}`, { path, forceNew: true, reconnection: false });
  try {
    await waitFor(client, 'connect');
    assert.equal(await client.timeout(5000).emitWithAck('ping'), 'pong');
  } finally {
    client.disconnect();
  }
}

function listen(server: HttpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('server attach forms', () => {
  test('new Server(port) creates and listens on an HTTP server', async () => {
    const io = new Server(0);
    await waitFor(io.httpServer as HttpServer, 'listening').catch(() => undefined);
    const port = ((io.httpServer as HttpServer).address() as AddressInfo).port;
    await assertWorks(io, port);
    await io.close();
  });

  test('a port given as a string, as process.env.PORT is, creates and listens on an HTTP server', async () => {
    for (const create of [(port: string) => new Server(port), (port: string) => new Server().listen(port)]) {
      const io = create('0');
      await waitFor(io.httpServer as HttpServer, 'listening').catch(() => undefined);
      const port = ((io.httpServer as HttpServer).address() as AddressInfo).port;
      await assertWorks(io, port);
      await io.close();
    }
  });

  test('a string that is not a port is refused naming the value', () => {
    assert.throws(() => new Server('http://example.com'), {
      code: 'SIO_ERR_INVALID_OPTION',
      message: /"http:\/\/example.com"/,
    });
  });

  test('new Server(options) then io.attach(httpServer) and io.listen(httpServer) with a custom path', async () => {
    for (const method of ['attach', 'listen'] as const) {
      const httpServer = createServer();
      const io = new Server({ path: '/custom-path' });
      io[method](httpServer);
      const port = await listen(httpServer);
      await assertWorks(io, port, '/custom-path');
      httpServer.closeAllConnections();
      await io.close();
    }
  });

  test('io.engine is undefined until attached, then the Engine.IO server (as in socket.io)', async () => {
    const io = new Server();
    // Read through `unknown`: assert.equal narrows its argument, which would make io.engine `never` below.
    const before: unknown = io.engine;
    assert.equal(before, undefined);
    const httpServer = createServer();
    io.attach(httpServer);
    assert.equal(typeof io.engine.handleRequest, 'function');
    await io.close();
  });

  test('attached to an HTTPS server, where handshake.secure is true', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-tls-'));
    try {
      try {
        await run(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-keyout',
            join(dir, 'key.pem'),
            '-out',
            join(dir, 'cert.pem'),
            '-days',
            '1',
            '-subj',
            '/CN=127.0.0.1',
          ],
          { timeout: 20_000 },
        );
      } catch {
        t.skip('openssl is not available to make a test certificate');
        return;
      }
      const httpsServer = createHttpsServer({
        key: readFileSync(join(dir, 'key.pem')),
        cert: readFileSync(join(dir, 'cert.pem')),
      });
      const io = new Server(httpsServer);
      const port = await new Promise<number>((resolve) =>
        httpsServer.listen(0, '127.0.0.1', () => resolve((httpsServer.address() as AddressInfo).port)),
      );
      const secure = new Promise<boolean>((resolve) =>
        io.once('connection', (socket) => resolve(socket.handshake.secure)),
      );
      const client = connectClient(`https://127.0.0.1:${port}`, {
        forceNew: true,
        reconnection: false,
        rejectUnauthorized: false,
      });
      try {
        await waitFor(client, 'connect', 5000);
        assert.equal(await secure, true);
      } finally {
        client.disconnect();
        httpsServer.closeAllConnections();
        await io.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the official @socket.io/admin-ui instruments the server and reports its sockets', async () => {
    const httpServer = createServer();
    const io = new Server(httpServer);
    // Called before nothing else exists on purpose: admin-ui reads io._nsps, io.engine, socket.data and adapter events.
    instrument(io as unknown as Parameters<typeof instrument>[0], { auth: false, mode: 'development' });
    const port = await listen(httpServer);
    const user = connectClient(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false });
    const admin = connectClient(`http://127.0.0.1:${port}/admin`, { forceNew: true, reconnection: false });
    try {
      await waitFor(user, 'connect');
      const [sockets] = await waitFor<[{ id: string; nsp: string }[]]>(admin, 'all_sockets', 5000);
      assert.ok(sockets.some((s) => s.id === user.id && s.nsp === '/'));
    } finally {
      user.disconnect();
      admin.disconnect();
      httpServer.closeAllConnections();
      await io.close();
    }
  });

  test('attached to an Express app', async () => {
    const app = express();
    app.get('/hello', (_req, res) => {
      res.send('world');
    });
    const httpServer = createServer(app);
    const io = new Server(httpServer);
    const port = await listen(httpServer);
    await assertWorks(io, port);
    assert.equal((await get(port, '/hello')).body, 'world');
    httpServer.closeAllConnections();
    await io.close();
  });

  test('attached to a Fastify server', async () => {
    const app = Fastify();
    app.get('/hello', () => 'fastify');
    const io = new Server(app.server);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    await assertWorks(io, port);
    assert.equal((await get(port, '/hello')).body, 'fastify');
    app.server.closeAllConnections();
    await io.close();
    await app.close();
  });

  test('serveClient answers <path>/socket.io.js from @switchboard/client with ETag revalidation', async () => {
    const httpServer = createServer();
    const io = new Server(httpServer);
    const port = await listen(httpServer);
    const require = createRequire(import.meta.url);
    const bundle = join(
      dirname(require.resolve('@switchboard/client/package.json')),
      'dist',
      'browser',
      'socket.io.js',
    );
    const first = await get(port, '/socket.io/socket.io.js');
    if (existsSync(bundle)) {
      assert.equal(first.status, 200);
      assert.match(String(first.headers['content-type']), /javascript/);
      const etag = String(first.headers['etag']);
      assert.match(etag, /^"\d+\.\d+\.\d+"$/);
      assert.equal((await get(port, '/socket.io/socket.io.js', { 'if-none-match': etag })).status, 304);
    } else {
      assert.equal(first.status, 404);
    }
    // Other URLs under the path still reach the engine.
    assert.equal((await get(port, '/socket.io/?EIO=4&transport=nope')).status, 400);
    httpServer.closeAllConnections();
    await io.close();
  });

  test('serveClient: false leaves client URLs to the engine', async () => {
    const httpServer = createServer();
    const io = new Server(httpServer, { serveClient: false });
    const port = await listen(httpServer);
    assert.equal((await get(port, '/socket.io/socket.io.js')).status, 400);
    httpServer.closeAllConnections();
    await io.close();
  });

  test('CommonJS: require(...)(port) and require(...)(httpServer, opts) work, with named exports attached', async (t) => {
    if (!existsSync(join(root, 'packages', 'server', 'dist', 'index.js'))) {
      await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'packages/server'], {
        cwd: root,
        timeout: 120_000,
      });
    }
    const script = `
      const http = require('node:http');
      const createIo = require('@switchboard/server');
      const { io: connect } = require('socket.io-client');
      if (typeof createIo !== 'function' || typeof createIo.Server !== 'function' || typeof createIo.Namespace !== 'function') throw new Error('bad exports');
      async function check(io, port) {
        io.on('connection', (s) => s.on('ping', (ack) => ack('pong')));
        const c = connect('http://127.0.0.1:' + port, { forceNew: true, reconnection: false, path: '/socket.io' });
        await new Promise((res, rej) => { c.on('connect', res); c.on('connect_error', rej); });
        const v = await c.timeout(5000).emitWithAck('ping');
        c.disconnect();
        await io.close();
        return v;
      }
      (async () => {
        const a = createIo(0);
        await new Promise((r) => a.httpServer.listening ? r() : a.httpServer.once('listening', r));
        const r1 = await check(a, a.httpServer.address().port);
        const srv = http.createServer();
        const b = createIo(srv, { path: '/socket.io' });
        await new Promise((r) => srv.listen(0, '127.0.0.1', r));
        const r2 = await check(b, srv.address().port);
        console.log(r1 + ',' + r2 + ',' + (b instanceof createIo.Server));
      })().catch((e) => { console.error(e); process.exit(1); });
    `;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: root, timeout: 20_000 });
    t.diagnostic(stdout.trim());
    assert.equal(stdout.trim(), 'pong,pong,true');
  });
});
