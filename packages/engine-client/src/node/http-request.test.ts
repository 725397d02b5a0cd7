import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TransportOptions } from '../options.js';
import type { PollRequest } from '../transports/polling.js';
import { createHttpRequester } from './http-request.js';

const opts: TransportOptions = {
  hostname: '127.0.0.1',
  port: '0',
  secure: false,
  path: '/',
  query: {},
  transports: ['polling'],
};

/** Resolves with what the requester reports, or rejects after 5 s. */
function perform(request: PollRequest): Promise<{ status: number; body: string; error: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
    createHttpRequester()(request, (status, body, error) => {
      clearTimeout(timer);
      resolve({ status, body, error });
    });
  });
}

describe('Node polling requests', () => {
  let server: Server;
  let url: string;
  /** Requests served per TCP connection; the second one on a connection is reset when `resetReused` is on. */
  const requestsPerSocket = new Map<Socket, number>();
  let resetReused = false;
  let connections = 0;

  before(async () => {
    server = createServer((req, res) => {
      const count = (requestsPerSocket.get(req.socket) ?? 0) + 1;
      requestsPerSocket.set(req.socket, count);
      if (resetReused && count > 1) return void req.socket.destroy();
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.end(`${req.method} ${body} #${count}`));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('sends the body as text and reuses the kept-alive connection', async () => {
    connections = 0;
    assert.deepEqual(await perform({ method: 'POST', url, body: '4é', opts }), {
      status: 200,
      body: 'POST 4é #1',
      error: undefined,
    });
    const second = await perform({ method: 'GET', url, body: undefined, opts });
    assert.equal(second.body, 'GET  #2');
    assert.equal(connections, 1);
  });

  it('retries once on a fresh connection when a reused one turns out to be closed', async () => {
    await perform({ method: 'GET', url, body: undefined, opts });
    resetReused = true;
    try {
      const answer = await perform({ method: 'POST', url, body: 'x', opts });
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'POST x #1', 'answered on a new connection');
    } finally {
      resetReused = false;
    }
  });

  it('reports a refused connection as status 0 with the error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const answer = await perform({ method: 'GET', url: `http://127.0.0.1:${port}/`, body: undefined, opts });
    assert.equal(answer.status, 0);
    assert.equal((answer.error as NodeJS.ErrnoException).code, 'ECONNREFUSED');
  });
});
