// Our engine attached to Express, Fastify and HTTPS servers, sharing the port with ordinary routes and with other
// upgrade listeners; clients are the official engine.io-client.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Server } from '@switchboard/engine';
import type { Socket } from '@switchboard/engine';
import { Socket as ClientSocket } from 'engine.io-client';
import express from 'express';
import Fastify from 'fastify';
import WebSocket, { WebSocketServer } from 'ws';

function once<T extends unknown[]>(
  target: { once(event: string, fn: (...args: T) => void): unknown },
  event: string,
  timeoutMs = 3000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    target.once(event, (...args: T) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

function get(url: string, options: { rejectUnauthorized?: boolean } = {}): Promise<{ status: number; body: string }> {
  const requester = url.startsWith('https:') ? httpsRequest : request;
  return new Promise((resolve, reject) => {
    const req = requester(url, { agent: false, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Echo through our engine with the official client over both transports (polling, then the upgrade). */
async function assertEngineWorks(
  engine: Server,
  url: string,
  clientOptions: Record<string, unknown> = {},
): Promise<void> {
  engine.once('connection', (session: Socket) => session.on('message', (data) => session.send(data)));
  const client = new ClientSocket(url, clientOptions);
  const upgraded = once(client, 'upgrade');
  // Awaited below; this only keeps an early failure from also reporting an unhandled rejection.
  upgraded.catch(() => undefined);
  try {
    await once(client, 'open');
    const echoed = once<[unknown]>(client, 'message');
    client.send('echo me');
    assert.deepEqual(await echoed, ['echo me']);
    await upgraded;
    const again = once<[unknown]>(client, 'message');
    client.send('over ws');
    assert.deepEqual(await again, ['over ws']);
  } finally {
    client.close();
  }
}

async function listen(server: HttpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closeServer(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

describe('engine attached to an Express app’s server', () => {
  it('serves Engine.IO under /engine.io/ while Express answers its own routes on the same port', async () => {
    const app = express();
    app.get('/hello', (_req, res) => {
      res.send('express says hi');
    });
    const http = createHttpServer(app);
    const engine = new Server({ pingInterval: 10_000 });
    engine.attach(http);
    const port = await listen(http);
    try {
      assert.deepEqual(await get(`http://127.0.0.1:${port}/hello`), { status: 200, body: 'express says hi' });
      await assertEngineWorks(engine, `http://127.0.0.1:${port}`);
      assert.equal((await get(`http://127.0.0.1:${port}/missing`)).status, 404);
    } finally {
      engine.close();
      await closeServer(http);
    }
  });

  it('leaves upgrades for other paths to another upgrade listener', async () => {
    const http = createHttpServer(express());
    const engine = new Server({ pingInterval: 10_000 });
    engine.attach(http, { destroyUpgradeTimeout: 200 });
    const other = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => {
      if (req.url === '/other') other.handleUpgrade(req, socket, head, (ws) => ws.send('other server'));
    });
    const port = await listen(http);
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/other`);
      const [data] = await once<[Buffer]>(ws, 'message');
      assert.equal(data.toString(), 'other server');
      // Still open after destroyUpgradeTimeout: the engine only ends upgrades nobody answered.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(ws.readyState, WebSocket.OPEN);
      ws.close();
      await assertEngineWorks(engine, `http://127.0.0.1:${port}`);
    } finally {
      other.close();
      engine.close();
      await closeServer(http);
    }
  });

  it('ends an upgrade for another path that no listener answers, after destroyUpgradeTimeout', async () => {
    const http = createHttpServer();
    const engine = new Server();
    engine.attach(http, { destroyUpgradeTimeout: 100 });
    const port = await listen(http);
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/nobody`);
      ws.on('error', () => undefined);
      await once(ws, 'close', 2000);
    } finally {
      engine.close();
      await closeServer(http);
    }
  });
});

describe('engine attached to a Fastify server', () => {
  it('serves Engine.IO next to a Fastify route on the same port', async () => {
    const fastify = Fastify();
    fastify.get('/hello', async () => 'fastify says hi');
    const engine = new Server({ pingInterval: 10_000 });
    engine.attach(fastify.server);
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const port = (fastify.server.address() as AddressInfo).port;
    try {
      assert.deepEqual(await get(`http://127.0.0.1:${port}/hello`), { status: 200, body: 'fastify says hi' });
      await assertEngineWorks(engine, `http://127.0.0.1:${port}`);
    } finally {
      engine.close();
      fastify.server.closeAllConnections();
      await fastify.close();
    }
  });
});

describe('engine attached to an HTTPS server', () => {
  let dir: string | undefined;
  let tls: { key: Buffer; cert: Buffer } | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'engine-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    tls = undefined;
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }

  it(
    'serves polling and WebSocket over TLS and marks the handshake encrypted',
    { skip: tls === undefined ? 'openssl is not available to make a test certificate' : false },
    async () => {
      const https = createHttpsServer(tls as { key: Buffer; cert: Buffer }, (_req, res) => {
        res.writeHead(200);
        res.end('tls route');
      });
      const engine = new Server({ pingInterval: 10_000 });
      engine.attach(https);
      const port = await listen(https);
      try {
        assert.deepEqual(await get(`https://127.0.0.1:${port}/`, { rejectUnauthorized: false }), {
          status: 200,
          body: 'tls route',
        });
        const connected = once<[Socket]>(engine, 'connection');
        const check = assertEngineWorks(engine, `https://127.0.0.1:${port}`, { rejectUnauthorized: false });
        const [session] = await connected;
        assert.equal((session.request.connection as { encrypted?: boolean }).encrypted, true);
        await check;
      } finally {
        engine.close();
        await closeServer(https);
      }
    },
  );
});
